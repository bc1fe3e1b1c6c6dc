import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleId, RuleSetting } from '../../../src-main/contract';
import { RULE_IDS } from '../../../src-main/contract/servers';
import { ruleName } from '../../components/servers/format';
import { useServersStore } from '../../stores/servers-store';

/** What each rule's threshold is measured in; rules without one have a null threshold. */
const THRESHOLD_UNIT: Partial<Record<RuleId, 'percent' | 'load' | 'days'>> = {
  disk_space: 'percent',
  disk_inodes: 'percent',
  memory: 'percent',
  load_per_core: 'load',
  tls_expiring: 'days',
};

type Drafts = Record<RuleId, { enabled: boolean; threshold: string; failAfter: string; clearAfter: string }>;

const draftsOf = (rules: Record<RuleId, RuleSetting>): Drafts =>
  Object.fromEntries(
    RULE_IDS.map((ruleId) => {
      const rule = rules[ruleId];
      return [ruleId, { enabled: rule.enabled, threshold: rule.threshold === null ? '' : String(rule.threshold), failAfter: String(rule.failAfter), clearAfter: String(rule.clearAfter) }];
    }),
  ) as Drafts;

/** The rules' settings for one server: edited in place, saved together. */
export function RulesCard({ serverId, rules }: { serverId: string; rules: Record<RuleId, RuleSetting> }) {
  const { t } = useTranslation();
  const updateRules = useServersStore((s) => s.updateRules);
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(rules));
  const [saving, setSaving] = useState(false);

  const parsed: Partial<Record<RuleId, RuleSetting>> = {};
  let valid = true;
  for (const ruleId of RULE_IDS) {
    const draft = drafts[ruleId];
    const before = rules[ruleId];
    const setting: RuleSetting = {
      enabled: draft.enabled,
      threshold: before.threshold === null ? null : Number(draft.threshold.replace(',', '.')),
      failAfter: Number(draft.failAfter),
      clearAfter: Number(draft.clearAfter),
    };
    const ok =
      (setting.threshold === null || (draft.threshold.trim() !== '' && Number.isFinite(setting.threshold) && setting.threshold >= 0)) &&
      Number.isInteger(setting.failAfter) && setting.failAfter >= 1 && setting.failAfter <= 100 &&
      Number.isInteger(setting.clearAfter) && setting.clearAfter >= 1 && setting.clearAfter <= 100;
    if (!ok) valid = false;
    else if (JSON.stringify(setting) !== JSON.stringify(before)) parsed[ruleId] = setting;
  }
  const changed = Object.keys(parsed).length > 0;

  const edit = (ruleId: RuleId, patch: Partial<Drafts[RuleId]>) => setDrafts({ ...drafts, [ruleId]: { ...drafts[ruleId], ...patch } });

  async function save() {
    setSaving(true);
    await updateRules(serverId, parsed);
    setSaving(false);
  }

  return (
    <section className="card" data-testid="rules-card">
      <div className="card-header">
        <div>
          <h2>{t('servers.rulesCard.title')}</h2>
          <div className="field-hint">{t('servers.rulesCard.hint')}</div>
        </div>
        <div className="actions">
          <button className="button" type="button" disabled={!changed || saving} onClick={() => setDrafts(draftsOf(rules))}>
            {t('common.cancel')}
          </button>
          <button className="button primary" type="button" disabled={!changed || !valid || saving} onClick={() => void save()} data-testid="rules-save">
            {t('common.save')}
          </button>
        </div>
      </div>
      <table className="data-table rules-table">
        <thead>
          <tr>
            <th>{t('servers.rulesCard.rule')}</th>
            <th>{t('servers.rulesCard.enabled')}</th>
            <th>{t('servers.rulesCard.threshold')}</th>
            <th>{t('servers.rulesCard.failAfter')}</th>
            <th>{t('servers.rulesCard.clearAfter')}</th>
          </tr>
        </thead>
        <tbody>
          {RULE_IDS.map((ruleId) => {
            const draft = drafts[ruleId];
            const unit = THRESHOLD_UNIT[ruleId];
            const name = ruleName(ruleId, t);
            return (
              <tr key={ruleId} data-testid={`rule-${ruleId}`}>
                <td>{name}</td>
                <td>
                  <input type="checkbox" className="rule-check" checked={draft.enabled} onChange={(e) => edit(ruleId, { enabled: e.target.checked })} aria-label={t('servers.rulesCard.enabledFor', { rule: name })} />
                </td>
                <td>
                  {rules[ruleId].threshold === null ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="rule-threshold">
                      <input value={draft.threshold} inputMode="decimal" onChange={(e) => edit(ruleId, { threshold: e.target.value })} aria-label={t('servers.rulesCard.thresholdFor', { rule: name })} />
                      {unit ? <span className="muted">{t(`servers.rulesCard.unit.${unit}`)}</span> : null}
                    </span>
                  )}
                </td>
                <td>
                  <input className="rule-count" value={draft.failAfter} inputMode="numeric" onChange={(e) => edit(ruleId, { failAfter: e.target.value })} aria-label={t('servers.rulesCard.failAfterFor', { rule: name })} />
                </td>
                <td>
                  <input className="rule-count" value={draft.clearAfter} inputMode="numeric" onChange={(e) => edit(ruleId, { clearAfter: e.target.value })} aria-label={t('servers.rulesCard.clearAfterFor', { rule: name })} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
