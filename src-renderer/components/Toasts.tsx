import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useToastStore } from '../stores/toast-store';

export function Toasts() {
  const { t } = useTranslation();
  const { toasts, dismiss } = useToastStore();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} data-testid={`toast-${toast.kind}`}>
          <div className="toast-text">
            <div className="toast-title">{toast.title}</div>
            {toast.body ? <div className="toast-body">{toast.body}</div> : null}
          </div>
          <button className="icon-button" onClick={() => dismiss(toast.id)} aria-label={t('common.dismiss')}>
            <X size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
