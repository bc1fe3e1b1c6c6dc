import { CheckCircle2, KeyRound, Plug, Plus, Trash2, XCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ApiError, ConnectionTest, Server } from '../../../src-main/contract';
import { needsKeyHere, SERVICE_KINDS, serverInputSchema } from '../../../src-main/contract/servers';
import { call, isElectron } from '../../api/client';
import { errorMessage, toastError } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { HostKeyPanel } from '../../components/servers/HostKeyPanel';
import { Tags } from '../../components/servers/indicators';
import { formatDuration } from '../../components/servers/figures';
import { fieldMessagesByPath } from '../../components/servers/validation';
import { useIncidentNotifications } from '../../components/servers/useIncidentNotifications';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import '../../styles/servers.css';
import type { PassphraseKind, ServerDraft, ServiceDraft } from './server-draft';
import { EMPTY_SERVER_DRAFT, draftToInput, emptyService, parseTags, serverToDraft } from './server-draft';
import { BackLink } from '../../components/BackLink';

/** What the last "Test connection" said; `expected` is the pinned key when it changed. */
type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; test: ConnectionTest; expected: string | null }
  | { kind: 'failed'; error: ApiError };

/** Where each text field of the draft is checked in the contract's schema. */
const SCHEMA_PATH = {
  name: 'name',
  host: 'host',
  port: 'port',
  username: 'username',
  keyPath: 'auth.keyPath',
  passphraseEnv: 'auth.passphrase.name',
  passphraseFile: 'auth.passphrase.path',
  sweepInterval: 'sweepIntervalSeconds',
} as const;

const isText = (value: unknown): value is string => typeof value === 'string';

/** Create (/servers/new) or edit (/servers/:id/edit): a fresh form for each. */
export function ServerFormPage() {
  const { id } = useParams();
  useIncidentNotifications();
  return <ServerForm key={id ?? 'new'} id={id ?? null} />;
}

