import { z } from 'zod';
import { multilineText, text } from './fields';
import { event, method } from './define';
import type { PeriodRule } from './dues';
import { graceDaysSchema, periodRuleSchema } from './dues';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Association-wide settings (synced later) plus this device's volunteer name (never synced). */
export interface Settings {
  associationName: string;
  associationAddress: string;
  currency: string;
  /** null: follow the system or browser language. */
  language: Language | null;
  fiscalYearStartMonth: number;
  /** The association's dues period; categories may override it. */
  duesPeriod: PeriodRule;
  duesGraceDays: number;
  volunteerName: string;
  /** False until the first-run setup is done. */
  setupComplete: boolean;
}


export const settingsPatchSchema = z
  .object({
    associationName: text(200).min(1),
    associationAddress: multilineText(1000),
    currency: z.string().regex(/^[A-Z]{3}$/),
    language: z.enum(LANGUAGES).nullable(),
    fiscalYearStartMonth: z.number().int().min(1).max(12),
    duesPeriod: periodRuleSchema,
    duesGraceDays: graceDaysSchema,
    volunteerName: text(120),
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'empty patch' });

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsMethods = {
  'settings.get': method<Settings>()(z.object({}).strict()),
  'settings.update': method<Settings>()(settingsPatchSchema),
  'settings.completeSetup': method<Settings>()(
    z
      .object({
        associationName: text(200).min(1),
        language: z.enum(LANGUAGES),
        volunteerName: text(120).optional(),
      })
      .strict(),
  ),
};

export const settingsEvents = {
  'settings.changed': event<Settings>(),
};
