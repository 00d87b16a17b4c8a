/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- answers read as the shape each test expects */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { fillDemoBudget } from '../../scripts/demo-data.js';
import { formatProblem } from '../../src/common/formats.js';
import { defaultCategories } from '../../src/server/modules/budget/default-categories.js';
import { startE2E, type E2E } from './support.js';

// axe-core from the installed package, put into the page as a script: no network.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Dates wrapped onto two lines and placeholders wider than their field: what a reader sees cut. */
async function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.outlook-date, .inv-cal-date')) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) out.push(`wrapped: ${el.textContent}`);
    }
    const canvas = document.createElement('canvas').getContext('2d')!;
    for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      if (input.offsetParent === null || input.placeholder === '') continue;
      const style = getComputedStyle(input);
      canvas.font = `${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (canvas.measureText(input.placeholder).width > room) out.push(`cut: ${input.placeholder}`);
    }
    return out;
  });
}

const PAGES = ['dashboard', 'index', 'budget', 'obligations', 'settings'];

describe('accessibility in Chromium', () => {
  let e: E2E;
  let email: string;
  before(async () => {
    e = await startE2E();
    email = `a11y-${randomUUID()}@example.test`;
    const registered = await e.test.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, password: 'a11y password 1' },
    });
    const { accessToken } = registered.json() as { accessToken: string };
    await fillDemoBudget(e.test.app, accessToken, { today: new Date().toISOString().slice(0, 10) });
  });
  after(() => e.close());

  async function signedIn(options: { phone: boolean; theme: 'light' | 'dark' }) {
    const page = await e.newPage({ phone: options.phone, bypassCSP: true });
    await page.addInitScript((theme) => localStorage.setItem('wt-theme', theme), options.theme);
    await page.goto('/login.html');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill('a11y password 1');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/dashboard.html');
    return page;
  }

  it('the demo fills every module; every page has no serious or critical axe violations, no wrapped date and no cut placeholder in both themes at 1280 and 375 px', async () => {
    const found: string[] = [];
    for (const phone of [false, true]) {
      for (const theme of ['light', 'dark'] as const) {
        const logout = await e.newPage({ phone, bypassCSP: true });
        await logout.addInitScript((th) => localStorage.setItem('wt-theme', th), theme);
        await logout.goto('/login.html');
        await logout.locator('#email').waitFor();
        for (const v of await seriousViolations(logout))
          found.push(`login ${theme} ${phone ? 375 : 1280}: ${v}`);
        await logout.context().close();

        const page = await signedIn({ phone, theme });
        for (const name of PAGES) {
          await page.goto(`/${name}.html`);
          await page.locator('main').waitFor();
          await page.waitForLoadState('networkidle');
          if (name === 'budget') await page.getByTestId('tx-row').first().waitFor();
          if (name === 'obligations') await page.getByText('Ипотека').first().waitFor();
          for (const v of await seriousViolations(page))
            found.push(`${name} ${theme} ${phone ? 375 : 1280}: ${v}`);
          for (const v of await layoutFaults(page))
            found.push(`${name} ${theme} ${phone ? 375 : 1280}: ${v}`);
          if (process.env.SCREENSHOTS)
            await page.screenshot({
              path: `screenshots/a11y-${name}-${theme}-${phone ? 'phone' : 'desktop'}.png`,
              fullPage: true,
            });
        }
        await page.context().close();
      }
    }
    assert.deepEqual(found, []);
  });

  it("English pages say nothing in Russian (the profile's language wins over the browser's stored one), wrap no date and cut no placeholder", async () => {
    // Registered from the English page: the profile's locale is English, so are the starter data.
    const english = `a11y-en-${randomUUID()}@example.test`;
    const registered = await e.test.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: english, password: 'a11y password 1', locale: 'en' },
    });
    const { accessToken } = registered.json() as { accessToken: string };
    await fillDemoBudget(e.test.app, accessToken, {
      today: new Date().toISOString().slice(0, 10),
      locale: 'en',
    });
    // Any Russian word, but the language's own name where the language is chosen.
    const russian = (text: string) => (text.match(/[А-Яа-яЁё]+/g) ?? []).filter((w) => w !== 'Русский');
    const found: string[] = [];
    for (const phone of [false, true])
      for (const theme of ['light', 'dark'] as const) {
        const where = `${theme} ${phone ? 375 : 1280}`;
        const page = await e.newPage({ phone, bypassCSP: true });
        // The browser remembers Russian; the login page follows it, the signed-in pages the profile.
        await page.addInitScript((th) => {
          localStorage.setItem('wt-theme', th);
          if (!sessionStorage.getItem('seen')) localStorage.setItem('wt-locale', 'en');
          sessionStorage.setItem('seen', '1');
        }, theme);
        await page.goto('/login.html');
        await page.locator('#email').fill(english);
        await page.locator('#password').fill('a11y password 1');
        for (const word of russian(await page.locator('body').innerText()))
          found.push(`login ${where}: ${word}`);
        await page.evaluate(() => localStorage.setItem('wt-locale', 'ru'));
        await page.locator('form button[type="submit"]').click();
        await page.waitForURL('**/dashboard.html');
        for (const name of PAGES) {
          await page.goto(`/${name}.html`);
          await page.locator('main').waitFor();
          await page.waitForLoadState('networkidle');
          if (name === 'budget') await page.getByTestId('tx-row').first().waitFor();
          if (name === 'obligations') await page.getByText('Mortgage').first().waitFor();
          assert.equal(await page.getAttribute('html', 'lang'), 'en', `${name} ${where}`);
          for (const word of russian(await page.locator('body').innerText()))
            found.push(`${name} ${where}: ${word}`);
          for (const fault of await layoutFaults(page)) found.push(`${name} ${where}: ${fault}`);
          if (process.env.SCREENSHOTS)
            await page.screenshot({
              path: `screenshots/en-${name}-${theme}-${phone ? 'phone' : 'desktop'}.png`,
              fullPage: true,
            });
        }
        await page.context().close();
      }
    assert.deepEqual(found, []);
  });

  it('dialogs keep focus inside and give it back, also after "+ Account" inside a dialog', async () => {
    const page = await signedIn({ phone: false, theme: 'light' });
    await page.goto('/budget.html');
    const opener = page.getByTestId('add-transaction');
    await opener.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const inDialog = () => page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null);
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await inDialog(), `Tab ${i + 1} left the dialog`);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await inDialog(), `Shift+Tab ${i + 1} left the dialog`);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'add-transaction',
    );

    // The accounts dialog: "+ Account" opens a form inside it; cancelling returns focus to the button.
    await page.getByTestId('open-accounts').click();
    await page.getByTestId('account-add').click();
    await page.locator('#acc-name').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Отмена' }).first().click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'account-add');
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await inDialog(), `Tab ${i + 1} left the accounts dialog`);
    }
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'open-accounts');
    await page.context().close();
  });

  it('budget filters: every category is offered, letters in an amount are pointed out', async () => {
    const page = await signedIn({ phone: false, theme: 'light' });
    await page.goto('/budget.html');
    const filter = page.getByRole('combobox', { name: 'Все категории' });
    await filter.waitFor();
    // The starter set: groups and the categories in them, all selectable.
    const starter = defaultCategories('ru').reduce((n, g) => n + 1 + g.children.length, 0);
    const offered = await filter.locator('option:not([value=""])').count();
    assert.equal(offered, starter);
    await filter.selectOption({ label: '\u00a0\u00a0\u00a0\u00a0Супермаркеты' });
    await page.getByTestId('tx-row').first().waitFor();
    await page.getByRole('textbox', { name: 'Сумма от' }).fill('abc');
    await page.getByTestId('amount-filter-error').waitFor();
    await page.context().close();
  });

  it("a currency code and a date are checked before sending, with the server's own message under the field", async () => {
    const page = await signedIn({ phone: false, theme: 'light' });
    const sent: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() !== 'GET' && path.startsWith('/api/budget/')) sent.push(`${r.method()} ${path}`);
    });
    await page.goto('/budget.html');
    await page.getByTestId('tx-row').first().waitFor();

    await page.getByTestId('open-accounts').click();
    await page.getByTestId('account-add').click();
    await page.locator('#acc-name').fill('Валютный');
    await page.locator('#acc-currency').fill('ABC');
    await page.getByTestId('account-save').click();
    const currencyError = page.getByTestId('acc-currency-error');
    await currencyError.waitFor();
    assert.equal(await currencyError.textContent(), 'нужно: код валюты ISO 4217, например RUB');
    await page.keyboard.press('Escape');

    await page.getByTestId('add-transaction').click();
    await page.locator('#tx-amount').fill('100');
    await page.locator('#tx-date').fill('1900-01-01');
    await page.getByTestId('tx-save').click();
    const dateError = page.locator('#tx-date-error');
    await dateError.waitFor();
    assert.equal(await dateError.textContent(), 'нужно: дата с 01.01.1970 по 31.12.2100');
    assert.deepEqual(sent, [], 'nothing was sent');

    // The server refuses the same values with the same code and parameters the page used.
    const login = await e.test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'a11y password 1' },
    });
    const auth = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` };
    const account = await e.test.app.inject({
      method: 'POST',
      url: '/api/budget/accounts',
      headers: auth,
      payload: { name: 'Валютный', kind: 'cash', currency: 'ABC', openingBalance: '0' },
    });
    assert.equal(account.statusCode, 422);
    type Problem = { field: string; code?: string; params?: unknown };
    const fields = (account.json() as { error: { details: { fields: Problem[] } } }).error.details.fields;
    assert.deepEqual(
      fields.map(({ field, code, params }) => ({ field, code, params })),
      [{ field: 'currency', ...formatProblem('currency', 'ABC') }],
    );
    await page.context().close();
  });

  it('investments without a price source: the banner is styled as information, not as an error', async () => {
    const page = await signedIn({ phone: false, theme: 'light' });
    await page.goto('/index.html');
    const banner = page.getByTestId('market-banner');
    await banner.waitFor();
    assert.match((await banner.getAttribute('class')) ?? '', /\binfo\b/);
    await page.context().close();
  });
  it('cash in a portfolio shows to the kopeck, like its value', async () => {
    const login = await e.test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'a11y password 1' },
    });
    const auth = { authorization: `Bearer ${(login.json() as { accessToken: string }).accessToken}` };
    const created = await e.test.app.inject({
      method: 'POST',
      url: '/api/portfolios',
      headers: auth,
      payload: { name: 'Наличные', cashTracking: true },
    });
    const portfolioId = (created.json() as { id: string }).id;
    const deposit = await e.test.app.inject({
      method: 'POST',
      url: `/api/portfolios/${portfolioId}/operations`,
      headers: auth,
      payload: { type: 'deposit', date: '2025-01-09', amount: '401832.10' },
    });
    assert.equal(deposit.statusCode, 201, deposit.body);
    const page = await signedIn({ phone: false, theme: 'light' });
    await page.goto('/index.html');
    const row = page.getByTestId('position-RUB');
    await row.waitFor();
    assert.equal((await row.locator('td').nth(1).textContent())?.replace(/\s/g, ' '), '401 832,10');
    await page.context().close();
  });
});
