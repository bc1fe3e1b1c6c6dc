/** host or host:port, with an IPv6 address in brackets: nothing else (no userinfo, path or spaces) is a Host header. */
const HOST_HEADER = /^(?:\[[\da-f:.]+\]|[\da-z.-]+)(?::\d{1,5})?$/i;

/**
 * Whether a Host header names this machine: 127.0.0.0/8, localhost or ::1, on any port (an SSH tunnel forwards another
 * one). Any other name means a page of another site reached us through DNS rebinding: it gets nothing.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host || !HOST_HEADER.test(host)) return false;
  let hostname: string;
  try {
    // The URL parser canonicalises the forms of an address (127.1, 0x7f.0.0.1, [0:0::1]…).
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
