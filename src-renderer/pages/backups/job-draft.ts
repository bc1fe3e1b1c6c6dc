import type { BackupJob, BackupJobInput, DatabaseDump, DatabaseKind, HookCommand } from '../../../src-main/contract';

/** One database dump as typed; the fields a kind does not use are kept while the user switches kinds. */
export interface DumpDraft {
  /** React key: stable while rows are added and removed. */
  key: string;
  kind: DatabaseKind;
  name: string;
  /** mysql, postgresql */
  database: string;
  /** sqlite */
  path: string;
  /** mysql, postgresql: the client's --user (empty: the server's default). */
  user: string;
  /** Runs the client through `sudo -n -u USER` (empty: as the SSH user). */
  runAs: string;
}

export type ScheduleKind = 'manual' | 'daily' | 'interval';

/** The job form as typed: lists are one item per line, numbers stay text until the form is checked. */
export interface JobDraft {
  name: string;
  serverId: string;
  repositoryId: string;
  paths: string;
  excludes: string;
  dumps: DumpDraft[];
  beforeCommands: string;
  afterCommands: string;
  afterRestoreCommands: string;
  scheduleKind: ScheduleKind;
  dailyAt: string;
  intervalHours: string;
  keepLast: string;
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
  /** Empty: no scheduled drills (a drill can still be run by hand). */
  drillEveryDays: string;
  /** Empty: the job's own server. */
  drillServerId: string;
}

let nextKey = 1;
const rowKey = () => `dump-${nextKey++}`;

export const EMPTY_JOB_DRAFT: JobDraft = {
  name: '',
  serverId: '',
  repositoryId: '',
  paths: '',
  excludes: '',
  dumps: [],
  beforeCommands: '',
  afterCommands: '',
  afterRestoreCommands: '',
  scheduleKind: 'daily',
  dailyAt: '02:30',
  intervalHours: '6',
  keepLast: '3',
  keepDaily: '7',
  keepWeekly: '4',
  keepMonthly: '6',
  drillEveryDays: '7',
  drillServerId: '',
};

export const emptyDump = (kind: DatabaseKind = 'postgresql'): DumpDraft => ({ key: rowKey(), kind, name: '', database: '', path: '', user: '', runAs: '' });

/** The non-blank lines of a text area, trimmed. */
export const splitLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * One command line → its words (argv), the way a volunteer would type it: words are separated by spaces; a word with
 * spaces goes in 'single' or "double" quotes; inside double quotes and outside quotes, a backslash keeps the next
 * character as it is. Nothing else is special: no variables, no pipes (write `sh -c '…'` for those).
 * Null when a quote is left open.
 */
export function parseCommand(line: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && i + 1 < line.length) word += line.charAt(++i);
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      word += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== null) return null;
  if (inWord) words.push(word);
  return words;
}

/** The words of a command as one line that `parseCommand` reads back into the same words. */
export function formatCommand(argv: readonly string[]): string {
  return argv
    .map((word) => {
      if (word !== '' && !/[\s'"\\]/.test(word)) return word;
      if (!word.includes("'")) return `'${word}'`;
      return `"${word.replace(/["\\]/g, (char) => `\\${char}`)}"`;
    })
    .join(' ');
}

export const commandsToText = (commands: readonly HookCommand[]): string => commands.map(formatCommand).join('\n');

/** The 1-based numbers of the lines whose quotes are left open: the form points at them. */
export function unbalancedLines(text: string): number[] {
  return splitLines(text).flatMap((line, index) => (parseCommand(line) === null ? [index + 1] : []));
}

/** Each line a command; a line with an open quote becomes an empty command, which the schema refuses. */
const textToCommands = (text: string): string[][] => splitLines(text).map((line) => parseCommand(line) ?? []);

/** Empty is "not given"; anything else must read as a number (NaN is refused by the schema). */
const number = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));
const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim()));
const textOrNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

function dumpToInput(dump: DumpDraft): DatabaseDump {
  const runAs = textOrNull(dump.runAs);
  if (dump.kind === 'sqlite') return { kind: 'sqlite', name: dump.name.trim(), path: dump.path.trim(), runAs };
  return { kind: dump.kind, name: dump.name.trim(), database: dump.database.trim(), user: textOrNull(dump.user), runAs };
}

export function draftToInput(draft: JobDraft): BackupJobInput {
  return {
    name: draft.name,
    serverId: draft.serverId,
    repositoryId: draft.repositoryId,
    paths: splitLines(draft.paths),
    excludes: splitLines(draft.excludes),
    dumps: draft.dumps.map(dumpToInput),
    beforeCommands: textToCommands(draft.beforeCommands),
    afterCommands: textToCommands(draft.afterCommands),
    afterRestoreCommands: textToCommands(draft.afterRestoreCommands),
    schedule:
      draft.scheduleKind === 'daily'
        ? { kind: 'daily', at: draft.dailyAt.trim() }
        : draft.scheduleKind === 'interval'
          ? { kind: 'interval', hours: number(draft.intervalHours) }
          : { kind: 'manual' },
    retention: {
      keepLast: number(draft.keepLast),
      keepDaily: number(draft.keepDaily),
      keepWeekly: number(draft.keepWeekly),
      keepMonthly: number(draft.keepMonthly),
    },
    drill: { serverId: textOrNull(draft.drillServerId), everyDays: numberOrNull(draft.drillEveryDays) },
  };
}

export function jobToDraft(job: BackupJob): JobDraft {
  const { schedule, retention, drill } = job;
  return {
    ...EMPTY_JOB_DRAFT,
    name: job.name,
    serverId: job.serverId,
    repositoryId: job.repositoryId,
    paths: job.paths.join('\n'),
    excludes: job.excludes.join('\n'),
    dumps: job.dumps.map((dump) => ({
      ...emptyDump(dump.kind),
      name: dump.name,
      database: dump.kind === 'sqlite' ? '' : dump.database,
      path: dump.kind === 'sqlite' ? dump.path : '',
      user: dump.kind === 'sqlite' ? '' : (dump.user ?? ''),
      runAs: dump.runAs ?? '',
    })),
    beforeCommands: commandsToText(job.beforeCommands),
    afterCommands: commandsToText(job.afterCommands),
    afterRestoreCommands: commandsToText(job.afterRestoreCommands),
    scheduleKind: schedule.kind,
    dailyAt: schedule.kind === 'daily' ? schedule.at : EMPTY_JOB_DRAFT.dailyAt,
    intervalHours: schedule.kind === 'interval' ? String(schedule.hours) : EMPTY_JOB_DRAFT.intervalHours,
    keepLast: String(retention.keepLast),
    keepDaily: String(retention.keepDaily),
    keepWeekly: String(retention.keepWeekly),
    keepMonthly: String(retention.keepMonthly),
    drillEveryDays: drill.everyDays === null ? '' : String(drill.everyDays),
    drillServerId: drill.serverId ?? '',
  };
}
