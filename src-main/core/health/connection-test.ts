// servers.testConnection: shows the host key's fingerprint first, and runs anything on the server only once that key
// is the pinned one or the one the user just confirmed seeing.
import type { ConnectionTest, Server } from '../../contract';
import type { Core } from '../core';
import { probeHostKey, script, SshPool } from '../ssh';
import { pinnedHostKeys } from './pool-for-core';
import { ServersService } from './servers-service';
import { sshTargetFor } from './ssh-target';

const TIMEOUT_MS = 8_000;

// Read-only and constant: the kernel, the distribution's name (never sourced: it is a file on the server), uptime.
const IDENTIFY = script(`uname -srm; echo; sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | head -n 1; echo; cut -d ' ' -f 1 /proc/uptime`);

export async function testConnection(
  core: Core,
  server: Pick<Server, 'host' | 'port' | 'username' | 'auth'>,
  serverId: string | null,
  trustFingerprint: string | null,
): Promise<ConnectionTest> {
  const id = serverId ?? 'connection-test';
  const fingerprint = await probeHostKey({ id, host: server.host, port: server.port }, { timeoutMs: TIMEOUT_MS });
  const pinned = serverId === null ? null : pinnedHostKeys(core).expected(serverId);
  const hostKey = pinned === null ? 'unknown' : pinned === fingerprint ? 'match' : 'changed';
  if (hostKey !== 'match' && trustFingerprint !== fingerprint) return { fingerprint, hostKey, os: null, uptimeSeconds: null };

  const sealed = serverId === null ? null : new ServersService(core).sealedPassphrase(serverId);
  const target = await sshTargetFor(core, { ...server, id }, sealed);
  // Its own pool, pinned to the fingerprint seen above: a key swapped in between is refused. Nothing is left open.
  const pool = new SshPool({ hostKeys: { expected: () => fingerprint }, connectTimeoutMs: TIMEOUT_MS, execTimeoutMs: TIMEOUT_MS });
  try {
    const { stdout } = await pool.exec(target, IDENTIFY);
    const [uname = '', pretty = '', uptime = ''] = stdout.split('\n\n').map((part) => part.trim());
    const name = pretty.replace(/^(["'])(.*)\1$/, '$2');
    const seconds = Number.parseFloat(uptime);
    return {
      fingerprint,
      hostKey,
      os: name === '' ? uname || null : `${name} (${uname})`,
      uptimeSeconds: Number.isFinite(seconds) ? Math.floor(seconds) : null,
    };
  } finally {
    await pool.closeAll();
  }
}
