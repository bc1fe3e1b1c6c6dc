import { z } from 'zod';

/** Shared field schemas: every domain validates text, dates and money the same way. */
export const text = (max: number) => z.string().trim().max(max);
export const isoDate = z.iso.date();
export const cents = z.number().int().min(0).max(100_000_000_00);
export const id = z.uuid();
/** The largest file the contract carries, as base64 characters: the browser host's socket must hold a message this big. */
export const MAX_BASE64_LENGTH = 90 * 1024 * 1024;
export const base64 = z.base64().max(MAX_BASE64_LENGTH);

/** A file handed to the renderer to save (Electron: save dialog; browser: download). */
export interface FilePayload {
  fileName: string;
  mimeType: string;
  base64: string;
}
