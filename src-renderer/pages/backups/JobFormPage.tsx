import { Plus, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DatabaseKind } from '../../../src-main/contract';
import { backupJobInputSchema } from '../../../src-main/contract/backups';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { FormField } from '../../components/members/FormField';
import { useBackupsStore } from '../../stores/backups-store';
import { useServersStore } from '../../stores/servers-store';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import type { DumpDraft, JobDraft, ScheduleKind } from './job-draft';
import { EMPTY_JOB_DRAFT, draftToInput, emptyDump, jobToDraft, unbalancedLines } from './job-draft';
import { jobFieldMessages } from './job-validation';

const DUMP_KINDS: DatabaseKind[] = ['postgresql', 'mysql', 'sqlite'];
const SCHEDULE_KINDS: ScheduleKind[] = ['daily', 'interval', 'manual'];
const RETENTION_FIELDS = ['keepLast', 'keepDaily', 'keepWeekly', 'keepMonthly'] as const;
const COMMAND_FIELDS = ['beforeCommands', 'afterCommands', 'afterRestoreCommands'] as const;

/** Where a draft field is checked in the contract's schema, when not at its own name. */
const SCHEMA_PATH: Partial<Record<keyof JobDraft, string>> = {
  dailyAt: 'schedule.at',
  intervalHours: 'schedule.hours',
  keepLast: 'retention.keepLast',
  keepDaily: 'retention.keepDaily',
  keepWeekly: 'retention.keepWeekly',
  keepMonthly: 'retention.keepMonthly',
  drillEveryDays: 'drill.everyDays',
  drillServerId: 'drill.serverId',
};

/** The one item of a list, when there is exactly one: nothing to choose. */
const onlyId = (list: { id: string }[] | null): string => (list?.length === 1 ? (list[0]?.id ?? '') : '');

/** Create (/backups/jobs/new, ?server= to preselect) or edit (/backups/jobs/:id/edit): a fresh form for each. */
export function JobFormPage() {
  const { id } = useParams();
  return <JobForm key={id ?? 'new'} id={id ?? null} />;
}

