import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import type { FieldProblem } from './team-form';

/**
 * The state the team forms share: their values, whether a submit was tried (problems show from then on), and the
 * core's refusal — under the field it is about until that field is edited, else above the button.
 */
export function useTeamForm<F extends string>(initial: Record<F, string>) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<F, string>>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [refusal, setRefusal] = useState<{ field: F | null; error: ApiError } | null>(null);
  const errorFor = (problems: Record<F, FieldProblem | null>, field: F): string | null => {
    if (refusal?.field === field) return errorMessage(refusal.error);
    const problem: FieldProblem | null = problems[field];
    return submitted && problem ? t(`sync.form.${problem.code}`, problem) : null;
  };
  const set = (field: F, value: string) => {
    setValues({ ...values, [field]: value });
    if (refusal?.field === field) setRefusal(null);
  };
  return { values, set, setSubmitted, refusal, setRefusal, errorFor };
}
