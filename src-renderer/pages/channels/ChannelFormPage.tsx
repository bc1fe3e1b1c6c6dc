import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { ApiError, Channel, ChannelKind } from '../../../src-main/contract';
import { CHANNEL_KINDS, SMTP_SECURITY, WEBHOOK_PRESETS } from '../../../src-main/contract/alert-channels';
import { errorMessage } from '../../api/errors';
import { BackLink } from '../../components/BackLink';
import { FormField } from '../../components/members/FormField';
import { useChannelsStore } from '../../stores/channels-store';
import { useToastStore } from '../../stores/toast-store';
import type { ChannelDraft, ChannelField } from './channel-form';
import { EMPTY_DRAFT, KIND_FIELDS, channelToDraft, checkAdd, checkUpdate, fieldOfError } from './channel-form';
import { KIND_ICONS } from './ChannelsPage';
import '../../styles/channels.css';

/** Add (/settings/notifications/new) or edit (/settings/notifications/:id/edit): a fresh form for each. */
export function ChannelFormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const channels = useChannelsStore((s) => s.channels);
  const load = useChannelsStore((s) => s.load);
  useEffect(() => {
    if (id && channels === null) void load();
  }, [id, channels, load]);
  if (!id) return <ChannelForm key="new" channel={null} />;
  if (channels === null) return <div className="loading">{t('common.loading')}</div>;
  const channel = channels.find((c) => c.id === id);
  if (!channel) return <div className="page notice">{t('errors.channel_not_found')}</div>;
  return <ChannelForm key={id} channel={channel} />;
}

/** The secret's label and hint per kind. */
const SECRET_LABEL: Record<ChannelKind, string> = { email: 'password', ntfy: 'token', matrix: 'accessToken', webhook: 'webhookUrl' };

