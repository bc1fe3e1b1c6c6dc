import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The electron package's path to its binary, or why there is none (installed with ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(__filename)('electron') as unknown as string;
    return existsSync(path) ? { path } : { missing: `the Electron binary is absent (${path})` };
  } catch (error) {
    return { missing: `the Electron binary is not installed: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
}

const binary = electronBinary();

test('the desktop app opens on first-run setup with an isolated renderer and a two-call bridge', async () => {
  if ('missing' in binary) {
    const reason = `${binary.missing}; the renderer is tested in Chromium through pelote serve instead`;
    // Printed too: the list reporter does not show skip reasons, and this must never pass silently.
    console.log(`Electron e2e skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }

  const userData = mkdtempSync(join(tmpdir(), 'pelote-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [resolve(__dirname, '../out/main/index.js'), `--user-data-dir=${userData}`],
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('setup-submit')).toBeVisible();
    // The preload bridge is there; Node and ipcRenderer are not.
    const exposed = await page.evaluate(() => ({
      bridge: typeof window.pelote?.invoke,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' });
    // A sandboxed preload cannot reach Node's modules: the bridge must not hand out anything beyond its two calls.
    expect(await page.evaluate(() => Object.keys(window.pelote ?? {}).sort())).toEqual(['invoke', 'on']);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
