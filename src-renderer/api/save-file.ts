import type { FilePayload } from '../../src-main/contract';
import { call, isElectron } from './client';
import { toastError } from './errors';

/** How long a download's blob URL stays alive: the browser has started reading it well before. */
const BLOB_URL_LIFETIME_MS = 60_000;

/**
 * Saves a file the core produced: Electron asks where through a native save dialog (the core writes it); the browser
 * host downloads it. Resolves false when it failed (the error is shown) or the user cancelled the dialog.
 */
export async function saveFile(payload: FilePayload): Promise<boolean> {
  if (isElectron) {
    const result = await call('app.saveFile', { fileName: payload.fileName, base64: payload.base64 });
    if (!result.ok) toastError(result.error);
    return result.ok && result.value.path !== null;
  }
  const bytes = Uint8Array.from(atob(payload.base64), (char) => char.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: payload.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = payload.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
  return true;
}
