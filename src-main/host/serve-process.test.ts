import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../testing/temp-core';

const ROOT = resolve(__dirname, '../..');
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

describe('pelote serve, as a process', () => {
  it('logs an uncaught exception or an unhandled rejection in one line and keeps serving', async () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    // Stands for a bug anywhere in the process: on SIGUSR2, a throw outside any handler and a rejection nobody awaits.
    const faults = join(dir, 'faults.cjs');
    writeFileSync(
      faults,
      `process.on('SIGUSR2', () => {
        setImmediate(() => { throw new Error('injected fault'); });
        Promise.reject(new Error('injected rejection\\nsecond line'));
      });`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', '--require', faults, 'src-main/cli/index.ts', '--data-dir', dir, '--json', 'serve'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    cleanups.push(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));

    let json = '';
    const printed = await new Promise<{ url: string; port: number }>((done, fail) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        json += line;
        try {
          done(JSON.parse(json) as { url: string; port: number });
        } catch {
          // The JSON object spans several lines.
        }
      });
      void exited.then((code) => fail(new Error(`pelote serve exited (${code}): ${stderr}`)));
    });
    const token = new URL(printed.url).hash.slice('#token='.length);

    child.kill('SIGUSR2');
    for (let waited = 0; !(stderr.includes('injected fault') && stderr.includes('injected rejection')) && waited < 5000; waited += 50) {
      await new Promise((done) => setTimeout(done, 50));
    }
    // One line each: no stack, no second line of a message, never the key.
    expect(stderr.split('\n').filter((line) => line.includes('injected'))).toHaveLength(2);
    expect(stderr).not.toContain('second line');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain(token);

    // Still serving (the CLI run from source has no built renderer next to it: 404 is an answer).
    const response = await fetch(`http://127.0.0.1:${printed.port}/`);
    expect(response.status).toBe(404);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
