/**
 * One Content-Security-Policy for both faces: the Electron window (response header) and the browser host.
 * No inline scripts, no remote origins; the renderer talks only to its own origin (WebSocket included).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