function ServerForm({ id }: { id: string | null }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const [saved, setSaved] = useState<Server | null>(null);
  const [draft, setDraft] = useState<ServerDraft | null>(id ? null : EMPTY_SERVER_DRAFT);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const [takenName, setTakenName] = useState<string | null>(null);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  /** The fingerprint the user compared and trusted in this form: pinned when the server is saved. */
  const [trusted, setTrusted] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return;
    void call('servers.get', { id }).then((result) => {
      if (!result.ok) return toastError(result.error);
      setSaved(result.value.server);
      setDraft(serverToDraft(result.value.server));
    });
  }, [id]);

  if (!draft) return <div className="loading">{t('common.loading')}</div>;

  const check = serverInputSchema.safeParse(draftToInput(draft));
  const messages = fieldMessagesByPath(check.error);
  if (takenName !== null && draft.name.trim() === takenName) messages.name = { key: 'errors.server_name_taken', params: { name: takenName } };
  const errorOf = (path: string): string | null => {
    const message = messages[path];
    return message && (submitted || touched.has(path)) ? t(message.key, message.params) : null;
  };
  const touch = (path: string) => setTouched((before) => new Set(before).add(path));

  function set<K extends keyof ServerDraft>(key: K, value: ServerDraft[K]) {
    if (!draft) return;
    setDraft({ ...draft, [key]: value });
    // Another address is another machine: what was shown or trusted was about the old one.
    if (key === 'host' || key === 'port') {
      setTest({ kind: 'idle' });
      setTrusted(null);
    }
  }
  function setService(index: number, patch: Partial<ServiceDraft>) {
    if (!draft) return;
    set('services', draft.services.map((service, i) => (i === index ? { ...service, ...patch } : service)));
  }

  /** Text inputs bound to a draft field, validated at its path in the contract's schema. */
  const text = (field: keyof typeof SCHEMA_PATH) => {
    const path = SCHEMA_PATH[field];
    return {
    id: field,
    value: draft[field],
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => touch(path),
    'aria-invalid': errorOf(path) !== null,
    };
  };

  async function runTest(trust: string | null) {
    setSubmitted(true);
    if (!check.success) return;
    setTest({ kind: 'running' });
    const result = await call('servers.testConnection', { server: check.data, serverId: id, trustFingerprint: trust });
    if (result.ok) {
      if (trust && result.value.hostKey !== 'changed') setTrusted(trust);
      setTest({ kind: 'done', test: result.value, expected: saved?.hostKey?.fingerprint ?? null });
      return;
    }
    const { code, details } = result.error;
    if (code === 'ssh_host_key_changed' && isText(details?.actual)) {
      const changed: ConnectionTest = { fingerprint: details.actual, hostKey: 'changed', os: null, uptimeSeconds: null };
      setTest({ kind: 'done', test: changed, expected: isText(details.expected) ? details.expected : null });
    } else {
      setTest({ kind: 'failed', error: result.error });
    }
  }

  /** A key the user confirms changed on purpose: pinned now when the server exists, else trusted for this test. */
  async function acceptChanged(fingerprint: string) {
    if (!id) return runTest(fingerprint);
    const result = await call('servers.acceptHostKey', { id, fingerprint });
    if (!result.ok) return toastError(result.error);
    setSaved(result.value);
    await runTest(null);
  }

  async function save() {
    setSubmitted(true);
    if (!check.success || !draft) return;
    setSaving(true);
    const result = id ? await call('servers.update', { id, server: check.data }) : await call('servers.create', { server: check.data });
    if (!result.ok) {
      setSaving(false);
      if (result.error.code === 'server_name_taken') setTakenName(check.data.name.trim());
      else toastError(result.error);
      return;
    }
    const server = result.value;
    const followUps = [];
    if (trusted && server.hostKey?.fingerprint !== trusted) followUps.push(call('servers.acceptHostKey', { id: server.id, fingerprint: trusted }));
    if (draft.authKind === 'key' && draft.passphraseKind === 'stored' && draft.passphrase !== '') {
      followUps.push(call('servers.setPassphrase', { id: server.id, passphrase: draft.passphrase }));
    }
    for (const answer of await Promise.all(followUps)) if (!answer.ok) toastError(answer.error);
    setSaving(false);
    push({ kind: 'success', title: t(id ? 'servers.form.saved' : 'servers.form.created', { name: server.name }) });
    void navigate(`/servers/${server.id}`);
  }

  const passphraseKinds: PassphraseKind[] = isElectron || draft.passphraseKind === 'stored' ? ['none', 'stored', 'env', 'file'] : ['none', 'env', 'file'];
  const back = id ? `/servers/${id}` : '/servers';
  const tags = parseTags(draft.tags);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <BackLink to={back} label={t(id ? 'servers.form.backToServer' : 'servers.form.backToFleet')} />
          <h1>{t(id ? 'servers.form.editTitle' : 'servers.form.newTitle')}</h1>
        </div>
      </header>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
        noValidate
      >
        <section className="card">
          <h2 className="card-title">{t('servers.form.connection')}</h2>
          <div className="form-grid">
            <FormField id="name" label={t('servers.fields.name')} hint={t('servers.form.nameHint')} error={errorOf('name')}>
              <input {...text('name')} autoFocus={!id} />
            </FormField>
            <FormField id="username" label={t('servers.fields.username')} error={errorOf('username')}>
              <input {...text('username')} autoComplete="off" spellCheck={false} />
            </FormField>
            <FormField id="host" label={t('servers.fields.host')} hint={t('servers.form.hostHint')} error={errorOf('host')}>
              <input {...text('host')} autoComplete="off" spellCheck={false} />
            </FormField>
            <FormField id="port" label={t('servers.fields.port')} error={errorOf('port')}>
              <input {...text('port')} inputMode="numeric" />
            </FormField>
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('servers.form.authentication')}</h2>
          {saved && needsKeyHere(saved) ? (
            <div className="notice warning server-key-missing" data-testid="server-key-missing-form">
              <KeyRound size={16} className="notice-icon" aria-hidden />
              <p className="notice-text">{t('servers.form.keyMissingHere')}</p>
            </div>
          ) : null}
          <div className="form-grid">
            <FormField id="authKind" label={t('servers.fields.authKind')} wide>
              <select id="authKind" value={draft.authKind} onChange={(e) => set('authKind', e.target.value === 'agent' ? 'agent' : 'key')}>
                <option value="key">{t('servers.auth.key')}</option>
                <option value="agent">{t('servers.auth.agent')}</option>
              </select>
            </FormField>
            {draft.authKind === 'key' ? (
              <>
                <FormField id="keyPath" label={t('servers.fields.keyPath')} hint={t('servers.form.keyPathHint')} error={errorOf('auth.keyPath')} wide>
                  <input {...text('keyPath')} spellCheck={false} />
                </FormField>
                <FormField id="passphraseKind" label={t('servers.fields.passphrase')}>
                  <select id="passphraseKind" value={draft.passphraseKind} onChange={(e) => set('passphraseKind', e.target.value as PassphraseKind)}>
                    {passphraseKinds.map((kind) => (
                      <option key={kind} value={kind}>
                        {t(`servers.passphrase.${kind}`)}
                      </option>
                    ))}
                  </select>
                </FormField>
                {draft.passphraseKind === 'env' ? (
                  <FormField id="passphraseEnv" label={t('servers.fields.passphraseEnv')} error={errorOf('auth.passphrase.name')}>
                    <input {...text('passphraseEnv')} spellCheck={false} />
                  </FormField>
                ) : draft.passphraseKind === 'file' ? (
                  <FormField id="passphraseFile" label={t('servers.fields.passphraseFile')} error={errorOf('auth.passphrase.path')}>
                    <input {...text('passphraseFile')} spellCheck={false} />
                  </FormField>
                ) : draft.passphraseKind === 'stored' ? (
                  <FormField id="passphrase" label={t('servers.fields.passphraseStored')} hint={t(id ? 'servers.form.storedKeepHint' : 'servers.form.storedHint')}>
                    <input id="passphrase" type="password" value={draft.passphrase} onChange={(e) => set('passphrase', e.target.value)} autoComplete="off" />
                  </FormField>
                ) : (
                  <div />
                )}
              </>
            ) : (
              <div className="field-hint field-wide">{t('servers.form.agentHint')}</div>
            )}
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">{t('servers.form.monitoring')}</h2>
          <div className="form-grid">
            <FormField id="sweepInterval" label={t('servers.fields.sweepInterval')} hint={t('servers.form.sweepIntervalHint')} error={errorOf('sweepIntervalSeconds')}>
              <input {...text('sweepInterval')} inputMode="numeric" />
            </FormField>
            <FormField id="tags" label={t('servers.fields.tags')} hint={t('servers.form.tagsHint')} error={errorOf('tags') ?? errorOf('tags.0')}>
              <input id="tags" value={draft.tags} onChange={(e) => set('tags', e.target.value)} onBlur={() => touch('tags')} />
              {tags.length > 0 ? <Tags tags={tags} /> : null}
            </FormField>
            <FormField id="notes" label={t('servers.fields.notes')} error={errorOf('notes')} wide>
              <textarea id="notes" rows={2} value={draft.notes} onChange={(e) => set('notes', e.target.value)} onBlur={() => touch('notes')} />
            </FormField>
          </div>
        </section>

        <section className="card">
          <div className="card-header">
            <h2>{t('servers.form.services')}</h2>
            <button className="button small" type="button" onClick={() => set('services', [...draft.services, emptyService()])} data-testid="service-add">
              <Plus size={14} />
              {t('servers.form.addService')}
            </button>
          </div>
          {draft.services.length === 0 ? <p className="muted">{t('servers.form.noServices')}</p> : null}
          <div className="service-rows">
            {draft.services.map((service, index) => {
              const path = (field: string) => `services.${index}.${field}`;
              const field = (name: 'name' | 'url' | 'expectText' | 'unit' | 'process' | 'port') => ({
                id: `service-${index}-${name}`,
                value: service[name],
                onChange: (e: { target: { value: string } }) => setService(index, { [name]: e.target.value }),
                onBlur: () => touch(path(name)),
                'aria-invalid': errorOf(path(name)) !== null,
              });
              return (
                <fieldset key={service.key} className="service-row" data-testid="service-row">
                  <legend className="sr-only">{t('servers.form.serviceNumber', { number: index + 1 })}</legend>
                  <FormField id={`service-${index}-name`} label={t('servers.service.name')} error={errorOf(path('name'))}>
                    <input {...field('name')} />
                  </FormField>
                  <FormField id={`service-${index}-kind`} label={t('servers.service.kind')}>
                    <select
                      id={`service-${index}-kind`}
                      value={service.kind}
                      onChange={(e) => setService(index, { kind: SERVICE_KINDS.find((kind) => kind === e.target.value) ?? 'other' })}
                    >
                      {SERVICE_KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`servers.kinds.${kind}`)}
                        </option>
                      ))}
                    </select>
                  </FormField>
                  <FormField id={`service-${index}-url`} label={t('servers.service.url')} error={errorOf(path('url'))}>
                    <input {...field('url')} type="url" spellCheck={false} placeholder={t('servers.form.urlPlaceholder')} />
                  </FormField>
                  <FormField id={`service-${index}-expectText`} label={t('servers.service.expectText')} error={errorOf(path('expectText'))}>
                    <input {...field('expectText')} />
                  </FormField>
                  <FormField id={`service-${index}-unit`} label={t('servers.service.unit')} error={errorOf(path('unit'))}>
                    <input {...field('unit')} spellCheck={false} placeholder={t('servers.form.unitPlaceholder')} />
                  </FormField>
                  <FormField id={`service-${index}-process`} label={t('servers.service.process')} error={errorOf(path('process'))}>
                    <input {...field('process')} spellCheck={false} />
                  </FormField>
                  <FormField id={`service-${index}-port`} label={t('servers.service.port')} error={errorOf(path('port'))}>
                    <input {...field('port')} inputMode="numeric" />
                  </FormField>
                  <div className="service-remove">
                    <button
                      className="button small danger-outline"
                      type="button"
                      onClick={() => set('services', draft.services.filter((_, i) => i !== index))}
                      data-testid="service-remove"
                    >
                      <Trash2 size={14} />
                      {t('servers.form.removeService')}
                    </button>
                  </div>
                </fieldset>
              );
            })}
          </div>
        </section>

        <section className="card" data-testid="connection-test">
          <div className="card-header">
            <div>
              <h2>{t('servers.test.title')}</h2>
              <div className="field-hint">{t('servers.test.hint')}</div>
            </div>
            <button className="button" type="button" onClick={() => void runTest(null)} disabled={test.kind === 'running'} data-testid="test-connection">
              <Plug size={16} />
              {t(test.kind === 'running' ? 'servers.test.running' : 'servers.test.run')}
            </button>
          </div>
          <TestOutcome state={test} trusted={trusted} onTrust={(fingerprint) => void runTest(fingerprint)} onAcceptChanged={(fingerprint) => void acceptChanged(fingerprint)} language={i18n.language} />
        </section>

        <div className="actions">
          <Link className="button" to={back}>
            {t('common.cancel')}
          </Link>
          <button className="button primary" type="submit" disabled={saving || (submitted && !check.success)} data-testid="server-save">
            {t(id ? 'common.save' : 'servers.form.create')}
          </button>
        </div>
      </form>
    </div>
  );
}

