import assert from 'node:assert/strict';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildTestApp, PASSWORD, uniqueEmail, type TestApp } from '../support/app.js';
import type { AppDeps } from '../../src/server/platform/app-instance.js';
import { CHROMIUM } from './browser.js';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface E2E {
  baseUrl: string;
  test: TestApp;
  browser: Browser;
  /**
   * A new page in a fresh context (own cookies), at desktop or phone size. `bypassCSP` lets a test
   * put a checker (axe-core) into the page as an inline script.
   */
  newPage(options?: { phone?: boolean; bypassCSP?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

/** The app with the built pages on a random port, against the test database, and a browser. */
export async function startE2E(
  options: { deps?: Partial<AppDeps>; env?: Record<string, string> } = {},
): Promise<E2E> {
  const webDir = path.resolve('dist/web');
  if (!existsSync(path.join(webDir, 'login.html')))
    throw new Error('build the pages first: npm run build:web');
  const test = await buildTestApp({ env: { WEB_DIR: webDir, ...options.env }, deps: options.deps });
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const address = test.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const browser = await launchBrowser();
  return {
    baseUrl,
    test,
    browser,
    async newPage({ phone = false, bypassCSP = false } = {}) {
      const context = await browser.newContext({
        bypassCSP,
        baseURL: baseUrl,
        viewport: phone ? { width: 375, height: 740 } : { width: 1280, height: 860 },
        locale: 'ru-RU',
        timezoneId: 'Europe/Moscow',
      });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
      return page;
    },
    async close() {
      await browser.close();
      await test.close();
    },
  };
}

/** Registers through the login page and waits for the dashboard. */
export async function registerThroughPage(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login.html');
  await page.getByRole('tab', { name: 'Регистрация' }).click();
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Создать аккаунт' }).click();
  await page.waitForURL('**/dashboard.html');
}

/**
 * Whether a table fits the screen: its box scrolls nothing sideways and every amount cell is drawn
 * within the width, with its text.
 */
export async function fitsSideways(table: Locator, width: number) {
  const box = await table.evaluate((el) => {
    const wrap = el.closest('.table-wrap') ?? el;
    return {
      scrollWidth: wrap.scrollWidth,
      clientWidth: wrap.clientWidth,
      cells: [...el.querySelectorAll('td.num')].map((td) => {
        const r = td.getBoundingClientRect();
        return { text: td.textContent ?? '', left: r.left, right: r.right, width: r.width };
      }),
    };
  });
  assert.ok(box.scrollWidth <= box.clientWidth, `scrolls: ${box.scrollWidth} > ${box.clientWidth}`);
  assert.ok(box.cells.length > 0);
  for (const cell of box.cells) {
    assert.ok(cell.width > 0 && cell.left >= 0 && cell.right <= width, `cut off: ${JSON.stringify(cell)}`);
    assert.match(cell.text, /\d/);
  }
}

/** A new user registered through the page, with the API's headers to set things up for them. */
export async function pageUser(
  e: E2E,
  phone = false,
): Promise<{ page: Page; headers: Record<string, string> }> {
  const email = uniqueEmail();
  const page = await e.newPage({ phone });
  await registerThroughPage(page, email, PASSWORD);
  const login = await e.test.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: PASSWORD },
  });
  return { page, headers: { authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}` } };
}
