import type { CheckState, ServerSummary } from '../../contract';
import { checkStates } from '../../core/health/check-states';
import { closePoolFor, poolFor } from '../../core/health/pool-for-core';
import { ServersService } from '../../core/health/servers-service';
import { lastJudged } from '../../core/health/summary';
import { sweepServers } from '../../core/health/sweep';
import { openCliCore } from '../open-cli-core';
import { serverNamed } from './by-name';
import type { CliContext } from '../io';
import { output } from '../io';

interface Checked extends ServerSummary {
  failing: CheckState[];
}

const percent = (label: string, value: number | null): string => `${label} ${value === null ? '-' : `${Math.round(value)}%`}`;

/** A server of the team this computer has no login for yet: not swept here, and not a failure of a sweep of all. */
const notHere = (s: ServerSummary): boolean => s.lastError?.code === 'server_key_missing_here';

function describeServer(s: Checked): string {
  const head = `${s.colour.padEnd(5)}  ${s.name} (${s.host})  ${[percent('cpu', s.cpuPercent), percent('mem', s.memoryPercent), percent('disk', s.diskPercent)].join('  ')}`;
  const error = s.lastError === null ? [] : notHere(s) ? [`  not checked from this computer: set your own SSH key for it (${s.lastError.code})`] : [`  unreachable: ${s.lastError.code}`];
  const checks = s.failing
    .filter((c) => c.ruleId !== 'server_unreachable')
    .map((c) => `  failing: ${c.ruleId}${c.errorCode === null ? '' : ` ${c.errorCode}`} ${JSON.stringify(c.value)}`);
  return [head, ...error, ...checks].join('\n');
}

/**
 * `check [--server NAME]`: one sweep of one server or all, through the same code as the app's scheduler. Exits 1 when
 * a server is unreachable or any check fails (fired or not yet), 0 otherwise; a server of the team this computer has
 * no key for yet is listed, and only fails the command when named. Passphrases come from the environment
 * variable or file each server names.
 */
export async function checkCommand(ctx: CliContext, serverName: string | undefined): Promise<number> {
  const core = openCliCore(ctx, 'cli');
  try {
    let serverId: string | null = null;
    if (serverName !== undefined) {
      serverId = serverNamed(new ServersService(core).list(), serverName).id;
    }
    const summaries = await sweepServers(core, poolFor(core), serverId);
    const checked: Checked[] = summaries.map((s) => ({
      ...s,
      failing: checkStates(core, s.id, lastJudged(core, s.id)).filter((c) => c.state === 'failing'),
    }));
    output(ctx, checked, () => (checked.length === 0 ? 'No servers.' : checked.map(describeServer).join('\n')));
    return checked.some((s) => (s.lastError !== null && (serverId !== null || !notHere(s))) || s.failing.length > 0) ? 1 : 0;
  } finally {
    await closePoolFor(core);
    core.close();
  }
}
