import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../core/core';
import { ServersService } from '../../core/health/servers-service';
import { IGNORE_MACHINE_LOAD, serverInput } from '../../core/health/health-test-fixtures';
import { freeLoopbackPort, startSshd, type SshdFixture } from '../../testing/sshd';
import { tempDataDir, testPlatform } from '../../testing/temp-core';
import { runCaptured } from '../../testing/cli-captured';

let fixture: SshdFixture;
let data: ReturnType<typeof tempDataDir>;
beforeAll(async () => {
  fixture = await startSshd();
  data = tempDataDir();
  const core = openCore({ dataDir: data.dir, platform: testPlatform() });
  const servers = new ServersService(core);
  const healthy = servers.create(serverInput(fixture, { name: 'healthy' }));
  servers.acceptHostKey(healthy.id, fixture.hostKeyFingerprint);
  servers.updateRules(healthy.id, IGNORE_MACHINE_LOAD);
  servers.create(serverInput({ ...fixture, port: await freeLoopbackPort() }, { name: 'closed' }));
  core.close();
});
afterAll(async () => {
  await fixture.stop();
  data.cleanup();
});

const cli = (args: string[]) => runCaptured(['--data-dir', data.dir, ...args]);

describe('pelote check', () => {
  it('sweeps every server, prints a line each, and exits 1 when one is unreachable', async () => {
    const all = await cli(['check']);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^red {4}closed \(127\.0\.0\.1\).*\n {2}unreachable: ssh_refused\n/m);
    expect(all.stdout).toMatch(/^green {2}healthy \(127\.0\.0\.1\) {2}cpu - {2}mem \d+% {2}disk \d+%$/m);
  });

  it('checks one server by name, as JSON, and exits 0 when it is healthy', async () => {
    const one = await cli(['check', '--server', 'HEALTHY', '--json']);
    expect(one.code).toBe(0);
    const [summary] = JSON.parse(one.stdout) as { name: string; colour: string; failing: unknown[] }[];
    expect(summary).toMatchObject({ name: 'healthy', colour: 'green', failing: [] });
  });

  it('reports an unknown server name', async () => {
    const missing = await cli(['check', '--server', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('pelote: No server named nope.\n');
  });
});
