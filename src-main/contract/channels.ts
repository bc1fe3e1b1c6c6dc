/** IPC channel names, shared by main and the preload. Kept free of imports so the sandboxed preload stays tiny. */
export const INVOKE_CHANNEL = 'pelote:invoke';
export const EVENT_CHANNEL = 'pelote:event';
