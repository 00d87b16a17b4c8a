/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- answers read as the shape each test expects */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { fillDemoBudget } from '../../scripts/demo-data.js';
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

  async function signedIn(options: { phone: boolean; theme: 'light' | 'dark'; locale?: 'ru' | 'en' }) {
    const page = await e.newPage({ phone: options.phone, bypassCSP: true });
    await page.addInitScript(
      ([theme, locale]: [string, string]) => {
        localStorage.setItem('wt-theme', theme);
        localStorage.setItem('wt-locale', locale);
      },
      [options.theme, options.locale ?? 'ru'] as [string, string],
    );
    await page.goto('/login.html');
    await page.locator('#email').fill(email);
    await page.locator('#password').fill('a11y password 1');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL('**/dashboard.html');
    return page;
  }

  it('the demo fills every module; every page has no serious or critical axe violations in both themes at 1280 and 375 px', async () => {
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

  it(
    'English pages: screenshots of every page in both themes',
    { skip: !process.env.SCREENSHOTS },
    async () => {
      for (const phone of [false, true])
        for (const theme of ['light', 'dark'] as const) {
          const page = await signedIn({ phone, theme, locale: 'en' });
          for (const name of PAGES) {
            await page.goto(`/${name}.html`);
            await page.locator('main').waitFor();
            await page.waitForLoadState('networkidle');
            await page.screenshot({
              path: `screenshots/en-${name}-${theme}-${phone ? 'phone' : 'desktop'}.png`,
              fullPage: true,
            });
          }
          await page.context().close();
        }
    },
  );

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

  it('investments without a price source: the banner is styled as information, not as an error', async () => {
    const page = await signedIn({ phone: false, theme: 'light' });
    await page.goto('/index.html');
    const banner = page.getByTestId('market-banner');
    await banner.waitFor();
    assert.match((await banner.getAttribute('class')) ?? '', /\binfo\b/);
    await page.context().close();
  });
});
