import type { Readable } from 'node:stream';

export interface ChunkSink {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Feeds every chunk of `source` to each sink, pausing the source while any sink is full: the slowest consumer
 * (restic, the tar parser, the SSH channel) sets the pace and nothing piles up in memory. The returned function
 * detaches the sinks and lets the source flow to nowhere: a dead sink never drains, and an SSH channel only closes
 * once its output is read.
 */
export function tee(source: Readable, sinks: ChunkSink[], onChunk: (chunk: Buffer) => void): () => void {
  let full = 0;
  let stopped = false;
  source.on('data', (chunk: Buffer) => {
    if (stopped) return;
    onChunk(chunk);
    for (const sink of sinks) {
      if (!sink.write(chunk)) {
        full++;
        sink.once('drain', () => {
          if (--full === 0 && !stopped) source.resume();
        });
      }
    }
    if (full > 0) source.pause();
  });
  return () => {
    stopped = true;
    source.resume();
  };
}
