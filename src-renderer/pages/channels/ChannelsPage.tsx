import { AlertTriangle, CheckCircle2, CircleDashed, Mail, MessageSquare, Pencil, Plus, Send, Smartphone, Trash2, Webhook } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Channel, ChannelKind } from '../../../src-main/contract';
import { errorMessage } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { ConfirmDialog } from '../../components/members/ConfirmDialog';
import { useNow } from '../../components/servers/use-now';
import { dateTimeFormat } from '../../i18n/intl-cache';
import { useChannelsStore } from '../../stores/channels-store';
import { useToastStore } from '../../stores/toast-store';
import { relativeTime } from '../sync/sync-format';
import { errorDetails } from './channel-form';
import '../../styles/channels.css';

export const KIND_ICONS: Record<ChannelKind, typeof Mail> = { email: Mail, ntfy: Smartphone, matrix: MessageSquare, webhook: Webhook };

/** Settings → Notifications: the team's alert channels, each with its state, a test button, edit and remove. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const channels = useChannelsStore((s) => s.channels);
  const load = useChannelsStore((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <BackLink to="/settings" label={t('channels.page.back')} />
          <h1>{t('channels.page.title')}</h1>
          <div className="page-subtitle">{t('channels.page.subtitle')}</div>
        </div>
        <Link to="/settings/notifications/new" className="button primary channel-add" data-testid="channel-add">
          <Plus size={16} aria-hidden />
          {t('channels.page.add')}
        </Link>
      </header>
      {channels === null ? (
        <div className="loading">{t('common.loading')}</div>
      ) : channels.length === 0 ? (
        <section className="card channels-empty" data-testid="channels-empty">
          <p>{t('channels.page.empty')}</p>
        </section>
      ) : (
        <div className="channels-list" data-testid="channels-list">
          {channels.map((channel) => (
            <ChannelCard key={channel.id} channel={channel} />
          ))}
        </div>
      )}
    </div>
  );
}

/** Where the channel sends: the addresses, the topic, the room, the webhook's origin (never its secret path). */
function target(channel: Channel): { label: string; value: string } {
  switch (channel.kind) {
    case 'email':
      return { label: 'channels.card.to', value: channel.settings.to.join(', ') };
    case 'ntfy':
      return { label: 'channels.card.server', value: `${channel.settings.serverUrl.replace(/\/+$/, '')}/${channel.settings.topic}` };
    case 'matrix':
      return { label: 'channels.card.room', value: channel.settings.roomId };
    case 'webhook':
      return { label: 'channels.card.address', value: `${channel.settings.origin}/…` };
  }
}

function ChannelCard({ channel }: { channel: Channel }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const now = useNow(30_000);
  const push = useToastStore((s) => s.push);
  const testing = useChannelsStore((s) => s.testing.has(channel.id));
  const { test, remove } = useChannelsStore.getState();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const Icon = KIND_ICONS[channel.kind];
  const when = (iso: string) => relativeTime(iso, now, i18n.language) ?? t('channels.card.justNow');
  const exact = (iso: string) => dateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  /** "since 16:35" today, "since 7 Dec 2026, 16:35" before: a relative time reads badly after "since". */
  const since = (iso: string) =>
    new Date(iso).toDateString() === new Date(now).toDateString() ? dateTimeFormat(i18n.language, { timeStyle: 'short' }).format(new Date(iso)) : exact(iso);
  const state = channel.failingSince ? 'failing' : channel.lastOkAt ? 'ok' : 'untested';
  const StateIcon = state === 'failing' ? AlertTriangle : state === 'ok' ? CheckCircle2 : CircleDashed;
  const where = target(channel);

  async function sendTest() {
    const result = await test(channel.id);
    if (!result) return;
    if (result.ok) push({ kind: 'success', title: t('channels.test.sent', { name: channel.name }), body: t('channels.test.sentBody') });
    else if (result.error) push({ kind: 'error', title: t('channels.test.failed', { name: channel.name }), body: errorMessage({ ...result.error, details: errorDetails(result.channel) }) });
  }

  return (
    <section className={`card channel-card channel-${state}`} data-testid="channel-card" data-channel={channel.name} aria-labelledby={`channel-${channel.id}`}>
      <div className="channel-head">
        <div className="channel-icon" aria-hidden>
          <Icon size={18} />
        </div>
        <div className="channel-title">
          <h2 id={`channel-${channel.id}`}>{channel.name}</h2>
          <span className="channel-kind">{t(`channels.kinds.${channel.kind}`)}</span>
        </div>
        <span className={`channel-state channel-state-${state}`} data-testid="channel-state">
          <StateIcon size={15} aria-hidden />
          {state === 'failing' && channel.failingSince
            ? t('channels.card.failingSince', { when: since(channel.failingSince) })
            : t(`channels.card.${state}`)}
        </span>
      </div>
      <dl className="channel-facts">
        <dt>{t(where.label)}</dt>
        <dd className="mono">{where.value}</dd>
        <dt>{t('channels.card.lastOk')}</dt>
        <dd>{channel.lastOkAt ? <time dateTime={channel.lastOkAt} title={exact(channel.lastOkAt)}>{when(channel.lastOkAt)}</time> : t('channels.card.never')}</dd>
        {channel.lastError ? (
          <>
            <dt>{t('channels.card.lastError')}</dt>
            <dd className="channel-error" data-testid="channel-error">
              {errorMessage({ code: channel.lastError.code, message: channel.lastError.message, details: errorDetails(channel) })}
              <span className="channel-error-at"> · {exact(channel.lastError.at)}</span>
            </dd>
          </>
        ) : null}
      </dl>
      <div className="actions start">
        <button type="button" className="button" disabled={testing} onClick={() => void sendTest()} data-testid="channel-test">
          <Send size={15} aria-hidden />
          {t(testing ? 'channels.card.testing' : 'channels.card.test')}
        </button>
        <button type="button" className="button" onClick={() => void navigate(`/settings/notifications/${channel.id}/edit`)} data-testid="channel-edit">
          <Pencil size={15} aria-hidden />
          {t('channels.card.edit')}
        </button>
        <button type="button" className="button channel-remove" onClick={() => setConfirmRemove(true)} data-testid="channel-remove">
          <Trash2 size={15} aria-hidden />
          {t('channels.card.remove')}
        </button>
      </div>
      {confirmRemove ? (
        <ConfirmDialog
          title={t('channels.remove.title', { name: channel.name })}
          confirmLabel={t('channels.remove.confirm')}
          danger
          onCancel={() => setConfirmRemove(false)}
          onConfirm={async () => {
            setConfirmRemove(false);
            if (await remove(channel.id)) push({ kind: 'success', title: t('channels.remove.removed', { name: channel.name }) });
          }}
        >
          <p>{t('channels.remove.text')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
