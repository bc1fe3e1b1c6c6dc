import type { BrowserContext, Locator, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { watchConsole } from './console-errors';
import type { ServedPelote } from './serve';
import { servePelote } from './serve';

export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export interface Session {
  served: ServedPelote;
  page: Page;
}

/**
 * One `pelote serve` on a fresh data directory and one page, shared by the tests of a serial spec (each builds on
 * the last, as a user would). Every test fails on a console error, CSP violations included.
 */
export function servedSession(): Session {
  const session = {} as Session & { context: BrowserContext; errors: string[] };
  test.describe.configure({ mode: 'serial' });
  test.beforeAll(async ({ browser }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    session.served = await servePelote();
    session.context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
    session.page = await session.context.newPage();
    session.errors = watchConsole(session.page);
  });
  test.afterAll(async () => {
    await session.context.close();
    await session.served.stop();
  });
  test.afterEach(() => {
    expect(session.errors, 'console errors').toEqual([]);
  });
  return session;
}

/** The first-run setup, as a volunteer fills it in: the association, their name, English. */
export async function completeFirstRun(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Association name').fill('Chatons du Bocage');
  await page.getByLabel('Your name').fill('Camille');
  await page.getByLabel('Language').selectOption('en');
  await page.getByTestId('setup-submit').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** Toasts fade on their own; a screenshot shows the screen, not the last few notices over it. */
export async function dismissToasts(page: Page): Promise<void> {
  // All at once, in the page: a toast that fades meanwhile cannot leave a click waiting.
  await page.locator('.toast .icon-button').evaluateAll((buttons) => buttons.forEach((button) => (button as HTMLElement).click()));
  await expect(page.locator('.toast')).toHaveCount(0);
}

/**
 * `e2e/artifacts/<name>.png`. The shell scrolls inside `.main`, so a full-page screenshot would only show the window:
 * the window grows to the content's height for the shot. A locator is shot as is.
 */
export async function screenshot(page: Page, name: string, target?: Locator): Promise<void> {
  await dismissToasts(page);
  const path = join(ARTIFACTS, `${name}.png`);
  if (target) {
    await target.screenshot({ path });
    return;
  }
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no viewport');
  // Before the first-run setup there is no shell: the page itself scrolls.
  const scroller = (await page.locator('.main').count()) > 0 ? page.locator('.main') : page.locator('body');
  const height = await scroller.evaluate((element) => element.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
}
