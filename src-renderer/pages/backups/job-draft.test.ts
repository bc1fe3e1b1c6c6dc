import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupJob } from '../../../src-main/contract';
import { backupJobInputSchema } from '../../../src-main/contract/backups';
import { EMPTY_JOB_DRAFT, commandsToText, draftToInput, emptyDump, formatCommand, jobToDraft, parseCommand, splitLines, unbalancedLines } from './job-draft';
import { jobFieldMessages } from './job-validation';

const SERVER = 'a0000000-0000-4000-8000-000000000001';
const REPOSITORY = 'b0000000-0000-4000-8000-000000000002';

const job: BackupJob = {
  id: 'c0000000-0000-4000-8000-000000000003',
  name: 'Nextcloud',
  serverId: SERVER,
  repositoryId: REPOSITORY,
  paths: ['/var/www/nextcloud', '/etc/nginx'],
  excludes: ['*.log', 'var/www/nextcloud/data/*/cache/*'],
  dumps: [
    { kind: 'mysql', name: 'nextcloud', database: 'nextcloud', user: null, runAs: null },
    { kind: 'postgresql', name: 'pads', database: 'etherpad', user: 'etherpad', runAs: 'postgres' },
    { kind: 'sqlite', name: 'forms', path: '/var/lib/forms/db.sqlite', runAs: null },
  ],
  beforeCommands: [['sudo', '-u', 'www-data', 'php', 'occ', 'maintenance:mode', '--on']],
  afterCommands: [['sudo', '-u', 'www-data', 'php', 'occ', 'maintenance:mode', '--off']],
  afterRestoreCommands: [['sh', '-c', 'chown -R www-data: /var/www && systemctl restart php-fpm']],
  schedule: { kind: 'daily', at: '03:15' },
  retention: { keepLast: 2, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
  drill: { serverId: null, everyDays: 14 },
  createdAt: '2026-03-12T10:00:00.000Z',
  updatedAt: '2026-03-12T10:00:00.000Z',
};

const valid = { ...EMPTY_JOB_DRAFT, name: 'Site', serverId: SERVER, repositoryId: REPOSITORY, paths: '/var/www' };

describe('job draft', () => {
  it('gives back what the job holds, so editing without changes saves the same job', () => {
    const { id: _id, createdAt: _c, updatedAt: _u, ...expected } = job;
    expect(backupJobInputSchema.parse(draftToInput(jobToDraft(job)))).toEqual(expected);
  });

  it('reads one path or pattern per line, without blank lines', () => {
    expect(splitLines('  /var/www \n\n/etc/nginx\r\n ')).toEqual(['/var/www', '/etc/nginx']);
    expect(draftToInput({ ...valid, excludes: '*.log\n\n  tmp/*' }).excludes).toEqual(['*.log', 'tmp/*']);
  });

  it('has sensible defaults that pass the contract once a name, server, repository and path are given', () => {
    expect(backupJobInputSchema.safeParse(draftToInput(valid)).success).toBe(true);
    expect(draftToInput(valid).schedule).toEqual({ kind: 'daily', at: '02:30' });
  });

  it('turns schedules, empty drill settings and dumps into the contract', () => {
    const input = draftToInput({ ...valid, scheduleKind: 'interval', intervalHours: '6', drillEveryDays: '', drillServerId: '' });
    expect(input.schedule).toEqual({ kind: 'interval', hours: 6 });
    expect(input.drill).toEqual({ serverId: null, everyDays: null });
    expect(draftToInput({ ...valid, scheduleKind: 'manual' }).schedule).toEqual({ kind: 'manual' });
    const dump = { ...emptyDump('sqlite'), name: 'forms', path: ' /var/lib/f.db ', database: 'left over' };
    expect(draftToInput({ ...valid, dumps: [dump] }).dumps).toEqual([{ kind: 'sqlite', name: 'forms', path: '/var/lib/f.db', runAs: null }]);
  });
});

describe('commands typed one per line', () => {
  it('splits words on spaces and keeps quoted words whole', () => {
    expect(parseCommand('systemctl   restart nginx')).toEqual(['systemctl', 'restart', 'nginx']);
    expect(parseCommand(`sh -c 'cd /var/www && php occ maintenance:mode --on'`)).toEqual(['sh', '-c', 'cd /var/www && php occ maintenance:mode --on']);
    expect(parseCommand('echo "a \\"quoted\\" word" \'\' end')).toEqual(['echo', 'a "quoted" word', '', 'end']);
    expect(parseCommand('touch my\\ file')).toEqual(['touch', 'my file']);
    expect(parseCommand('echo $HOME | wc')).toEqual(['echo', '$HOME', '|', 'wc']);
  });

  it('points at lines with an open quote, which the form refuses', () => {
    expect(parseCommand("echo 'open")).toBeNull();
    expect(unbalancedLines("true\n\necho 'open\nls")).toEqual([2]);
    const input = draftToInput({ ...valid, beforeCommands: "echo 'open" });
    const check = backupJobInputSchema.safeParse(input);
    expect(check.success).toBe(false);
    expect(jobFieldMessages(check.error, input).beforeCommands).toEqual({ key: 'backups.validation.command', params: { line: 1 } });
  });

  it('writes any words back as a line that reads as the same words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '\\', '$', 'é', '\t', '-') }), { minLength: 1, maxLength: 6 }), (argv) => {
        expect(parseCommand(formatCommand(argv))).toEqual(argv);
      }),
    );
    expect(commandsToText([['php', 'occ'], ['sh', '-c', 'a && b']])).toBe("php occ\nsh -c 'a && b'");
  });
});

