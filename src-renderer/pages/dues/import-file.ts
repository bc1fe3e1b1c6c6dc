/** What the contract accepts: 90 MiB of base64, i.e. about 67 MB of file. */
export const MAX_IMPORT_BYTES = Math.floor((90 * 1024 * 1024 * 3) / 4);

export interface ChosenFile {
  name: string;
  size: number;
  base64: string;
}

/** The file's bytes as base64 (the contract carries files that way over IPC and the WebSocket alike). */
export function readChosenFile(file: File): Promise<ChosenFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve({ name: file.name, size: file.size, base64: url.slice(url.indexOf(',') + 1) });
    };
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsDataURL(file);
  });
}
