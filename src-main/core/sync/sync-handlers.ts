import type { Core } from '../core';
import type { HandlersFor } from '../handler-types';
import { listConflicts, resolveConflict } from './conflicts';
import { takeReceiptBook } from './receipt-book';
import { rekey, removeDevice } from './rotate-key';
import { confirmSheet, createTeam, joinTeam, syncNow, syncStatus, teamSheet } from './team-sync';

type SyncMethod = 'sync.status' | 'sync.create' | 'sync.join' | 'sync.sheet' | 'sync.confirmSheet' | 'sync.now' | 'sync.conflicts' | 'sync.resolveConflict' | 'sync.takeReceiptBook' | 'sync.removeDevice' | 'sync.rekey';

export const syncHandlers = (core: Core): HandlersFor<SyncMethod> => ({
  'sync.status': () => syncStatus(core),
  'sync.create': (input) => createTeam(core, input),
  'sync.join': (input) => joinTeam(core, input),
  'sync.sheet': () => teamSheet(core),
  'sync.confirmSheet': () => confirmSheet(core),
  'sync.now': () => syncNow(core),
  'sync.conflicts': () => listConflicts(core.db),
  'sync.resolveConflict': (input) => resolveConflict(core, input),
  'sync.takeReceiptBook': () => {
    takeReceiptBook(core);
    const status = syncStatus(core);
    core.events.emit('sync.changed', status);
    return status;
  },
  'sync.removeDevice': (input) => removeDevice(core, input),
  'sync.rekey': (input) => rekey(core, input),
});
