import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeLease } from './compaction-lease';
import { writeHead } from './heads';
import { snapshotName } from './layout';
import { readSegmentsAfter, writeSegment } from './segments';
import { writeSnapshot } from './snapshots';
import { initTeamFolder } from './team-folder';
import { formatTeamKey, generateTeamKey } from './team-key';
import { allFiles, DEVICE_A as A, DEVICE_B as B, localTeamFolder, syncMessage, type LocalTeamFolder } from './testing/local-team';

/** Personal data as it would travel: a member's name and email, the volunteer's name. */
const SECRETS = ['Héloïse Dupont-Verdier', 'heloise.dupont@example.org', 'Bénévole Anonyme'];

/** Every way the text could sit in a file as-is: UTF-8, UTF-16, and a few of its words. */
function needles(text: string): Buffer[] {
  const words = text.split(/[\s@.-]+/).filter((word) => word.length >= 5);
  return [text, ...words].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le'), Buffer.from(t.toLowerCase(), 'utf8')]);
}

describe('the folder holds no plaintext', () => {
  let folder: LocalTeamFolder;
  beforeEach(() => (folder = localTeamFolder()));
  afterEach(() => folder.cleanup());

  it('in any byte of any file, even with the member’s name repeated in every kind of file', async () => {
    const key = generateTeamKey();
    const now = new Date('2025-03-01T09:30:00.000Z');
    const team = await initTeamFolder(folder.store, key, now);
    const [name = '', email = '', volunteer = ''] = SECRETS;
    for (let seq = 1; seq <= 5; seq++) {
      await writeSegment(folder.store, team, A, seq, [syncMessage(name), syncMessage(email, A, 'email'), syncMessage(`${name} ${'x'.repeat(seq)}`)]);
    }
    await writeSegment(folder.store, team, B, 1, [syncMessage(name, B)]);
    await writeHead(folder.store, team, A, { seq: 5, cursors: { [B]: 1 }, volunteerName: volunteer, appVersion: '0.1.0', schemaVersion: 1, at: now.toISOString(), merkle: {} });
    await writeSnapshot(folder.store, team, A, snapshotName(now, A), Buffer.from(`${name};${email}\n`.repeat(500)));
    expect(await takeLease(folder.store, team, A, now, 60_000, { confirmDelayMs: 1 })).toBe(true);

    const files = allFiles(folder.root);
    expect(files.map((f) => f.path).sort()).toEqual([
      'devices/0123456789abcdef/000000000001.seg',
      'devices/0123456789abcdef/000000000002.seg',
      'devices/0123456789abcdef/000000000003.seg',
      'devices/0123456789abcdef/000000000004.seg',
      'devices/0123456789abcdef/000000000005.seg',
      'devices/0123456789abcdef/head',
      'devices/fedcba9876543210/000000000001.seg',
      'leases/compaction.json',
      `snapshots/${snapshotName(now, A)}.snap`,
      'team.json',
    ]);
    const keyText = formatTeamKey(key);
    for (const { path, bytes } of files) {
      for (const needle of [...SECRETS.flatMap(needles), key, Buffer.from(keyText), Buffer.from(keyText.replace(/ /g, ''))]) {
        expect(bytes.includes(needle), `${path} holds ${needle.toString()}`).toBe(false);
      }
    }
    // And it is all there for whoever holds the key.
    const read = await readSegmentsAfter(folder.store, team, new Map());
    expect(read.segments.flatMap((s) => s.messages.map((m) => m.value))).toContain(name);
  });
});
