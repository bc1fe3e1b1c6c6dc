import { AlertTriangle, CheckCircle2, XCircle } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BackupRunSummary } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { formatBytes } from '../metrics/units';
import { HealthDot } from '../servers/indicators';
import { VerificationBadge } from './badges';

/**
 * What a finished run came to: the error when it failed; for a restore or a drill, whether the files were verified
 * (with the problems found), what was written, and the target's health right after.
 */
export function RunOutcome({ run }: { run: BackupRunSummary }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const { verification, written, health, error } = run;
  const good = run.status === 'succeeded' && (verification === null || verification.status !== 'mismatch');
  return (
    <div className="run-outcome" data-testid="run-outcome" data-status={run.status}>
      <div className={`run-outcome-head ${good ? 'good' : run.status === 'cancelled' ? 'neutral' : 'bad'}`}>
        {good ? <CheckCircle2 size={20} aria-hidden /> : run.status === 'cancelled' ? <AlertTriangle size={20} aria-hidden /> : <XCircle size={20} aria-hidden />}
        <div>
          <div className="run-outcome-title">{t(`backups.outcome.${run.kind}.${run.status}`)}</div>
          {error ? (
            <p className="run-outcome-error" data-testid="run-error">
              {errorMessage(error)}
            </p>
          ) : null}
        </div>
      </div>
      {verification || written || health ? (
        <dl className="facts run-outcome-facts">
          {verification ? (
            <>
              <dt>{t('backups.outcome.verification')}</dt>
              <dd className="plain">
                <VerificationBadge verification={verification} />
                <span className="muted">
                  {verification.status === 'unavailable'
                    ? t('backups.verification.unavailableHint')
                    : t('backups.verification.summary', { checked: verification.checked, mismatched: verification.mismatched, missing: verification.missing })}
                </span>
              </dd>
            </>
          ) : null}
          {written ? (
            <>
              <dt>{t('backups.outcome.written')}</dt>
              <dd className="plain" data-testid="run-written">
                {t('backups.outcome.writtenValue', { count: written.entries, bytes: formatBytes(written.bytes, language) })}
              </dd>
            </>
          ) : null}
          {run.target ? (
            <>
              <dt>{t('backups.outcome.target')}</dt>
              <dd>{run.target.kind === 'directory' ? run.target.path : t('backups.restore.originalPaths')}</dd>
            </>
          ) : null}
          {health ? (
            <>
              <dt>{t('backups.outcome.health')}</dt>
              <dd className="plain run-outcome-health" data-testid="run-health" data-colour={health.colour}>
                <HealthDot colour={health.colour} />
                <Link to={`/servers/${run.serverId}`}>{run.serverName}</Link>
                <span>{t(`servers.colour.${health.colour}`)}</span>
                {health.failing.length > 0 ? <span className="muted">{health.failing.map((rule) => t(`servers.rules.${rule}.name`, { defaultValue: rule })).join(' · ')}</span> : null}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {verification && verification.problems.length > 0 ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="verification-problems">
            <thead>
              <tr>
                <th>{t('backups.verification.path')}</th>
                <th>{t('backups.verification.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {verification.problems.map((problem) => (
                <tr key={`${problem.path}-${problem.problem}`}>
                  <td className="mono">{problem.path}</td>
                  <td>{t(`backups.verification.problems.${problem.problem}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {verification.mismatched + verification.missing > verification.problems.length ? (
            <p className="field-hint">{t('backups.verification.more', { count: verification.mismatched + verification.missing - verification.problems.length })}</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
