import { KeyRound, ShieldAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

interface HostKeyPanelProps {
  /** 'unknown': a first connection to confirm; 'changed': the pinned key no longer matches. */
  kind: 'unknown' | 'changed';
  fingerprint: string;
  /** The pinned fingerprint, when known. */
  expected?: string | null;
  busy?: boolean;
  onAccept: () => void;
}

/** Shows a host key's fingerprint to compare with the server's own, and asks before trusting it. */
export function HostKeyPanel({ kind, fingerprint, expected, busy, onAccept }: HostKeyPanelProps) {
  const { t } = useTranslation();
  const changed = kind === 'changed';
  return (
    <div className={changed ? 'host-key host-key-changed' : 'host-key'} role={changed ? 'alert' : undefined} data-testid={`host-key-${kind}`}>
      <div className="host-key-icon">{changed ? <ShieldAlert size={20} /> : <KeyRound size={20} />}</div>
      <div className="host-key-body">
        <div className="host-key-title">{t(changed ? 'servers.hostKey.changedTitle' : 'servers.hostKey.unknownTitle')}</div>
        <p>{t(changed ? 'servers.hostKey.changedText' : 'servers.hostKey.unknownText')}</p>
        <dl className="host-key-prints">
          {changed && expected ? (
            <>
              <dt>{t('servers.hostKey.expected')}</dt>
              <dd>
                <code>{expected}</code>
              </dd>
            </>
          ) : null}
          <dt>{t(changed ? 'servers.hostKey.received' : 'servers.hostKey.fingerprint')}</dt>
          <dd>
            <code data-testid="host-key-fingerprint">{fingerprint}</code>
          </dd>
        </dl>
        <p className="host-key-how">{t('servers.hostKey.how')}</p>
        <div className="actions">
          <button className={changed ? 'button danger' : 'button primary'} type="button" onClick={onAccept} disabled={busy} data-testid="host-key-accept">
            {t(changed ? 'servers.hostKey.acceptNew' : 'servers.hostKey.trust')}
          </button>
        </div>
      </div>
    </div>
  );
}
