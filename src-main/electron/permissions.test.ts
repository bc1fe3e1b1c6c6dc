import { describe, expect, it } from 'vitest';
import { permissionAllowed } from './permissions';

describe('window permissions', () => {
  it('allows notifications and nothing else, for requests and checks alike', () => {
    expect(permissionAllowed('notifications')).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'serial', 'usb', 'fileSystem', 'openExternal', 'unknown']) {
      expect(permissionAllowed(permission), permission).toBe(false);
    }
  });
});
