import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, tempCore, testPlatform } from '../../testing/temp-core';
import { openCore } from '../core';

const clock = fixedClock('2026-11-23T10:00:00.000Z');
let core: ReturnType<typeof tempCore>;
afterEach(() => core.cleanup());

describe('settings', () => {
  it('starts with defaults and setup not complete', () => {
    core = tempCore({ clock });
    expect(core.settings.get()).toEqual({
      associationName: '',
      associationAddress: '',
      currency: 'EUR',
      language: null,
      fiscalYearStartMonth: 1,
      duesPeriod: { kind: 'calendar_year' },
      duesGraceDays: 30,
      volunteerName: '',
      setupComplete: false,
    });
  });

  it('keeps updates across a reopen of the file', () => {
    core = tempCore({ clock });
    core.settings.update({ associationName: 'Chatons du Bocage', fiscalYearStartMonth: 9, language: 'fr' });
    const reopened = openCore({ dataDir: core.dataDir, platform: testPlatform(), clock });
    expect(reopened.settings.get()).toMatchObject({
      associationName: 'Chatons du Bocage',
      fiscalYearStartMonth: 9,
      language: 'fr',
      setupComplete: true,
    });
    reopened.close();
  });

  it('writes the audit entry in the same transaction, naming who changed what', () => {
    core = tempCore({ clock });
    core.settings.update({ volunteerName: 'Hélène' });
    clock.set('2026-11-23T11:00:00.000Z');
    core.settings.update({ associationName: 'Les Chatons', currency: 'EUR' });

    const entries = core.audit.list({ entity: 'settings' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'Hélène',
      at: '2026-11-23T11:00:00.000Z',
      action: 'update',
      entityId: 'association',
      // Currency did not change: only the name is recorded.
      changes: { associationName: { from: '', to: 'Les Chatons' } },
    });
    const device = core.audit.list({ entity: 'device' });
    expect(device[0]?.changes).toEqual({ volunteerName: { from: '', to: 'Hélène' } });
  });

  it('rolls the settings change back when its audit entry cannot be written', () => {
    core = tempCore({ clock });
    core.settings.update({ associationName: 'Before' });
    // Sabotage the audit log only: the settings write must not survive alone.
    core.db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(() => core.settings.update({ associationName: 'After' })).toThrow(/disk full/);
    expect(core.settings.get().associationName).toBe('Before');
  });

  it('never lets the audit log be edited or deleted', () => {
    core = tempCore({ clock });
    core.settings.update({ associationName: 'Les Chatons' });
    expect(() => core.db.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect(() => core.db.prepare("update audit_log set actor = 'someone'").run()).toThrow(/append-only/);
  });

  it('emits settings.changed for the other faces', () => {
    core = tempCore({ clock });
    const seen: unknown[] = [];
    core.events.onAny((name, payload) => seen.push([name, payload]));
    core.settings.update({ associationName: 'Les Chatons' });
    expect(seen).toEqual([['settings.changed', expect.objectContaining({ associationName: 'Les Chatons' })]]);
  });
});
