/** The only web permission the window may use or even query: desktop notifications for alerts. */
export const permissionAllowed = (permission: string): boolean => permission === 'notifications';
