// An SFTP session on the sshd fixture, host key pinned, opened with ssh2 directly: the folder layer's tests stay
// below the pool (the pool's own SFTP is tested in ssh/ssh-pool-sftp.test.ts).
import net from 'node:net';
import { Client, type SFTPWrapper } from 'ssh2';
import { fingerprintOf } from '../../../ssh/host-key';
import type { SshdFixture } from '../../../../testing/sshd';

export interface SftpSession {
  sftp: SFTPWrapper;
  client: Client;
  close(): void;
}

export function openSftp(fixture: SshdFixture): Promise<SftpSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('error', reject);
    client.once('ready', () => {
      client.sftp((err, sftp) => {
        if (err !== undefined) return reject(err);
        client.off('error', reject);
        client.on('error', () => undefined); // a test that kills the connection hears about it through SFTP
        resolve({ sftp, client, close: () => client.end() });
      });
    });
    client.connect({
      sock: net.connect({ host: fixture.host, port: fixture.port, noDelay: true }),
      username: fixture.username,
      privateKey: fixture.privateKey,
      hostVerifier: (key: Buffer) => fingerprintOf(key) === fixture.hostKeyFingerprint,
      readyTimeout: 5_000,
    });
  });
}

/** Runs an SFTP call as a promise, for test setup. */
export function sftpCall<T = undefined>(start: (done: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}