function ChannelForm({ channel }: { channel: Channel | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const { add, update } = useChannelsStore.getState();
  const [draft, setDraft] = useState<ChannelDraft>(channel ? channelToDraft(channel) : EMPTY_DRAFT);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<ChannelField>>(new Set());
  const [saving, setSaving] = useState(false);
  /** The core's refusal: under the field it is about (until that field is edited), else above the buttons. */
  const [refusal, setRefusal] = useState<{ field: ChannelField | null; error: ApiError } | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const check = channel ? checkUpdate(draft, channel) : checkAdd(draft);
  const fields = KIND_FIELDS[draft.kind];
  const errorOf = (field: ChannelField): string | null => {
    if (refusal?.field === field) return errorMessage(refusal.error);
    const key = check.problems[field];
    return key && (submitted || touched.has(field)) ? t(key) : null;
  };
  const focus = (field: ChannelField) => {
    const element = form.current?.querySelector<HTMLElement>(`#channel-${field}`);
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  };
  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => {
    setDraft({ ...draft, [key]: value });
    if (refusal?.field === key) setRefusal(null);
  };
  /** A text input bound to a draft field: checked when left, and on submit. */
  const bind = (field: Exclude<ChannelField, 'security' | 'preset'>) => ({
    id: `channel-${field}`,
    value: draft[field],
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => setTouched((before) => new Set(before).add(field)),
    'aria-invalid': errorOf(field) !== null,
    autoComplete: 'off',
    spellCheck: false,
  });

  async function submit() {
    setSubmitted(true);
    setRefusal(null);
    const invalid = fields.find((field) => check.problems[field]);
    if (invalid || !check.ok) {
      if (invalid) focus(invalid);
      return;
    }
    if (saving) return;
    setSaving(true);
    const result = 'id' in check.value ? await update(check.value) : await add(check.value);
    setSaving(false);
    if (result.ok) {
      push({ kind: 'success', title: t(channel ? 'channels.form.saved' : 'channels.form.added', { name: result.value.name }) });
      void navigate('/settings/notifications');
      return;
    }
    const field = fieldOfError(result.error);
    setRefusal({ field: field && fields.includes(field) ? field : null, error: result.error });
    if (field && fields.includes(field)) focus(field);
  }

  const secretName = SECRET_LABEL[draft.kind];
  const secretHint = [
    draft.kind === 'webhook' ? t('channels.form.webhookUrlHint') : draft.kind === 'matrix' ? t('channels.form.accessTokenHint') : draft.kind === 'ntfy' ? t('channels.form.tokenOptionalHint') : null,
    channel?.hasSecret
      ? channel.kind === 'webhook'
        ? t('channels.form.keepWebhook', { origin: channel.settings.origin })
        : t('channels.form.keepSecret')
      : t('channels.form.secretWriteOnly'),
  ]
    .filter((hint) => hint !== null)
    .join(' ');

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <BackLink to="/settings/notifications" label={t('channels.page.title')} />
          <h1>{channel ? t('channels.form.editTitle', { name: channel.name }) : t('channels.form.newTitle')}</h1>
        </div>
      </header>
      <form
        ref={form}
        className="form"
        noValidate
        data-testid="channel-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <section className="card">
          <fieldset className="channel-kinds" disabled={channel !== null}>
            <legend>{t('channels.form.kind')}</legend>
            {CHANNEL_KINDS.map((kind) => {
              const Icon = KIND_ICONS[kind];
              return (
                <label key={kind} className={draft.kind === kind ? 'channel-kind-choice selected' : 'channel-kind-choice'} data-testid={`channel-kind-${kind}`}>
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={draft.kind === kind}
                    onChange={() => set('kind', kind)}
                    aria-label={t(`channels.kinds.${kind}`)}
                    aria-describedby={`channel-kind-hint-${kind}`}
                  />
                  <Icon size={18} aria-hidden />
                  <span className="channel-kind-name">{t(`channels.kinds.${kind}`)}</span>
                  <span className="channel-kind-hint" id={`channel-kind-hint-${kind}`}>{t(`channels.kindHints.${kind}`)}</span>
                </label>
              );
            })}
          </fieldset>
        </section>
        <section className="card">
          <div className="form-grid">
            <FormField id="channel-name" label={t('channels.form.name')} hint={t('channels.form.nameHint')} error={errorOf('name')} wide>
              <input {...bind('name')} spellCheck autoFocus={!channel} />
            </FormField>
            {draft.kind === 'email' ? (
              <>
                <FormField id="channel-host" label={t('channels.form.host')} hint={t('channels.form.hostHint')} error={errorOf('host')}>
                  <input {...bind('host')} />
                </FormField>
                <div className="channel-port-security">
                  <FormField id="channel-port" label={t('channels.form.port')} error={errorOf('port')}>
                    <input {...bind('port')} inputMode="numeric" />
                  </FormField>
                  <FormField id="channel-security" label={t('channels.form.securityLabel')}>
                    <select
                      id="channel-security"
                      value={draft.security}
                      onChange={(e) => {
                        const security = e.target.value as ChannelDraft['security'];
                        // The port that goes with the security, unless the user typed another one.
                        const usual = { starttls: '587', tls: '465', none: '25' };
                        const port = Object.values(usual).includes(draft.port.trim()) ? usual[security] : draft.port;
                        setDraft({ ...draft, security, port });
                      }}
                    >
                      {SMTP_SECURITY.map((security) => (
                        <option key={security} value={security}>
                          {t(`channels.security.${security}`)}
                        </option>
                      ))}
                    </select>
                  </FormField>
                </div>
                <FormField id="channel-username" label={t('channels.form.username')} hint={t('channels.form.usernameHint')} error={errorOf('username')}>
                  <input {...bind('username')} />
                </FormField>
              </>
            ) : null}
            {draft.kind === 'ntfy' ? (
              <>
                <FormField id="channel-serverUrl" label={t('channels.form.serverUrl')} hint={t('channels.form.serverUrlHint')} error={errorOf('serverUrl')}>
                  <input {...bind('serverUrl')} type="url" />
                </FormField>
                <FormField id="channel-topic" label={t('channels.form.topic')} hint={t('channels.form.topicHint')} error={errorOf('topic')}>
                  <input {...bind('topic')} />
                </FormField>
              </>
            ) : null}
            {draft.kind === 'matrix' ? (
              <>
                <FormField id="channel-homeserverUrl" label={t('channels.form.homeserverUrl')} hint={t('channels.form.homeserverUrlHint')} error={errorOf('homeserverUrl')}>
                  <input {...bind('homeserverUrl')} type="url" />
                </FormField>
                <FormField id="channel-roomId" label={t('channels.form.roomId')} hint={t('channels.form.roomIdHint')} error={errorOf('roomId')}>
                  <input {...bind('roomId')} />
                </FormField>
              </>
            ) : null}
            {draft.kind === 'webhook' ? (
              <FormField id="channel-preset" label={t('channels.form.preset')} wide>
                <select id="channel-preset" value={draft.preset} onChange={(e) => set('preset', e.target.value as ChannelDraft['preset'])}>
                  {WEBHOOK_PRESETS.map((preset) => (
                    <option key={preset} value={preset}>
                      {t(`channels.presets.${preset}`)}
                    </option>
                  ))}
                </select>
              </FormField>
            ) : null}
            <FormField id="channel-secret" label={t(`channels.form.${secretName}`)} hint={secretHint} error={errorOf('secret')} wide={draft.kind !== 'email'}>
              <input {...bind('secret')} type="password" autoComplete="new-password" />
            </FormField>
            {draft.kind === 'email' ? (
              <>
                <FormField id="channel-from" label={t('channels.form.from')} hint={t('channels.form.fromHint')} error={errorOf('from')}>
                  <input {...bind('from')} type="email" />
                </FormField>
                <FormField id="channel-to" label={t('channels.form.to')} hint={t('channels.form.toHint')} error={errorOf('to')}>
                  <input {...bind('to')} type="email" multiple />
                </FormField>
              </>
            ) : null}
          </div>
        </section>
        {refusal && refusal.field === null ? (
          <div className="notice warning" role="alert" data-testid="channel-refusal">
            {errorMessage(refusal.error)}
          </div>
        ) : null}
        <div className="actions">
          <button type="button" className="button" onClick={() => void navigate('/settings/notifications')}>
            {t('channels.form.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={saving} data-testid="channel-submit">
            {t(channel ? 'channels.form.save' : 'channels.form.add')}
          </button>
        </div>
      </form>
    </div>
  );
}
