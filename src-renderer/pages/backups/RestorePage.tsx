import { AlertTriangle, ArrowLeft, ArrowRight, RotateCcw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ApiError, BackupRunSummary, BackupSnapshot, RestorePlan, RestoreTarget } from '../../../src-main/contract';
import { absolutePath } from '../../../src-main/contract/backups';
import { call } from '../../api/client';
import { errorMessage, toastError } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { groupSnapshots, restoreConfirmation } from '../../components/backups/format';
import { RunView } from '../../components/backups/RunView';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { FormField } from '../../components/members/FormField';
import { formatDateTime } from '../../components/members/format';
import { formatBytes } from '../../components/metrics/units';
import { HealthDot } from '../../components/servers/indicators';
import { useBackupsStore } from '../../stores/backups-store';
import { useServersStore } from '../../stores/servers-store';
import '../../styles/members.css';
import '../../styles/dues.css';
import '../../styles/servers.css';
import '../../styles/backups.css';
import { commandsToText } from './job-draft';
import { SnapshotKind } from './SnapshotsTable';

const STEPS = ['snapshots', 'target', 'plan', 'run'] as const;
type Step = (typeof STEPS)[number];

function Steps({ step }: { step: Step }) {
  const { t } = useTranslation();
  const current = STEPS.indexOf(step);
  return (
    <ol className="wizard-steps" data-testid="restore-steps">
      {STEPS.map((name, index) => (
        <li key={name} className={index === current ? 'current' : index < current ? 'done' : undefined} aria-current={index === current ? 'step' : undefined}>
          <span className="wizard-step-number">{index + 1}</span>
          {t(`backups.restore.steps.${name}`)}
        </li>
      ))}
    </ol>
  );
}

/**
 * Restore: snapshots → target server (any in the inventory, including one never backed up) → original paths or a
 * directory → the plan (what will be written, what exists) → a confirmation naming the server and the paths when
 * anything is overwritten → progress → verified or not, with the target's health.
 */
