import { z } from 'zod';

// Refused in text: C0 and C1 controls and DEL (a NUL truncates C strings, escapes rewrite terminals), and the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name or path read other than it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
// Multi-line fields (notes, addresses) keep tabs and line breaks.
// eslint-disable-next-line no-control-regex -- likewise
const CONTROL_OR_BIDI_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const NO_CONTROLS = 'control characters and bidirectional overrides are not allowed';

/** Shared field schemas: every domain validates text, dates and money the same way. One line of text: */
export const text = (max: number) =>
  z.string().trim().max(max).refine((s) => !CONTROL_OR_BIDI.test(s), { message: NO_CONTROLS });
/** Text a person types on several lines: tabs and line breaks allowed, other controls refused. */
export const multilineText = (max: number) =>
  z.string().trim().max(max).refine((s) => !CONTROL_OR_BIDI_BUT_LINES.test(s), { message: NO_CONTROLS });
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
