import { shell } from 'electron';

/** Only called by the core after it checked the link against the contract's allowlist. */
export const openExternal = (url: string): Promise<void> => shell.openExternal(url);
