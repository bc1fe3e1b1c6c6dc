import { openCore, type Core } from '../core/core';
import type { ModeFixed } from '../core/private-files';
import { nodePlatform } from './cli-platform';
import type { CliContext } from './io';

/** Says on stderr which files of the data directory other accounts could read until now. */
export function reportModesFixed(ctx: CliContext, fixed: ModeFixed[]): void {
  for (const { path, was } of fixed) {
    ctx.io.stderr(`pelote: ${path} was readable by other accounts on this computer (mode ${was}); it is now private to you.\n`);
  }
}

/** The CLI's and the browser host's core. */
export function openCliCore(ctx: CliContext, face: 'cli' | 'host'): Core {
  const core = openCore({ dataDir: ctx.dataDir, platform: nodePlatform(face) });
  reportModesFixed(ctx, core.modesFixed);
  return core;
}
