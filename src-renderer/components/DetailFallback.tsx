import type { ApiError } from '../../src-main/contract';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../api/errors';

/** What a detail page shows until its record arrives: loading, or why it cannot, with a way back. */
export function DetailFallback({ error, backTo, backLabel }: { error: ApiError | null; backTo: string; backLabel: string }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      {error ? (
        <section className="card" role="alert">
          <p>{errorMessage(error)}</p>
          <Link to={backTo}>{backLabel}</Link>
        </section>
      ) : (
        <div className="loading">{t('common.loading')}</div>
      )}
    </div>
  );
}
