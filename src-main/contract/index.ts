import type { z } from 'zod';
import { channelMethods } from './alert-channels';
import { appEvents, appMethods } from './app';
import { backupEvents, backupMethods } from './backups';
import type { EventSpec, MethodSpec } from './define';
import { duesMethods } from './dues';
import { memberEvents, memberMethods } from './members';
import { metricMethods } from './metrics';
import { serverEvents, serverMethods } from './servers';
import { settingsEvents, settingsMethods } from './settings';
import { syncEvents, syncMethods } from './sync';
import { transferMethods } from './transfer';

/** The whole API: every domain's methods merged into one map (one name → one schema and result type). */
export const contract = {
  ...appMethods,
  ...settingsMethods,
  ...memberMethods,
  ...duesMethods,
  ...transferMethods,
  ...serverMethods,
  ...metricMethods,
  ...backupMethods,
  ...syncMethods,
  ...channelMethods,
};

export const events = {
  ...appEvents,
  ...settingsEvents,
  ...memberEvents,
  ...serverEvents,
  ...backupEvents,
  ...syncEvents,
};

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = Contract[M] extends MethodSpec<z.ZodType, infer R> ? R : never;

export type EventName = keyof typeof events;
export type PayloadOf<E extends EventName> = (typeof events)[E] extends EventSpec<infer P> ? P : never;

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

export * from './result';
export type { AppInfo, AppNotification, Face } from './app';
export type { Language, Settings, SettingsPatch } from './settings';
export { LANGUAGES } from './settings';
export type * from './alert-channels';
export type * from './audit';
export type * from './backups';
export type * from './dues';
export type * from './fields';
export type * from './members';
export type * from './metrics';
export type * from './servers';
export type * from './sync';
export type * from './transfer';
