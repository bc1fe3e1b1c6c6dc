import type { Page } from '@playwright/test';

export type RawResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/**
 * One contract call over the page's own socket, as the renderer (or a compromised one) could send it: for test set-up
 * the screen under test does not own, and for checking the boundary's validation.
 */
export function rawCall<T = unknown>(page: Page, method: string, args: unknown): Promise<RawResult<T>> {
  return page.evaluate(
    ([m, a]) =>
      new Promise<RawResult<T>>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/api`);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: m, args: a }));
        ws.onmessage = (event) => {
          // Events pushed to every socket (members.changed…) may arrive before the answer.
          const message = JSON.parse(String(event.data)) as { type: string; result: RawResult<T> };
          if (message.type !== 'result') return;
          resolve(message.result);
          ws.close();
        };
        ws.onerror = () => reject(new Error('socket refused'));
      }),
    [method, args] as const,
  );
}

/** `rawCall` for set-up steps that must succeed. */
export async function callOk<T>(page: Page, method: string, args: unknown): Promise<T> {
  const result = await rawCall<T>(page, method, args);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}
