import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** The user must type exactly this to confirm: for what cannot be undone. */
  typeToConfirm?: string;
  /** Asks for a reason, required, passed to onConfirm. */
  reasonLabel?: string;
  onConfirm: (reason: string) => void | Promise<void>;
  onCancel: () => void;
}

/** A modal question (native <dialog>: focus trap and Escape for free). Mount it to open it. */
export function ConfirmDialog({ title, children, confirmLabel, danger, typeToConfirm, reasonLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const ready = typeToConfirm !== undefined ? text.trim() === typeToConfirm.trim() : !reasonLabel || text.trim() !== '';
  const inputLabel = typeToConfirm !== undefined ? t('members.dialog.typeToConfirm', { text: typeToConfirm }) : reasonLabel;

  return (
    <dialog ref={ref} className="dialog" onCancel={onCancel} aria-labelledby="dialog-title" data-testid="confirm-dialog">
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!ready || busy) return;
          setBusy(true);
          void Promise.resolve(onConfirm(text.trim())).finally(() => setBusy(false));
        }}
      >
        <h2 id="dialog-title">{title}</h2>
        <div className="dialog-text">{children}</div>
        {inputLabel ? (
          <div className="field">
            <label htmlFor="dialog-input">{inputLabel}</label>
            <input id="dialog-input" value={text} onChange={(e) => setText(e.target.value)} autoFocus autoComplete="off" />
          </div>
        ) : null}
        <div className="actions">
          <button className="button" type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button className={danger ? 'button danger' : 'button primary'} type="submit" disabled={!ready || busy} data-testid="dialog-confirm">
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
