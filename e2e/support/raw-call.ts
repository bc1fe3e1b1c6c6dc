import type { Page } from '@playwright/test';
import { ACCESS_KEY_STORAGE } from '../../src-renderer/api/ws-bridge';

export type RawResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/**
 * One contract call over the page's own socket, as the renderer (or a compromised one) could send it: for test set-up
 * the screen under test does not own, and for checking the boundary's validation.
 */
export function rawCall<T = unknown>(page: Page, method: string, args: unknown): Promise<RawResult<T>> {
  return page.evaluate(
    ([m, a, keyName]) =>
      new Promise<RawResult<T>>((resolve, reject) => {
        // The access key the page took from its address, sent first as the renderer does.
        const token = sessionStorage.getItem(keyName);
        if (!token) throw new Error('the page has no access key: open served.url first');
        const ws = new WebSocket(`ws://${location.host}/api`);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
        ws.onmessage = (event) => {
          // The auth answer, then events pushed to every socket (members.changed…) may arrive before the answer.
          const message = JSON.parse(String(event.data)) as { type: string; result: RawResult<T> };
          if (message.type === 'auth') ws.send(JSON.stringify({ id: 1, method: m, args: a }));
          if (message.type !== 'result') return;
          resolve(message.result);
          ws.close();
        };
        ws.onclose = (event) => reject(new Error(`socket closed (${event.code})`));
      }),
    [method, args, ACCESS_KEY_STORAGE] as const,
  );
}

/** `rawCall` for set-up steps that must succeed. */
export async function callOk<T>(page: Page, method: string, args: unknown): Promise<T> {
  const result = await rawCall<T>(page, method, args);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}
