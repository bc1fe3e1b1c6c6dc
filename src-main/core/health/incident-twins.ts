// Two laptops offline can both see a service fail and each open an incident for it: once synced, the team holds two
// rows for one outage. They are twins when they have the same server, rule and subject and their times overlap (an
// unresolved one overlaps every later one). A group of twins is shown as one incident, named by its earliest row, so
// every laptop shows the same thing from the same rows, without writing anything to agree on.
import type { Incident } from '../../contract';

/** What makes two incidents twins. */
export interface Twin {
  id: string;
  serverId: string;
  ruleId: string;
  subject: string;
  openedAt: string;
  resolvedAt: string | null;
}

/** Groups incidents of one server, rule and subject whose times overlap; each group ordered by opening. */
export function twinGroups<T extends Twin>(incidents: readonly T[]): T[][] {
  const byKey = new Map<string, T[]>();
  for (const incident of incidents) {
    const key = `${incident.serverId}\0${incident.ruleId}\0${incident.subject}`;
    byKey.set(key, [...(byKey.get(key) ?? []), incident]);
  }
  const groups: T[][] = [];
  for (const rows of byKey.values()) {
    rows.sort(byOpening);
    let group: T[] = [];
    let end = '';
    for (const row of rows) {
      if (group.length > 0 && end !== OPEN && row.openedAt > end) {
        groups.push(group);
        group = [];
        end = '';
      }
      group.push(row);
      const rowEnd = row.resolvedAt ?? OPEN;
      if (rowEnd > end) end = rowEnd;
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/** Sorts after every ISO timestamp: an incident still going on. */
const OPEN = '\uffff';

const byOpening = (a: Twin, b: Twin): number => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The one incident a group of twins shows: the earliest's identity and cause; resolved when all are, acknowledged
 * when one still going on is (the first acknowledgement names who); one timeline.
 */
export function mergeTwins(group: readonly Incident[]): Incident {
  const [first, ...rest] = group;
  if (first === undefined) throw new Error('an empty group of twins');
  if (rest.length === 0) return first;
  const going = group.filter((i) => i.status !== 'resolved');
  const acknowledged = group.filter((i) => i.acknowledgedAt !== null).sort((a, b) => (a.acknowledgedAt ?? '').localeCompare(b.acknowledgedAt ?? ''))[0];
  const status: Incident['status'] = going.length === 0 ? 'resolved' : going.some((i) => i.status === 'acknowledged') ? 'acknowledged' : 'open';
  return {
    ...first,
    status,
    firstFailureAt: group.map((i) => i.firstFailureAt).sort()[0] ?? first.firstFailureAt,
    acknowledgedAt: acknowledged?.acknowledgedAt ?? null,
    acknowledgedBy: acknowledged?.acknowledgedBy ?? null,
    resolvedAt: status === 'resolved' ? (group.map((i) => i.resolvedAt ?? '').sort().at(-1) ?? null) : null,
    timeline: group.flatMap((i) => i.timeline).sort((a, b) => a.at.localeCompare(b.at)),
  };
}
