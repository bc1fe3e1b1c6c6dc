import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricsRetention } from '../../../../src-main/contract';
import { metricsRetentionSchema } from '../../../../src-main/contract/metrics';
import { call } from '../../../api/client';
import { toastError } from '../../../api/errors';
import { useToastStore } from '../../../stores/toast-store';

const FIELDS = ['rawDays', 'fiveMinuteDays', 'hourDays'] as const;

/** How long the usage history keeps each tier (Settings): its own form, saved on its own. */
export function RetentionCard() {
  const { t } = useTranslation();
  const push = useToastStore((s) => s.push);
  const [saved, setSaved] = useState<MetricsRetention | null>(null);
  const [draft, setDraft] = useState<MetricsRetention | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void call('metrics.getRetention', {}).then((result) => (result.ok ? setSaved(result.value) : toastError(result.error)));
  }, []);
  if (!saved) return null;

  const value = draft ?? saved;
  // The contract's schema: each tier at least as long as the finer one, whole days in range.
  const check = metricsRetentionSchema.safeParse(value);

  async function save() {
    if (!check.success) return;
    setSaving(true);
    const result = await call('metrics.setRetention', check.data);
    setSaving(false);
    if (!result.ok) return toastError(result.error);
    setSaved(result.value);
    setDraft(null);
    push({ kind: 'success', title: t('metrics.retention.saved') });
  }

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      noValidate
      data-testid="metrics-retention"
    >
      <section className="card">
        <h2 className="card-title">{t('metrics.retention.title')}</h2>
        <p className="muted">{t('metrics.retention.text')}</p>
        <div className="form-grid">
          {FIELDS.map((field) => (
            <div className="field" key={field}>
              <label htmlFor={`retention-${field}`}>{t(`metrics.retention.${field}`)}</label>
              <input
                id={`retention-${field}`}
                type="number"
                min={1}
                value={Number.isNaN(value[field]) ? '' : value[field]}
                onChange={(e) => setDraft({ ...value, [field]: e.target.valueAsNumber })}
                aria-invalid={!check.success}
              />
            </div>
          ))}
        </div>
        {check.success ? null : <div className="field-error" data-testid="retention-invalid">{t('metrics.retention.invalid')}</div>}
        <div className="actions">
          <button className="button" type="button" disabled={!draft || saving} onClick={() => setDraft(null)}>
            {t('common.cancel')}
          </button>
          <button className="button primary" type="submit" disabled={!draft || saving || !check.success} data-testid="retention-save">
            {t('common.save')}
          </button>
        </div>
      </section>
    </form>
  );
}