function JobForm({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const push = useToastStore((s) => s.push);
  const servers = useServersStore((s) => s.fleet);
  const loadFleet = useServersStore((s) => s.loadFleet);
  const repositories = useBackupsStore((s) => s.repositories);
  const loadRepositories = useBackupsStore((s) => s.loadRepositories);
  const [typed, setDraft] = useState<JobDraft | null>(id ? null : { ...EMPTY_JOB_DRAFT, serverId: search.get('server') ?? '' });
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [takenName, setTakenName] = useState<string | null>(null);

  useEffect(() => {
    void loadFleet();
    void loadRepositories();
  }, [loadFleet, loadRepositories]);

  useEffect(() => {
    if (!id) return;
    void call('backups.jobs.get', { id }).then((result) => {
      if (!result.ok) return toastError(result.error);
      setDraft(jobToDraft(result.value.job));
    });
  }, [id]);

  // A new job on the only server, into the only repository, until the user picks another.
  const draft: JobDraft | null =
    typed && !id ? { ...typed, serverId: typed.serverId || onlyId(servers), repositoryId: typed.repositoryId || onlyId(repositories) } : typed;

  if (!draft) return <div className="loading">{t('common.loading')}</div>;

  const input = draftToInput(draft);
  const check = backupJobInputSchema.safeParse(input);
  const messages = jobFieldMessages(check.error, input);
  for (const field of COMMAND_FIELDS) {
    const open = unbalancedLines(draft[field])[0];
    if (open !== undefined) messages[field] = { key: 'backups.validation.openQuote', params: { line: open } };
  }
  if (takenName !== null && draft.name.trim() === takenName) messages.name = { key: 'errors.backup_job_name_taken', params: { name: takenName } };
  const errorOf = (path: string): string | null => {
    const message = messages[path];
    return message && (submitted || touched.has(path)) ? t(message.key, message.params) : null;
  };
  const touch = (path: string) => setTouched((before) => new Set(before).add(path));

  function set<K extends keyof JobDraft>(key: K, value: JobDraft[K]) {
    if (draft) setDraft({ ...draft, [key]: value });
  }
  function setDump(index: number, patch: Partial<DumpDraft>) {
    if (draft) set('dumps', draft.dumps.map((dump, i) => (i === index ? { ...dump, ...patch } : dump)));
  }

  /** A text control bound to a draft field and validated at `path` in the contract's schema. */
  const bind = (field: keyof Omit<JobDraft, 'dumps'>, path: string = SCHEMA_PATH[field] ?? field) => ({
    id: `job-${field}`,
    value: draft[field],
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => touch(path),
    'aria-invalid': errorOf(path) !== null,
  });

  async function save() {
    setSubmitted(true);
    if (!check.success || Object.keys(messages).length > 0) return;
    setSaving(true);
    const result = id ? await call('backups.jobs.update', { id, job: check.data }) : await call('backups.jobs.create', { job: check.data });
    setSaving(false);
    if (!result.ok) {
      if (result.error.code === 'backup_job_name_taken') setTakenName(check.data.name.trim());
      else toastError(result.error);
      return;
    }
    push({ kind: 'success', title: t(id ? 'backups.jobForm.saved' : 'backups.jobForm.created', { name: result.value.name }) });
    void navigate(`/backups/jobs/${result.value.id}`);
  }

  const back = id ? `/backups/jobs/${id}` : '/backups';
  const valid = check.success && Object.keys(messages).length === 0;
  const dumpsError = errorOf('dumps');

  return (
    <div className="page job-form-page">
      <header className="page-header">
        <div>
          <BackLink to={back} label={t(id ? 'backups.jobForm.backToJob' : 'backups.backToOverview')} />
          <h1>{t(id ? 'backups.jobForm.editTitle' : 'backups.jobForm.newTitle')}</h1>
        </div>
      </header>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <section className="card">
          <h2 className="card-title">{t('backups.jobForm.general')}</h2>
          <div className="form-grid">
            <FormField id="job-name" label={t('backups.jobForm.name')} hint={t('backups.jobForm.nameHint')} error={errorOf('name')} wide>
              <input {...bind('name')} autoFocus={!id} />
            </FormField>
            <FormField id="job-serverId" label={t('backups.jobForm.server')} error={errorOf('serverId')}>
              <select {...bind('serverId')}>
                <option value="">{t('backups.jobForm.pickServer')}</option>
                {(servers ?? []).map((server) => (
                  <option key={server.id} value={server.id}>
                    {server.name}
                  </option>
                ))}
              </select>
              {servers?.length === 0 ? (
                <div className="field-hint">
                  <Link to="/servers/new">{t('backups.jobForm.noServers')}</Link>
                </div>
              ) : null}
            </FormField>
            <FormField id="job-repositoryId" label={t('backups.jobForm.repository')} error={errorOf('repositoryId')}>
              <select {...bind('repositoryId')}>
                <option value="">{t('backups.jobForm.pickRepository')}</option>
                {(repositories ?? []).map((repository) => (
                  <option key={repository.id} value={repository.id}>
                    {`${repository.name} — ${repository.path}`}
                  </option>
                ))}
              </select>
              {repositories?.length === 0 ? (
                <div className="field-hint">
                  <Link to="/backups">{t('backups.jobForm.noRepositories')}</Link>
                </div>
              ) : null}
            </FormField>
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('backups.jobForm.files')}</h2>
          <div className="form-grid">
            <FormField id="job-paths" label={t('backups.jobForm.paths')} hint={t('backups.jobForm.pathsHint')} error={errorOf('paths')}>
              <textarea {...bind('paths')} rows={4} spellCheck={false} className="mono" placeholder={t('backups.jobForm.pathsPlaceholder')} />
            </FormField>
            <FormField id="job-excludes" label={t('backups.jobForm.excludes')} hint={t('backups.jobForm.excludesHint')} error={errorOf('excludes')}>
              <textarea {...bind('excludes')} rows={4} spellCheck={false} className="mono" placeholder={t('backups.jobForm.excludesPlaceholder')} />
            </FormField>
          </div>
        </section>

        <section className="card">
          <div className="card-header">
            <div>
              <h2>{t('backups.jobForm.dumps')}</h2>
              <div className="card-subtitle">{t('backups.jobForm.dumpsHint')}</div>
            </div>
            <button className="button small" type="button" onClick={() => set('dumps', [...draft.dumps, emptyDump()])} data-testid="dump-add">
              <Plus size={14} />
              {t('backups.jobForm.addDump')}
            </button>
          </div>
          {draft.dumps.length === 0 ? <p className="muted">{t('backups.jobForm.noDumps')}</p> : null}
          {dumpsError ? (
            <div className="field-error" data-testid="error-job-dumps">
              {dumpsError}
            </div>
          ) : null}
          <div className="service-rows">
            {draft.dumps.map((dump, index) => {
              const path = (field: string) => `dumps.${index}.${field}`;
              const field = (name: 'name' | 'database' | 'path' | 'user' | 'runAs') => ({
                id: `dump-${index}-${name}`,
                value: dump[name],
                onChange: (e: { target: { value: string } }) => setDump(index, { [name]: e.target.value }),
                onBlur: () => touch(path(name)),
                'aria-invalid': errorOf(path(name)) !== null,
                spellCheck: false,
              });
              return (
                <fieldset key={dump.key} className="service-row dump-row" data-testid="dump-row">
                  <legend className="sr-only">{t('backups.jobForm.dumpNumber', { number: index + 1 })}</legend>
                  <FormField id={`dump-${index}-kind`} label={t('backups.dump.kind')}>
                    <select id={`dump-${index}-kind`} value={dump.kind} onChange={(e) => setDump(index, { kind: DUMP_KINDS.find((kind) => kind === e.target.value) ?? 'postgresql' })}>
                      {DUMP_KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`backups.dump.kinds.${kind}`)}
                        </option>
                      ))}
                    </select>
                  </FormField>
                  <FormField id={`dump-${index}-name`} label={t('backups.dump.name')} hint={t('backups.dump.nameHint')} error={errorOf(path('name'))}>
                    <input {...field('name')} />
                  </FormField>
                  {dump.kind === 'sqlite' ? (
                    <FormField id={`dump-${index}-path`} label={t('backups.dump.path')} error={errorOf(path('path'))}>
                      <input {...field('path')} className="mono" />
                    </FormField>
                  ) : (
                    <FormField id={`dump-${index}-database`} label={t('backups.dump.database')} error={errorOf(path('database'))}>
                      <input {...field('database')} />
                    </FormField>
                  )}
                  {dump.kind === 'sqlite' ? (
                    <div />
                  ) : (
                    <FormField id={`dump-${index}-user`} label={t('backups.dump.user')} hint={t('backups.dump.userHint')} error={errorOf(path('user'))}>
                      <input {...field('user')} />
                    </FormField>
                  )}
                  <FormField id={`dump-${index}-runAs`} label={t('backups.dump.runAs')} hint={t('backups.dump.runAsHint')} error={errorOf(path('runAs'))}>
                    <input {...field('runAs')} />
                  </FormField>
                  <div className="service-remove">
                    <button className="button small danger-outline" type="button" onClick={() => set('dumps', draft.dumps.filter((_, i) => i !== index))} data-testid="dump-remove">
                      <Trash2 size={14} />
                      {t('backups.jobForm.removeDump')}
                    </button>
                  </div>
                </fieldset>
              );
            })}
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('backups.jobForm.commands')}</h2>
          <p className="field-hint commands-hint">{t('backups.jobForm.commandsHint')}</p>
          <div className="form-grid form-grid-3">
            {COMMAND_FIELDS.map((field) => (
              <FormField key={field} id={`job-${field}`} label={t(`backups.jobForm.${field}`)} hint={t(`backups.jobForm.${field}Hint`)} error={errorOf(field)}>
                <textarea {...bind(field)} rows={3} spellCheck={false} className="mono" placeholder={t(`backups.jobForm.${field}Placeholder`)} />
              </FormField>
            ))}
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('backups.jobForm.scheduleTitle')}</h2>
          <div className="form-grid">
            <FormField id="job-scheduleKind" label={t('backups.jobForm.schedule')}>
              <select id="job-scheduleKind" value={draft.scheduleKind} onChange={(e) => set('scheduleKind', SCHEDULE_KINDS.find((kind) => kind === e.target.value) ?? 'manual')}>
                {SCHEDULE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`backups.jobForm.scheduleKinds.${kind}`)}
                  </option>
                ))}
              </select>
            </FormField>
            {draft.scheduleKind === 'daily' ? (
              <FormField id="job-dailyAt" label={t('backups.jobForm.dailyAt')} hint={t('backups.jobForm.dailyAtHint')} error={errorOf('schedule.at')}>
                <input {...bind('dailyAt')} type="time" />
              </FormField>
            ) : draft.scheduleKind === 'interval' ? (
              <FormField id="job-intervalHours" label={t('backups.jobForm.intervalHours')} error={errorOf('schedule.hours')}>
                <input {...bind('intervalHours')} inputMode="numeric" />
              </FormField>
            ) : (
              <div className="field-hint field-note">{t('backups.jobForm.manualHint')}</div>
            )}
          </div>
          <h3 className="subsection-title">{t('backups.jobForm.retention')}</h3>
          <p className="field-hint">{t('backups.jobForm.retentionHint')}</p>
          <div className="form-grid retention-grid">
            {RETENTION_FIELDS.map((field) => (
              <FormField key={field} id={`job-${field}`} label={t(`backups.retention.${field}`)} error={errorOf(`retention.${field}`)}>
                <input {...bind(field)} inputMode="numeric" />
              </FormField>
            ))}
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('backups.jobForm.drill')}</h2>
          <p className="field-hint">{t('backups.jobForm.drillHint')}</p>
          <div className="form-grid">
            <FormField id="job-drillEveryDays" label={t('backups.jobForm.drillEveryDays')} hint={t('backups.jobForm.drillEveryDaysHint')} error={errorOf('drill.everyDays')}>
              <input {...bind('drillEveryDays')} inputMode="numeric" />
            </FormField>
            <FormField id="job-drillServerId" label={t('backups.jobForm.drillServer')} error={errorOf('drill.serverId')}>
              <select {...bind('drillServerId')}>
                <option value="">{t('backups.jobForm.drillSameServer')}</option>
                {(servers ?? [])
                  .filter((server) => server.id !== draft.serverId)
                  .map((server) => (
                    <option key={server.id} value={server.id}>
                      {server.name}
                    </option>
                  ))}
              </select>
            </FormField>
          </div>
        </section>

        <div className="actions">
          <Link className="button" to={back}>
            {t('common.cancel')}
          </Link>
          <button className="button primary" type="submit" disabled={saving || (submitted && !valid)} data-testid="job-save">
            {t(id ? 'common.save' : 'backups.jobForm.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
