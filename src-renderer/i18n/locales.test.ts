import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import enBackups from './locales/en.backups.json';
import enDues from './locales/en.dues.json';
import enMembers from './locales/en.members.json';
import enMetrics from './locales/en.metrics.json';
import enServers from './locales/en.servers.json';
import fr from './locales/fr.json';
import frBackups from './locales/fr.backups.json';
import frDues from './locales/fr.dues.json';
import frMembers from './locales/fr.members.json';
import frMetrics from './locales/fr.metrics.json';
import frServers from './locales/fr.servers.json';

/** Every key path of a translation tree, arrays included (their length matters: lists are rendered). */
function keys(tree: unknown, prefix = ''): string[] {
  if (Array.isArray(tree)) return [`${prefix}[${tree.length}]`];
  if (tree && typeof tree === 'object') return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it.each([
    ['main', en, fr],
    ['members', enMembers, frMembers],
    ['dues', enDues, frDues],
    ['servers', enServers, frServers],
    ['metrics', enMetrics, frMetrics],
    ['backups', enBackups, frBackups],
  ])('%s: French and English have the same keys', (_name, english, french) => {
    expect(keys(french).sort()).toEqual(keys(english).sort());
  });

  it('uses the same interpolation placeholders in both languages', () => {
    const flat = (tree: unknown, prefix = ''): [string, string][] =>
      tree && typeof tree === 'object'
        ? Object.entries(tree).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
        : typeof tree === 'string' ? [[prefix, tree]] : [];
    const french = new Map(flat({ ...fr, ...frMembers, ...frDues, ...frServers, ...frMetrics, ...frBackups }));
    for (const [key, text] of flat({ ...en, ...enMembers, ...enDues, ...enServers, ...enMetrics, ...enBackups })) {
      expect(placeholders(french.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('area files never overwrite each other', () => {
    const areas = [Object.keys(en), Object.keys(enMembers), Object.keys(enDues), Object.keys(enServers), Object.keys(enMetrics), Object.keys(enBackups)];
    const all = areas.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
