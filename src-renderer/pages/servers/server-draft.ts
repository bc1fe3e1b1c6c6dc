import type { Server, ServerInput, ServiceKind } from '../../../src-main/contract';

/** One service row as typed: numbers stay text until the form is checked. */
export interface ServiceDraft {
  /** React key: stable while rows are added and removed. */
  key: string;
  id: string | null;
  name: string;
  kind: ServiceKind;
  url: string;
  expectText: string;
  unit: string;
  process: string;
  port: string;
}

export type PassphraseKind = 'none' | 'stored' | 'env' | 'file';

/** The server form as typed. */
export interface ServerDraft {
  name: string;
  host: string;
  port: string;
  username: string;
  authKind: 'agent' | 'key';
  keyPath: string;
  passphraseKind: PassphraseKind;
  passphraseEnv: string;
  passphraseFile: string;
  /** Electron only: sealed by the OS keychain after saving, never kept in the draft's input. */
  passphrase: string;
  tags: string;
  notes: string;
  sweepInterval: string;
  services: ServiceDraft[];
}

let nextKey = 1;
const rowKey = () => `row-${nextKey++}`;

export const EMPTY_SERVER_DRAFT: ServerDraft = {
  name: '',
  host: '',
  port: '22',
  username: '',
  authKind: 'key',
  keyPath: '',
  passphraseKind: 'none',
  passphraseEnv: '',
  passphraseFile: '',
  passphrase: '',
  tags: '',
  notes: '',
  sweepInterval: '30',
  services: [],
};

export const emptyService = (): ServiceDraft => ({
  key: rowKey(),
  id: null,
  name: '',
  kind: 'website',
  url: '',
  expectText: '',
  unit: '',
  process: '',
  port: '',
});

/** "a, b,, c " → ["a", "b", "c"], without repeats. */
export const parseTags = (text: string): string[] => [...new Set(text.split(',').map((tag) => tag.trim()).filter(Boolean))];

/** Text typed in a number field: empty is "not given", anything else must read as a number (NaN is refused). */
const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text.trim()));
const textOrNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

export function draftToInput(draft: ServerDraft): ServerInput {
  const passphrase =
    draft.passphraseKind === 'env'
      ? { kind: 'env' as const, name: draft.passphraseEnv.trim() }
      : draft.passphraseKind === 'file'
        ? { kind: 'file' as const, path: draft.passphraseFile.trim() }
        : { kind: draft.passphraseKind };
  return {
    name: draft.name,
    host: draft.host,
    port: numberOrNull(draft.port) ?? 22,
    username: draft.username,
    auth: draft.authKind === 'agent' ? { kind: 'agent' } : { kind: 'key', keyPath: draft.keyPath.trim(), passphrase },
    tags: parseTags(draft.tags),
    notes: draft.notes,
    sweepIntervalSeconds: numberOrNull(draft.sweepInterval) ?? 30,
    services: draft.services.map((service) => ({
      id: service.id,
      name: service.name,
      kind: service.kind,
      url: service.url.trim(),
      expectText: service.expectText,
      unit: textOrNull(service.unit),
      process: textOrNull(service.process),
      port: numberOrNull(service.port),
    })),
  };
}

export function serverToDraft(server: Server): ServerDraft {
  const { auth } = server;
  const passphrase = auth.kind === 'key' ? auth.passphrase : { kind: 'none' as const };
  return {
    ...EMPTY_SERVER_DRAFT,
    name: server.name,
    host: server.host,
    port: String(server.port),
    username: server.username,
    authKind: auth.kind,
    keyPath: auth.kind === 'key' ? auth.keyPath : '',
    passphraseKind: passphrase.kind,
    passphraseEnv: passphrase.kind === 'env' ? passphrase.name : '',
    passphraseFile: passphrase.kind === 'file' ? passphrase.path : '',
    tags: server.tags.join(', '),
    notes: server.notes,
    sweepInterval: String(server.sweepIntervalSeconds),
    services: server.services.map((service) => ({
      key: rowKey(),
      id: service.id,
      name: service.name,
      kind: service.kind,
      url: service.url,
      expectText: service.expectText,
      unit: service.unit ?? '',
      process: service.process ?? '',
      port: service.port === null ? '' : String(service.port),
    })),
  };
}
