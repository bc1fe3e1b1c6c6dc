import { describe, expect, it } from 'vitest';
import en from '../../i18n/locales/en.json';
import enBackups from '../../i18n/locales/en.backups.json';
import enDues from '../../i18n/locales/en.dues.json';
import enMembers from '../../i18n/locales/en.members.json';
import enMetrics from '../../i18n/locales/en.metrics.json';
import enServers from '../../i18n/locales/en.servers.json';
import enSync from '../../i18n/locales/en.sync.json';
import frSync from '../../i18n/locales/fr.sync.json';

// The team sync screens' words: the same checks as i18n/locales.test.ts, for the area file it does not list yet.
const flat = (tree: unknown, prefix = ''): [string, string][] =>
  tree && typeof tree === 'object'
    ? Object.entries(tree).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
    : typeof tree === 'string' ? [[prefix, tree]] : [];
const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('team sync translations', () => {
  it('French and English have the same keys and placeholders', () => {
    const french = new Map(flat(frSync));
    expect([...french.keys()].sort()).toEqual(flat(enSync).map(([key]) => key).sort());
    for (const [key, text] of flat(enSync)) expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('has its own top-level key, overwriting no other area', () => {
    expect(Object.keys(enSync)).toEqual(['sync']);
    expect(Object.keys(frSync)).toEqual(['sync']);
    for (const area of [en, enMembers, enDues, enServers, enMetrics, enBackups]) expect(Object.keys(area)).not.toContain('sync');
  });

  it('French keeps a non-breaking space before : ; ! ? and inside « »', () => {
    for (const [key, text] of flat(frSync)) {
      expect(text, key).not.toMatch(/ [:;!?»]|« /);
    }
  });
});
