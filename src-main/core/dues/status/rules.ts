/** What a membership category asks its members to pay. Amounts are integer cents. */
export type FeeRule =
  | { kind: 'fixed'; amountCents: number }
  | { kind: 'exempt' }
  | { kind: 'pay_what_you_want'; minimumCents: number };

/** Which dates one payment covers; the fiscal year's start month is an association setting. */
export type PeriodRule =
  | { kind: 'calendar_year' }
  | { kind: 'fiscal_year' }
  | { kind: 'rolling_months'; months: number };

/** Association-wide dues settings, each overridable per category. */
export interface DuesRules {
  period: PeriodRule;
  /** Days after the end of the paid period before a member counts as late; 0 means no grace. */
  graceDays: number;
}

/** A category's overrides; null or absent inherits the association's setting. */
export interface DuesRulesOverride {
  period?: PeriodRule | null;
  graceDays?: number | null;
}

export function resolveDuesRules(association: DuesRules, category: DuesRulesOverride): DuesRules {
  return {
    period: category.period ?? association.period,
    graceDays: category.graceDays ?? association.graceDays,
  };
}

/** Length of one period: how long a member may stay unpaid before late turns into lapsed. */
export function periodLengthMonths(rule: PeriodRule): number {
  return rule.kind === 'rolling_months' ? rule.months : 12;
}
