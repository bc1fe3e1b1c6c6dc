import type { BrowserWindow } from 'electron';
import { dialog } from 'electron';
import { writePrivateFile } from '../../core/private-files';

/** Saves bytes, 0600, where the user chooses (receipts, exports); null when the dialog is cancelled. */
export async function saveWithDialog(window: BrowserWindow, suggestedName: string, bytes: Uint8Array): Promise<string | null> {
  const { canceled, filePath } = await dialog.showSaveDialog(window, { defaultPath: suggestedName });
  if (canceled || !filePath) return null;
  // Receipts and exports hold members' data; the dialog has already asked before replacing a file.
  writePrivateFile(filePath, bytes, { overwrite: true });
  return filePath;
}