export function RestorePage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const [search] = useSearchParams();
  const servers = useServersStore((s) => s.fleet);
  const loadFleet = useServersStore((s) => s.loadFleet);
  const repositories = useBackupsStore((s) => s.repositories);
  const loadRepositories = useBackupsStore((s) => s.loadRepositories);

  const jobId = search.get('job');
  const fixedRepository = search.get('repository') !== null;
  const [repositoryId, setRepositoryId] = useState(search.get('repository') ?? '');
  const [snapshots, setSnapshots] = useState<BackupSnapshot[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set((search.get('snapshots') ?? '').split(',').filter(Boolean)));
  const [step, setStep] = useState<Step>('snapshots');
  const [picked, setServerId] = useState<string | null>(null);
  const [targetKind, setTargetKind] = useState<RestoreTarget['kind']>('directory');
  const [directory, setDirectory] = useState('');
  const [directoryTouched, setDirectoryTouched] = useState(false);
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [planError, setPlanError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [starting, setStarting] = useState(false);
  const [run, setRun] = useState<BackupRunSummary | null>(null);

  useEffect(() => {
    void loadFleet();
    void loadRepositories();
  }, [loadFleet, loadRepositories]);

  useEffect(() => {
    if (!repositoryId) return;
    let current = true;
    void call('backups.snapshots.list', { repositoryId, jobId }).then((result) => {
      if (!current) return;
      const list = result.ok ? result.value : [];
      setSnapshots(list);
      if (!result.ok) toastError(result.error);
      // Nothing asked for: the latest backup, files and dumps together.
      setSelected((before) => (before.size > 0 ? before : new Set(groupSnapshots(list)[0]?.snapshots.map((s) => s.id) ?? [])));
    });
    return () => {
      current = false;
    };
  }, [repositoryId, jobId]);

  const chosen = (snapshots ?? []).filter((s) => selected.has(s.id));
  // The same server by default (where the chosen snapshots came from), until the user picks one.
  const origin = chosen[0]?.serverId ?? null;
  const serverId = picked ?? (servers?.some((s) => s.id === origin) ? (origin ?? '') : '');

  const target: RestoreTarget = targetKind === 'original' ? { kind: 'original' } : { kind: 'directory', path: directory.trim() };
  const directoryCheck = absolutePath.safeParse(directory);
  const leadingDash = directoryCheck.error?.issues.some((issue) => issue.code === 'custom' && issue.params?.rule === 'leadingDash') === true;
  const directoryError = targetKind === 'directory' && directoryTouched && !directoryCheck.success ? t(leadingDash ? 'backups.validation.leadingDash' : 'backups.validation.absolutePath') : null;
  const targetReady = serverId !== '' && (targetKind === 'original' || directoryCheck.success);
  const server = servers?.find((s) => s.id === serverId) ?? null;
  const back = jobId ? `/backups/jobs/${jobId}` : '/backups';
  const args = { repositoryId, snapshotIds: chosen.map((s) => s.id), serverId, target };

  async function makePlan() {
    setPlan(null);
    setPlanError(null);
    setStep('plan');
    const result = await call('backups.restore.plan', args);
    if (result.ok) setPlan(result.value);
    else setPlanError(result.error);
  }

  async function start(confirm: { serverId: string; paths: string[] } | null) {
    setStarting(true);
    const result = await call('backups.restore.start', { ...args, confirm });
    setStarting(false);
    setConfirming(false);
    if (!result.ok) {
      // What exists on the target changed since the plan: show the new plan, to be confirmed again.
      if (result.error.code === 'restore_confirmation_required') await makePlan();
      setPlanError(result.error);
      return;
    }
    useBackupsStore.setState((s) => ({ running: [...(s.running ?? []), result.value] }));
    setRun(result.value);
    setStep('run');
  }

  /** One files snapshot per restore, one snapshot per database: choosing one lets go of the other of its kind. */
  function toggle(snapshot: BackupSnapshot) {
    const next = new Set(selected);
    if (next.has(snapshot.id)) next.delete(snapshot.id);
    else {
      for (const other of snapshots ?? []) {
        const sameKind = other.kind === snapshot.kind && (snapshot.kind !== 'dump' || other.dumpName === snapshot.dumpName);
        if (sameKind) next.delete(other.id);
      }
      next.add(snapshot.id);
    }
    setSelected(next);
  }

  return (
    <div className="page restore-page">
      <header className="page-header">
        <div>
          <BackLink to={back} label={t(jobId ? 'backups.jobForm.backToJob' : 'backups.backToOverview')} />
          <h1>{t('backups.restore.title')}</h1>
          <div className="page-subtitle">{t('backups.restore.subtitle')}</div>
        </div>
      </header>
      <Steps step={step} />

      {step === 'snapshots' ? (
        <section className="card" data-testid="restore-snapshots">
          <h2 className="card-title">{t('backups.restore.pickSnapshots')}</h2>
          {!fixedRepository ? (
            <div className="form-grid">
              <FormField id="restore-repository" label={t('backups.jobForm.repository')}>
                <select
                  id="restore-repository"
                  value={repositoryId}
                  onChange={(e) => {
                    setRepositoryId(e.target.value);
                    setSelected(new Set());
                    setSnapshots(null);
                  }}
                >
                  <option value="">{t('backups.jobForm.pickRepository')}</option>
                  {(repositories ?? []).map((repository) => (
                    <option key={repository.id} value={repository.id}>
                      {repository.name}
                    </option>
                  ))}
                </select>
              </FormField>
            </div>
          ) : null}
          {repositoryId === '' ? null : snapshots === null ? (
            <p className="muted">{t('common.loading')}</p>
          ) : snapshots.length === 0 ? (
            <p className="muted">{t('backups.snapshots.empty')}</p>
          ) : (
            <div className="snapshot-groups">
              {groupSnapshots(snapshots).map((group) => (
                <div key={group.key} className="snapshot-group" data-testid="restore-group">
                  <div className="snapshot-group-head">
                    <span className="strong">{formatDateTime(group.time, language)}</span>
                    <span className="muted">{[group.jobName, group.serverName ?? group.hostname].filter(Boolean).join(' · ')}</span>
                    {group.size !== null ? <span className="muted">{formatBytes(group.size, language)}</span> : null}
                    <button className="link-button" type="button" onClick={() => setSelected(new Set(group.snapshots.map((s) => s.id)))} data-testid="restore-group-only">
                      {t('backups.restore.onlyThis')}
                    </button>
                  </div>
                  <ul className="snapshot-choices">
                    {group.snapshots.map((snapshot) => (
                      <li key={snapshot.id}>
                        <label className="check">
                          <input type="checkbox" checked={selected.has(snapshot.id)} onChange={() => toggle(snapshot)} data-testid="restore-snapshot" data-id={snapshot.id} />
                          <SnapshotKind snapshot={snapshot} />
                          <span className="muted mono">{snapshot.shortId}</span>
                          {snapshot.size !== null ? <span className="muted">{formatBytes(snapshot.size, language)}</span> : null}
                          {!snapshot.hasManifest ? <span className="tag tag-warning">{t('backups.restore.noManifest')}</span> : null}
                        </label>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          )}
          <div className="actions wizard-actions">
            <span className="muted wizard-count">{t('backups.restore.selected', { count: chosen.length })}</span>
            <button className="button primary" type="button" disabled={chosen.length === 0} onClick={() => setStep('target')} data-testid="restore-next">
              {t('backups.restore.next')}
              <ArrowRight size={16} />
            </button>
          </div>
        </section>
      ) : null}

      {step === 'target' ? (
        <section className="card" data-testid="restore-target">
          <h2 className="card-title">{t('backups.restore.pickTarget')}</h2>
          <div className="form-grid">
            <FormField id="restore-server" label={t('backups.restore.server')} hint={t('backups.restore.serverHint')} wide>
              <select id="restore-server" value={serverId} onChange={(e) => setServerId(e.target.value)}>
                <option value="">{t('backups.jobForm.pickServer')}</option>
                {(servers ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id === chosen[0]?.serverId ? t('backups.restore.sameServer', { name: s.name }) : s.name}
                  </option>
                ))}
              </select>
            </FormField>
            <fieldset className="field field-wide target-kinds">
              <legend>{t('backups.restore.where')}</legend>
              <label className="choice">
                <input type="radio" name="target-kind" checked={targetKind === 'directory'} onChange={() => setTargetKind('directory')} data-testid="restore-kind-directory" />
                <span>
                  <span className="choice-title">{t('backups.restore.directory')}</span>
                  <span className="field-hint">{t('backups.restore.directoryHint')}</span>
                </span>
              </label>
              <label className="choice">
                <input type="radio" name="target-kind" checked={targetKind === 'original'} onChange={() => setTargetKind('original')} data-testid="restore-kind-original" />
                <span>
                  <span className="choice-title">{t('backups.restore.originalPaths')}</span>
                  <span className="field-hint">{t('backups.restore.originalHint')}</span>
                </span>
              </label>
            </fieldset>
            {targetKind === 'directory' ? (
              <FormField id="restore-directory" label={t('backups.restore.directoryPath')} error={directoryError} wide>
                <input
                  id="restore-directory"
                  value={directory}
                  onChange={(e) => setDirectory(e.target.value)}
                  onBlur={() => setDirectoryTouched(true)}
                  spellCheck={false}
                  className="mono"
                  placeholder={t('backups.restore.directoryPlaceholder')}
                  aria-invalid={directoryError !== null}
                />
              </FormField>
            ) : null}
          </div>
          <div className="actions wizard-actions">
            <button className="button" type="button" onClick={() => setStep('snapshots')}>
              <ArrowLeft size={16} />
              {t('backups.restore.back')}
            </button>
            <button
              className="button primary"
              type="button"
              disabled={!targetReady}
              onClick={() => {
                setDirectoryTouched(true);
                void makePlan();
              }}
              data-testid="restore-plan"
            >
              {t('backups.restore.showPlan')}
              <ArrowRight size={16} />
            </button>
          </div>
        </section>
      ) : null}

      {step === 'plan' ? (
        <section className="card" data-testid="restore-plan-card">
          <h2 className="card-title">{t('backups.restore.planTitle')}</h2>
          {planError ? (
            <div className="test-result test-failed" role="alert" data-testid="restore-plan-error">
              {errorMessage(planError)}
            </div>
          ) : null}
          {plan ? (
            <>
              <p className="plan-server">
                {server ? <HealthDot colour={server.colour} /> : null}
                <span>{t(plan.target.kind === 'directory' ? 'backups.restore.planIntoDirectory' : 'backups.restore.planOriginal', { server: plan.serverName, path: plan.target.kind === 'directory' ? plan.target.path : '' })}</span>
              </p>
              <div className="table-wrap">
                <table className="data-table plan-table" data-testid="restore-writes">
                  <thead>
                    <tr>
                      <th>{t('backups.restore.writes')}</th>
                      <th>{t('backups.restore.writeKind')}</th>
                      <th>{t('backups.restore.onTarget')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.writes.map((write) => (
                      <tr key={write.name} data-testid="restore-write" data-exists={write.exists}>
                        <td className="mono">{write.name}</td>
                        <td>{t(`backups.restore.writeKinds.${write.kind}`)}</td>
                        <td>
                          {write.exists ? <span className="check-badge write-exists">{t('backups.restore.exists')}</span> : <span className="check-badge write-new">{t('backups.restore.new')}</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {plan.notWritable.length > 0 ? (
                <div className="notice danger" role="alert" data-testid="restore-not-writable">
                  <AlertTriangle size={16} className="notice-icon" aria-hidden />
                  <div className="notice-body">
                    <div className="notice-title">{t('backups.restore.notWritableTitle', { server: plan.serverName })}</div>
                    <p className="notice-text mono">{plan.notWritable.join(', ')}</p>
                  </div>
                </div>
              ) : null}
              {plan.overwrites.length > 0 ? (
                <div className="notice warning" data-testid="restore-overwrites">
                  <AlertTriangle size={16} className="notice-icon" aria-hidden />
                  <div className="notice-body">
                    <div className="notice-title">{t('backups.restore.overwriteTitle', { count: plan.overwrites.length, server: plan.serverName })}</div>
                    <p className="notice-text">{t('backups.restore.overwriteText')}</p>
                  </div>
                </div>
              ) : null}
              <dl className="facts plan-facts">
                <dt>{t('backups.jobForm.afterRestoreCommands')}</dt>
                <dd className={plan.afterRestoreCommands.length === 0 ? 'plain' : undefined}>
                  {plan.afterRestoreCommands.length === 0 ? t('backups.job.none') : <span className="pre">{commandsToText(plan.afterRestoreCommands)}</span>}
                </dd>
                <dt>{t('backups.outcome.verification')}</dt>
                <dd className="plain">{t(`backups.restore.verificationPlan.${plan.verification}`)}</dd>
              </dl>
            </>
          ) : planError ? null : (
            <p className="muted">{t('backups.restore.planning')}</p>
          )}
          <div className="actions wizard-actions">
            <button className="button" type="button" onClick={() => setStep('target')}>
              <ArrowLeft size={16} />
              {t('backups.restore.back')}
            </button>
            <button
              className={plan && plan.overwrites.length > 0 ? 'button danger' : 'button primary'}
              type="button"
              disabled={!plan || plan.notWritable.length > 0 || starting}
              onClick={() => {
                if (!plan) return;
                const confirm = restoreConfirmation(plan);
                if (confirm) setConfirming(true);
                else void start(null);
              }}
              data-testid="restore-start"
            >
              <RotateCcw size={16} />
              {t(plan && plan.overwrites.length > 0 ? 'backups.restore.startOverwrite' : 'backups.restore.start')}
            </button>
          </div>
          {confirming && plan ? (
            <ConfirmDialog
              title={t('backups.restore.confirmTitle', { server: plan.serverName })}
              confirmLabel={t('backups.restore.confirmButton')}
              danger
              typeToConfirm={plan.serverName}
              onCancel={() => setConfirming(false)}
              onConfirm={() => start(restoreConfirmation(plan))}
            >
              <p>{t('backups.restore.confirmText', { count: plan.overwrites.length, server: plan.serverName })}</p>
              <ul className="overwrite-list" data-testid="restore-confirm-paths">
                {plan.overwrites.map((path) => (
                  <li key={path} className="mono">
                    {path}
                  </li>
                ))}
              </ul>
            </ConfirmDialog>
          ) : null}
        </section>
      ) : null}

      {step === 'run' && run ? (
        <section className="card" data-testid="restore-run">
          <RunView runId={run.id} initial={run} />
          <div className="actions wizard-actions">
            <Link className="button" to={back}>
              {t(jobId ? 'backups.jobForm.backToJob' : 'backups.backToOverview')}
            </Link>
          </div>
        </section>
      ) : null}
    </div>
  );
}
