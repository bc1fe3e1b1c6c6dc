import { useTranslation } from 'react-i18next';
import type { RunLogLine } from '../../../src-main/contract';
import { formatClock } from '../servers/figures';
import { useNow } from '../servers/use-now';

/** A run's log as it was written: time, level, text (restic's and the server's own words, untranslated). */
export function RunLog({ lines }: { lines: RunLogLine[] }) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  if (lines.length === 0) return <p className="muted">{t('backups.run.noLog')}</p>;
  return (
    <ol className="run-log" data-testid="run-log">
      {lines.map((line, index) => (
        <li key={index} className={`run-log-line run-log-${line.level}`}>
          <time dateTime={line.at}>{formatClock(line.at, now, i18n.language)}</time>
          <span className="run-log-level">{t(`backups.run.level.${line.level}`)}</span>
          <span className="run-log-text">{line.text}</span>
        </li>
      ))}
    </ol>
  );
}
