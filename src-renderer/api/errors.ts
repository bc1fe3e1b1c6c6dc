import type { ApiError } from '../../src-main/contract';
import i18n from '../i18n';
import { useToastStore } from '../stores/toast-store';

/** The translated message for a contract error; unknown codes fall back to the generic message, never to English. */
export function errorMessage(error: ApiError): string {
  const key = `errors.${error.code}`;
  return i18n.exists(key) ? i18n.t(key, error.details ?? {}) : i18n.t('errors.unexpected', { code: error.code });
}

export function toastError(error: ApiError): void {
  useToastStore.getState().push({ kind: 'error', title: errorMessage(error) });
}
