import { Notification } from 'electron';

/** Desktop notifications (incidents opening and resolving) go through the OS notification centre. */
export function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}
