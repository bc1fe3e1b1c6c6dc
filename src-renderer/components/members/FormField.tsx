import type { ReactNode } from 'react';

/** A labelled form control with its hint and its (already translated) error. */
export function FormField({
  id,
  label,
  error,
  hint,
  wide,
  children,
}: {
  id: string;
  label: string;
  error?: string | null;
  hint?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <div className="field-hint">{hint}</div> : null}
      {error ? (
        <div className="field-error" data-testid={`error-${id}`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}
