/**
 * What a face provides to the core: the Electron app wires native adapters, the browser host and the CLI their own.
 * The core never imports `electron`; it asks through this port.
 */
export interface Platform {
  face: 'electron' | 'host' | 'cli';
  appVersion: string;
  runtime: { name: 'electron' | 'node'; version: string };
  /** Opens an allowlisted https link in the system browser. */
  openExternal(url: string): Promise<void>;
  /** A native desktop notification; absent in the browser host, where the page shows it instead. */
  notify?: (title: string, body: string) => void;
  /** Encrypts secrets with the OS keychain (Electron's safeStorage); absent where secrets are asked at run time. */
  secrets?: SecretBox;
  /** Lets the user pick where to save a file; absent in the browser host, which downloads instead. */
  saveFile?: (suggestedName: string, bytes: Uint8Array) => Promise<string | null>;
}

export interface SecretBox {
  available(): boolean;
  /** Why not, when unavailable: no encryption at all, or (Linux) no keyring, only a fixed-key fallback. */
  unavailableReason(): 'no_encryption' | 'no_keyring' | null;
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}
