import { describe, expect, it } from 'vitest';
import en from '../../i18n/locales/en.json';
import enBackups from '../../i18n/locales/en.backups.json';
import enChannels from '../../i18n/locales/en.channels.json';
import enDues from '../../i18n/locales/en.dues.json';
import enMembers from '../../i18n/locales/en.members.json';
import enMetrics from '../../i18n/locales/en.metrics.json';
import enServers from '../../i18n/locales/en.servers.json';
import enSync from '../../i18n/locales/en.sync.json';
import frChannels from '../../i18n/locales/fr.channels.json';
import fr from '../../i18n/locales/fr.json';

// The Notifications screens' words: the same checks as i18n/locales.test.ts, for the area file it does not list.
const flat = (tree: unknown, prefix = ''): [string, string][] =>
  tree && typeof tree === 'object'
    ? Object.entries(tree).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
    : typeof tree === 'string' ? [[prefix, tree]] : [];
const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('notification channels translations', () => {
  it('French and English have the same keys and placeholders', () => {
    const french = new Map(flat(frChannels));
    expect([...french.keys()].sort()).toEqual(flat(enChannels).map(([key]) => key).sort());
    for (const [key, text] of flat(enChannels)) expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('has its own top-level key, overwriting no other area', () => {
    expect(Object.keys(enChannels)).toEqual(['channels']);
    expect(Object.keys(frChannels)).toEqual(['channels']);
    for (const area of [en, enMembers, enDues, enServers, enMetrics, enBackups, enSync]) expect(Object.keys(area)).not.toContain('channels');
  });

  it('translates every channel error code the core sends, in both languages', () => {
    const codes = flat(en.errors).map(([key]) => key).filter((key) => key.startsWith('channel_'));
    expect(codes.length).toBeGreaterThan(10);
    const frErrors = new Map(flat(fr.errors));
    for (const code of codes) expect(frErrors.get(code), code).toBeTruthy();
  });

  it('French keeps a non-breaking space before : ; ! ? and inside « »', () => {
    for (const [key, text] of flat(frChannels)) expect(text, key).not.toMatch(/ [:;!?»]|« /);
  });
});