function TestOutcome({
  state,
  trusted,
  onTrust,
  onAcceptChanged,
  language,
}: {
  state: TestState;
  trusted: string | null;
  onTrust: (fingerprint: string) => void;
  onAcceptChanged: (fingerprint: string) => void;
  language: string;
}) {
  const { t } = useTranslation();
  if (state.kind === 'idle' || state.kind === 'running') return null;
  if (state.kind === 'failed') {
    return (
      <div className="test-result test-failed" role="alert" data-testid="test-failed">
        <XCircle size={18} />
        <span>{errorMessage(state.error)}</span>
      </div>
    );
  }
  const { test, expected } = state;
  // A key not pinned yet answers 'unknown' even once trusted for this test: it is pinned on save.
  const connected = test.hostKey === 'match' || trusted === test.fingerprint;
  if (!connected && test.hostKey === 'unknown') return <HostKeyPanel kind="unknown" fingerprint={test.fingerprint} onAccept={() => onTrust(test.fingerprint)} />;
  if (!connected) {
    return <HostKeyPanel kind="changed" fingerprint={test.fingerprint} expected={expected} onAccept={() => onAcceptChanged(test.fingerprint)} />;
  }
  return (
    <div className="test-result test-ok" data-testid="test-ok">
      <CheckCircle2 size={18} />
      <div>
        <div className="test-ok-title">{t('servers.test.connected')}</div>
        <dl className="facts">
          <dt>{t('servers.test.os')}</dt>
          <dd data-testid="test-os">{test.os ?? t('servers.test.unknown')}</dd>
          <dt>{t('servers.test.uptime')}</dt>
          <dd data-testid="test-uptime">{test.uptimeSeconds === null ? t('servers.test.unknown') : formatDuration(test.uptimeSeconds * 1000, language)}</dd>
          <dt>{t('servers.hostKey.fingerprint')}</dt>
          <dd>{test.fingerprint}</dd>
        </dl>
        {trusted ? <p className="field-hint">{t('servers.test.pinOnSave')}</p> : null}
      </div>
    </div>
  );
}