describe('job form messages', () => {
  const messages = (draft: typeof valid) => {
    const input = draftToInput(draft);
    return jobFieldMessages(backupJobInputSchema.safeParse(input).error, input);
  };

  it('names the path that is not absolute, and asks for something to back up', () => {
    expect(messages({ ...valid, paths: '/ok\nvar/www' }).paths).toEqual({ key: 'backups.validation.absolutePathItem', params: { value: 'var/www' } });
    expect(messages({ ...valid, paths: '/var/../etc' }).paths).toEqual({ key: 'backups.validation.noDotDot', params: { value: '/var/../etc' } });
    expect(messages({ ...valid, paths: '/ok\n/srv/-delete' }).paths).toEqual({ key: 'backups.validation.leadingDashItem', params: { value: '/srv/-delete' } });
    expect(messages({ ...valid, dumps: [{ ...emptyDump('sqlite'), name: 'app', path: '/srv/-x/app.db' }] })['dumps.0.path']).toEqual({ key: 'backups.validation.leadingDash' });
    expect(messages({ ...valid, paths: '' }).paths).toEqual({ key: 'backups.validation.nothingToBackUp' });
  });

  it('asks to pick a server and a repository, and explains names and numbers', () => {
    const all = messages({ ...EMPTY_JOB_DRAFT, paths: '/x', keepLast: 'three', intervalHours: '0', scheduleKind: 'interval', dumps: [{ ...emptyDump('mysql'), name: 'my dump', database: 'db' }] });
    expect(all.name).toEqual({ key: 'validation.required' });
    expect(all.serverId).toEqual({ key: 'backups.validation.pickServer' });
    expect(all.repositoryId).toEqual({ key: 'backups.validation.pickRepository' });
    expect(all['retention.keepLast']).toEqual({ key: 'backups.validation.wholeNumber' });
    expect(all['schedule.hours']).toEqual({ key: 'backups.validation.min', params: { min: 1 } });
    expect(all['dumps.0.name']).toEqual({ key: 'backups.validation.dumpName' });
    expect(messages({ ...valid, scheduleKind: 'daily', dailyAt: '25:00' })['schedule.at']).toEqual({ key: 'backups.validation.time' });
  });

  it('refuses two dumps with the same name', () => {
    const dump = { ...emptyDump('mysql'), name: 'db', database: 'db' };
    expect(messages({ ...valid, dumps: [dump, { ...dump, key: 'other', name: 'DB' }] }).dumps).toEqual({ key: 'backups.validation.dumpNamesDiffer' });
  });
});
