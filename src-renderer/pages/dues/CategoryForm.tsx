import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../src-main/contract';
import { useDuesStore } from '../../stores/dues-store';
import { useSettingsStore } from '../../stores/settings-store';
import { useToastStore } from '../../stores/toast-store';
import type { CategoryDraft, DraftErrors } from './category-draft';
import { draftFromCategory, emptyDraft, readDraft } from './category-draft';
import { useDuesFormat } from './use-dues-format';

interface Props {
  /** null: a new category. */
  category: Category | null;
  onClose: () => void;
}

export function CategoryForm({ category, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const format = useDuesFormat();
  const settings = useSettingsStore((s) => s.settings);
  const saveCategory = useDuesStore((s) => s.saveCategory);
  const push = useToastStore((s) => s.push);
  const [draft, setDraft] = useState<CategoryDraft>(() => (category ? draftFromCategory(category, i18n.language) : emptyDraft()));
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof CategoryDraft>(key: K, value: CategoryDraft[K]) => setDraft({ ...draft, [key]: value });

  const { input, errors } = readDraft(draft);
  const shown: DraftErrors = touched ? errors : {};
  const idPrefix = category ? `category-${category.id}` : 'category-new';

  async function submit() {
    setTouched(true);
    if (!input) return;
    setSaving(true);
    const saved = await saveCategory(category?.id ?? null, input);
    setSaving(false);
    if (!saved) return;
    push({ kind: 'success', title: t(category ? 'dues.categories.updated' : 'dues.categories.created', { name: input.name }) });
    onClose();
  }

  return (
    <form
      className="inline-panel"
      data-testid="category-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      noValidate
    >
      <h3>{category ? t('dues.categories.editTitle', { name: category.name }) : t('dues.categories.newTitle')}</h3>
      <div className="form-grid">
        <div className="field field-wide">
          <label htmlFor={`${idPrefix}-name`}>{t('dues.categories.name')}</label>
          <input
            id={`${idPrefix}-name`}
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            aria-invalid={shown.name !== undefined}
            placeholder={t('dues.categories.namePlaceholder')}
          />
          {shown.name ? <div className="field-error">{t(`dues.categories.nameErrors.${shown.name}`)}</div> : null}
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-fee`}>{t('dues.categories.feeKind')}</label>
          <select id={`${idPrefix}-fee`} value={draft.feeKind} onChange={(e) => set('feeKind', e.target.value as CategoryDraft['feeKind'])}>
            <option value="fixed">{t('dues.fee.fixed')}</option>
            <option value="pay_what_you_want">{t('dues.fee.payWhatYouWant')}</option>
            <option value="exempt">{t('dues.fee.exempt')}</option>
          </select>
        </div>
        {draft.feeKind === 'exempt' ? (
          <div className="field field-note">
            <div className="field-hint">{t('dues.categories.exemptHint')}</div>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${idPrefix}-amount`}>
              {draft.feeKind === 'fixed' ? t('dues.categories.amount') : t('dues.categories.minimum')}
            </label>
            <input
              id={`${idPrefix}-amount`}
              inputMode="decimal"
              value={draft.amount}
              onChange={(e) => set('amount', e.target.value)}
              aria-invalid={shown.amount !== undefined}
              placeholder={t('dues.categories.amountPlaceholder')}
            />
            {shown.amount ? (
              <div className="field-error">{t('dues.amountInvalid')}</div>
            ) : draft.feeKind === 'pay_what_you_want' ? (
              <div className="field-hint">{t('dues.categories.minimumHint')}</div>
            ) : null}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${idPrefix}-period`}>{t('dues.categories.period')}</label>
          <select
            id={`${idPrefix}-period`}
            value={draft.periodKind}
            onChange={(e) => set('periodKind', e.target.value as CategoryDraft['periodKind'])}
          >
            <option value="association">
              {settings ? t('dues.categories.associationRule', { rule: format.period(settings.duesPeriod) }) : ''}
            </option>
            <option value="calendar_year">{t('dues.period.calendarYear')}</option>
            <option value="fiscal_year">{t('dues.period.fiscalYear')}</option>
            <option value="rolling_months">{t('dues.period.rollingMonths')}</option>
          </select>
        </div>
        {draft.periodKind === 'rolling_months' ? (
          <div className="field">
            <label htmlFor={`${idPrefix}-months`}>{t('dues.period.months')}</label>
            <input
              id={`${idPrefix}-months`}
              type="number"
              min={1}
              max={120}
              value={draft.months}
              onChange={(e) => set('months', e.target.value)}
              aria-invalid={shown.months !== undefined}
            />
            {shown.months ? <div className="field-error">{t('dues.period.monthsInvalid')}</div> : null}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${idPrefix}-grace`}>{t('dues.categories.graceDays')}</label>
          <input
            id={`${idPrefix}-grace`}
            type="number"
            min={0}
            max={366}
            value={draft.graceDays}
            onChange={(e) => set('graceDays', e.target.value)}
            aria-invalid={shown.graceDays !== undefined}
            placeholder={settings ? String(settings.duesGraceDays) : ''}
          />
          {shown.graceDays ? (
            <div className="field-error">{t('dues.graceDaysInvalid')}</div>
          ) : (
            <div className="field-hint">
              {settings ? t('dues.categories.graceHint', { rule: format.graceDays(settings.duesGraceDays) }) : null}
            </div>
          )}
        </div>
      </div>
      <div className="actions">
        <button className="button" type="button" onClick={onClose} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button className="button primary" type="submit" disabled={saving} data-testid="category-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
