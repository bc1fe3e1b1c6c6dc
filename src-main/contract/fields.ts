import { z } from 'zod';

/** Shared field schemas: every domain validates text, dates and money the same way. */
export const text = (max: number) => z.string().trim().max(max);
export const isoDate = z.iso.date();
export const cents = z.number().int().min(0).max(100_000_000_00);
export const id = z.uuid();
export const base64 = z.base64().max(90 * 1024 * 1024);

/** A file handed to the renderer to save (Electron: save dialog; browser: download). */
export interface FilePayload {
  fileName: string;
  mimeType: string;
  base64: string;
}
