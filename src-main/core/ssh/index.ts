export { probeHostKey } from './connection';
export { fingerprintOf, type HostKeyPolicy } from './host-key';
export type { RemoteExit, RemoteProcess } from './remote-process';
export { command, quote, script, type RemoteCommand } from './shell-quote';
export type { SshErrorCode } from './ssh-errors';
export {
  SshPool,
  type ExecOptions,
  type ExecResult,
  type SshPoolOptions,
  type SshPoolStats,
  type StreamOptions,
} from './ssh-pool';
export type { ServerRef, SshAuth, SshTarget } from './target';
