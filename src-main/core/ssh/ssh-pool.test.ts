import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdFixture } from '../../testing/sshd';
import { command, script, type RemoteCommand } from './shell-quote';
import { SshPool, type SshPoolOptions } from './ssh-pool';
import { pinStore, rejectionCode, targetOf, waitFor } from './testing/pool-fixtures';
import { shellString } from './testing/shell-strings';

const execFileAsync = promisify(execFile);

describe('SshPool', () => {
  let a: SshdFixture;
  let b: SshdFixture;
  let pool: SshPool;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSshd(), startSshd()]);
  });

  afterEach(async () => {
    await pool.closeAll();
  });

  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  function newPool(options: Partial<SshPoolOptions> = {}): SshPool {
    pool = new SshPool({ hostKeys: pinStore(a, b).policy, connectTimeoutMs: 2_000, execTimeoutMs: 5_000, ...options });
    return pool;
  }

  /** Samples the highest number of commands in flight (on one server, or in all) while `work` runs. */
  async function peakInFlight(work: Promise<unknown>, serverId?: string): Promise<number> {
    let peak = 0;
    const sample = setInterval(() => {
      const inFlight = pool.stats().inFlight;
      const now = serverId === undefined ? Object.values(inFlight).reduce((sum, n) => sum + n, 0) : inFlight[serverId];
      peak = Math.max(peak, now ?? 0);
    }, 5);
    try {
      await work;
    } finally {
      clearInterval(sample);
    }
    return peak;
  }

  it('runs a command and reports its outputs, exit code, signal and duration', async () => {
    const target = targetOf(a);
    newPool();
    const result = await pool.exec(target, command('sh', '-c', 'echo out; echo err >&2; exit 3'));
    expect(result).toMatchObject({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    expect(result.durationMs).toBeGreaterThan(0);
    expect(await pool.exec(target, script('kill -TERM $$'))).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(await pool.exec(target, command('id', '-un'))).toMatchObject({ code: 0, stdout: `${a.username}\n` });
  });

  it('feeds stdin, and ends it when none is given', async () => {
    newPool();
    expect((await pool.exec(targetOf(a), command('cat'), { stdin: 'héllo\n' })).stdout).toBe('héllo\n');
    expect(await pool.exec(targetOf(a), command('wc', '-c'))).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('refuses commands not built by command() or script()', async () => {
    newPool();
    const forged = { text: 'echo forged' } as unknown as RemoteCommand;
    await expect(pool.exec(targetOf(a), forged)).rejects.toThrow(TypeError);
    expect(pool.stats().connects).toEqual({});
  });

  it('passes any argument through the remote shell unchanged', async () => {
    newPool();
    await fc.assert(
      fc.asyncProperty(shellString, shellString, async (first, second) => {
        const { stdout } = await pool.exec(targetOf(a), command('printf', '%s|%s', first, second));
        expect(stdout).toBe(`${first}|${second}`);
      }),
      { numRuns: 100 },
    );
  });

  it('reuses one connection for sequential commands', async () => {
    const target = targetOf(b);
    const logins = (): number => b.log().match(/Accepted publickey/g)?.length ?? 0;
    const loginsBefore = logins();
    newPool();
    const cold = await pool.exec(target, command('true'));
    const warm: number[] = [];
    for (let i = 0; i < 50; i++) warm.push((await pool.exec(target, command('true'))).durationMs);
    expect(pool.stats()).toMatchObject({ openConnections: 1, connects: { [target.id]: 1 } });
    expect(logins() - loginsBefore).toBe(1);
    warm.sort((x, y) => x - y);
    const median = warm[warm.length >> 1]!;
    console.log(`[ssh] connect + auth + first exec ${cold.durationMs.toFixed(1)} ms; warm exec median ${median.toFixed(2)} ms`);
  });

  it('runs at most maxPerServer commands at once on a server, queueing the rest', async () => {
    const target = targetOf(a);
    const dir = path.join(a.homeDir, 'concurrency');
    newPool({ maxPerServer: 4 });
    await pool.exec(target, command('mkdir', '-p', dir));
    // Each command counts the commands running beside it, as the server sees them.
    const counted = command('sh', '-c', 'touch "$1/$$"; ls "$1" | wc -l; sleep 0.2; rm "$1/$$"', 'sh', dir);
    const started = performance.now();
    const runs = Promise.all(Array.from({ length: 10 }, () => pool.exec(target, counted)));
    expect(await peakInFlight(runs, target.id)).toBe(4);
    const elapsed = performance.now() - started;
    const seenByServer = (await runs).map((run) => Number(run.stdout));
    expect(Math.max(...seenByServer)).toBeLessThanOrEqual(4);
    expect(elapsed).toBeGreaterThanOrEqual(3 * 200); // three waves at least
    expect(pool.stats()).toMatchObject({ openConnections: 1, queued: 0, inFlight: {} });
  });

  it("stays within sshd's MaxSessions (10) whatever maxPerServer says", async () => {
    const target = targetOf(a);
    newPool({ maxPerServer: 20 });
    const runs = Promise.all(Array.from({ length: 15 }, () => pool.exec(target, command('sleep', '0.1'))));
    expect(await peakInFlight(runs, target.id)).toBe(10);
    expect((await runs).map((run) => run.code)).toEqual(Array(15).fill(0));
  });

  it('runs at most maxGlobal commands at once across servers', async () => {
    newPool({ maxPerServer: 4, maxGlobal: 3 });
    const runs = Promise.all(
      [a, a, a, a, b, b, b, b].map((fixture) => pool.exec(targetOf(fixture), command('sleep', '0.1'))),
    );
    expect(await peakInFlight(runs)).toBe(3);
  });

  it('streams a large output with flow control', async () => {
    const size = 50_000_000;
    newPool();
    const remote = await pool.stream(targetOf(a), command('head', '-c', String(size), '/dev/zero'));
    remote.stderr.resume();
    const heapBefore = process.memoryUsage().heapUsed;
    let received = 0;
    let chunks = 0;
    let maxBuffered = 0;
    let maxHeapGrowth = 0;
    for await (const chunk of remote.stdout as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (++chunks % 400 === 0) {
        // A consumer slower than the network (a disk, restic): what piles up meanwhile is bounded by flow control.
        await new Promise((resolve) => setTimeout(resolve, 100));
        maxBuffered = Math.max(maxBuffered, remote.stdout.readableLength);
      }
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
    }
    expect(await remote.exit).toEqual({ code: 0, signal: null });
    expect(received).toBe(size);
    // Without flow control the server's 50 MB would pile up in the readable buffer.
    expect(maxBuffered).toBeLessThan(8 * 1024 * 1024);
    console.log(`[ssh] streamed ${size} bytes: at most ${maxBuffered} buffered, heap +${(maxHeapGrowth / 2 ** 20).toFixed(1)} MiB`);
    expect(pool.stats().inFlight).toEqual({});
  });

  it('cancels a stream: the remote command is killed and the slot freed', async () => {
    const target = targetOf(a);
    newPool();
    const remote = await pool.stream(target, command('sleep', '7.321'));
    remote.stdout.resume();
    remote.stderr.resume();
    expect(pool.stats().inFlight).toEqual({ [target.id]: 1 });
    remote.cancel();
    expect(await rejectionCode(remote.exit)).toBe('ssh_cancelled');
    await waitFor(() => pool.stats().inFlight[target.id] === undefined, 2_000);
    await expect(remotelyRunning('sleep 7[.]321')).resolves.toBe(false);
  });

  it('times out a command, kills it, and keeps the connection', async () => {
    const target = targetOf(a);
    newPool();
    await pool.exec(target, command('true'));
    const timedOut = pool.exec(target, command('sleep', '5.123'), { timeoutMs: 300 });
    await expect(timedOut).rejects.toMatchObject({
      code: 'ssh_exec_timeout',
      details: { serverId: target.id, host: a.host, port: a.port, timeoutMs: 300 },
    });
    await waitFor(() => pool.stats().inFlight[target.id] === undefined, 2_000);
    await expect(remotelyRunning('sleep 5[.]123')).resolves.toBe(false);
    expect((await pool.exec(target, command('echo', 'next'))).stdout).toBe('next\n');
    expect(pool.stats().connects).toEqual({ [target.id]: 1 });
  });

  it('refuses to collect more than maxOutputBytes, and keeps the connection', async () => {
    const target = targetOf(a);
    newPool({ maxOutputBytes: 1_000_000 });
    const tooLarge = pool.exec(target, command('head', '-c', '3000000', '/dev/zero'));
    await expect(tooLarge).rejects.toMatchObject({ code: 'ssh_output_too_large', details: { maxBytes: 1_000_000 } });
    expect((await pool.exec(target, command('head', '-c', '1000000', '/dev/zero'))).stdout).toHaveLength(1_000_000);
    expect(pool.stats().connects).toEqual({ [target.id]: 1 });
  });

  it('reconnects on the next command after its connection was closed', async () => {
    const target = targetOf(a);
    newPool();
    await pool.exec(target, command('true'));
    await pool.closeAll();
    expect(pool.stats().openConnections).toBe(0);
    expect((await pool.exec(target, command('echo', 'again'))).stdout).toBe('again\n');
    expect(pool.stats()).toMatchObject({ openConnections: 1, connects: { [target.id]: 2 } });
  });
});

/** Whether a process matching `pattern` runs (the fixtures' sshd runs on this machine). */
async function remotelyRunning(pattern: string): Promise<boolean> {
  try {
    await execFileAsync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}
