import type { ReactNode } from 'react';
import { call, isElectron } from '../api/client';
import { toastError } from '../api/errors';

/** In Electron, links open in the system browser through main's allowlist; in the browser host, in a new tab. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  if (!isElectron) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  }
  return (
    <a
      href={href}
      onClick={(event) => {
        event.preventDefault();
        void call('app.openExternal', { url: href }).then((result) => {
          if (!result.ok) toastError(result.error);
        });
      }}
    >
      {children}
    </a>
  );
}
