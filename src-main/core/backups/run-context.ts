// One running operation's state: stage, counters and log, saved at each stage change and pushed to the faces as
// `backups.progress` a few times a second, with the rate over the last seconds and the ETA it implies.
import type { RunKind, RunLogLine, RunStage } from '../../contract';
import { isoNow } from '../clock';
import type { Core } from '../core';
import { RunsStore } from './runs-store';

const EMIT_EVERY_MS = 250;
const RATE_WINDOW_MS = 5_000;
const MAX_LOG_LINES = 500;

export class RunContext {
  stage: RunStage = 'starting';
  item: string | null = null;
  bytesTotal: number | null = null;
  bytesRead = 0;
  files = 0;
  readonly log: RunLogLine[] = [];
  private readonly started = performance.now();
  private readonly samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;
  private stageStartBytes = 0;
  private readonly runs: RunsStore;

  constructor(
    private readonly core: Core,
    readonly runId: string,
    readonly kind: RunKind,
    readonly jobId: string | null,
    readonly signal: AbortSignal,
  ) {
    this.runs = new RunsStore(core);
  }

  setStage(stage: RunStage, item: string | null = null): void {
    this.stage = stage;
    this.item = item;
    this.stageStartBytes = this.bytesRead;
    this.info(item === null ? stage : `${stage}: ${item}`);
    this.save();
    this.emit(true);
  }

  info(text: string): void {
    this.line('info', text);
  }

  warn(text: string): void {
    this.line('warn', text);
  }

  error(text: string): void {
    this.line('error', text);
  }

  addBytes(bytes: number): void {
    // The first bytes of a stage are shown at once: the data is flowing.
    const first = this.bytesRead === this.stageStartBytes;
    this.bytesRead += bytes;
    this.emit(first);
  }

  addFile(): void {
    this.files++;
  }

  save(): void {
    this.runs.progress(this.runId, { stage: this.stage, bytesTotal: this.bytesTotal, bytesRead: this.bytesRead, files: this.files, log: this.log });
  }

  private line(level: RunLogLine['level'], text: string): void {
    if (this.log.length >= MAX_LOG_LINES) this.log.splice(1, 1); // the first line says how it started
    this.log.push({ at: isoNow(this.core.clock), level, text });
  }

  private emit(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < EMIT_EVERY_MS) return;
    this.lastEmit = now;
    this.samples.push({ t: now, bytes: this.bytesRead });
    while (this.samples.length > 2 && now - (this.samples[0]?.t ?? now) > RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const seconds = first === undefined ? 0 : (now - first.t) / 1000;
    const rate = first === undefined || seconds < 0.2 ? null : (this.bytesRead - first.bytes) / seconds;
    const eta = rate === null || rate <= 0 || this.bytesTotal === null ? null : Math.max(0, Math.round((this.bytesTotal - this.bytesRead) / rate));
    this.core.events.emit('backups.progress', {
      runId: this.runId,
      kind: this.kind,
      jobId: this.jobId,
      stage: this.stage,
      item: this.item,
      bytesDone: this.bytesRead,
      bytesTotal: this.bytesTotal,
      files: this.files,
      rateBytesPerSecond: rate === null ? null : Math.round(rate),
      etaSeconds: eta,
      elapsedSeconds: Math.round((now - this.started) / 1000),
    });
  }
}
