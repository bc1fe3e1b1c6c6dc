import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServedPelote {
  url: string;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

const CLI = resolve(__dirname, '../../out/main/cli.js');

/** Runs the built `pelote serve` on a fresh data directory, exactly as a user would, and reads the URL it prints. */
export async function servePelote(): Promise<ServedPelote> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pelote-e2e-'));
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, '--json', 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstJsonUrl(child);
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stop: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function firstJsonUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let text = '';
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      text += line;
      try {
        resolveUrl((JSON.parse(text) as { url: string }).url);
        lines.close();
      } catch {
        // The JSON object spans several lines: keep reading.
      }
    });
    child.once('exit', (code) => reject(new Error(`pelote serve exited with code ${code}`)));
  });
}
