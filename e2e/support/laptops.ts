// Several laptops of one association in one spec: each a `pelote serve` on its own data directory with its own
// browser context, and the helpers the team specs share.
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { watchConsole } from './console-errors';
import { callOk } from './raw-call';
import type { ServedPelote } from './serve';
import { servePelote } from './serve';
import { screenshot } from './session';

export interface Laptop {
  served: ServedPelote;
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export async function openLaptop(browser: Browser): Promise<Laptop> {
  const served = await servePelote();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await context.newPage();
  return { served, context, page, errors: watchConsole(page) };
}

export async function closeLaptops(laptops: readonly Laptop[]): Promise<void> {
  for (const laptop of laptops) {
    await laptop.context.close();
    await laptop.served.stop();
  }
}

export async function setLanguage(page: Page, language: 'en' | 'fr'): Promise<void> {
  await callOk(page, 'settings.update', { language });
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

/** The screen in English, then in French, then back in English. */
export async function inBothLanguages(page: Page, name: string, target?: () => Locator): Promise<void> {
  await screenshot(page, `en-${name}`, target?.());
  await setLanguage(page, 'fr');
  await screenshot(page, `fr-${name}`, target?.());
  await setLanguage(page, 'en');
}

export async function openSyncPage(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sync-settings-open').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export async function syncNow(page: Page): Promise<void> {
  const button = page.getByTestId('sync-now');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(button).toBeEnabled();
}
