import type { BrowserWindow } from 'electron';
import { dialog } from 'electron';
import { writeFile } from 'node:fs/promises';

/** Saves bytes where the user chooses (receipts, exports); null when the dialog is cancelled. */
export async function saveWithDialog(window: BrowserWindow, suggestedName: string, bytes: Uint8Array): Promise<string | null> {
  const { canceled, filePath } = await dialog.showSaveDialog(window, { defaultPath: suggestedName });
  if (canceled || !filePath) return null;
  await writeFile(filePath, bytes);
  return filePath;
}
