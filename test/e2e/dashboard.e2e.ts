import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../../src/common/dates.js';
import { PASSWORD, register, uniqueEmail } from '../support/app.js';
import { startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('dashboard in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('shows net worth from accounts and credits, to the kopeck', async () => {
    const email = uniqueEmail();
    const s = await register(e.test.app, email);
    const post = (url: string, payload: Record<string, unknown>) =>
      e.test.app.inject({ method: 'POST', url, headers: s.auth, payload });
    await post('/api/budget/accounts', {
      name: 'Карта',
      kind: 'card',
      currency: 'RUB',
      openingBalance: '100000.50',
    });
    await post('/api/budget/obligation-blocks', {
      kind: 'consumer',
      title: 'Кредит на машину <b>',
      principal: '300000.00',
      annualRatePercent: '14.9',
      termMonths: 24,
      issueDate: '2026-01-15',
    });

    for (const phone of [false, true]) {
      const page = await e.newPage({ phone });
      await page.goto('/login.html?next=%2Fdashboard.html');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.waitForURL('**/dashboard.html');
      const tile = (id: string) => page.getByTestId(id).locator('.tile-value');
      await page.getByTestId('tile-networth').getByText(/199/).waitFor();
      assert.equal(plain(await tile('tile-networth').textContent()), '−199 999,50 ₽');
      assert.equal(plain(await tile('tile-assets').textContent()), '100 000,50 ₽');
      assert.equal(plain(await tile('tile-liabilities').textContent()), '300 000,00 ₽');
      // User text is shown as text, never as markup.
      await page.getByText('Кредит на машину <b>').first().waitFor();
      if (process.env.SCREENSHOTS)
        await page.screenshot({
          path: `screenshots/dashboard-data-${phone ? 'phone' : 'desktop'}.png`,
          fullPage: true,
        });
    }
  });

  it('draws the line from old transactions at once, and the range buttons change the period', async () => {
    const email = uniqueEmail();
    const s = await register(e.test.app, email);
    const inject = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
      e.test.app.inject({ method, url, headers: s.auth, ...(payload ? { payload } : {}) });
    const today = (await inject('GET', '/api/networth')).json<{ day: string }>().day;
    const card = (
      await inject('POST', '/api/budget/accounts', {
        name: 'Карта',
        kind: 'card',
        currency: 'RUB',
        openingBalance: '1000.00',
      })
    ).json<{ id: string }>().id;
    const first = addDays(today, -700);
    for (const [date, amount] of [
      [first, '5000.00'],
      [addDays(today, -100), '2000.00'],
    ] as const)
      assert.equal(
        (await inject('POST', '/api/budget/transactions', { type: 'income', date, accountId: card, amount }))
          .statusCode,
        201,
      );

    for (const phone of [false, true]) {
      const page = await e.newPage({ phone });
      await page.goto('/login.html?next=%2Fdashboard.html');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.waitForURL('**/dashboard.html');
      const chart = page.getByTestId('history-chart');
      const ranges = page.getByTestId('history-ranges');
      // A year by default: a point per day.
      await chart.and(page.locator(`[data-from="${addDays(today, -364)}"]`)).waitFor();
      assert.equal(await chart.getAttribute('data-points'), '365');
      await ranges.getByRole('button', { name: '1М' }).click();
      await chart.and(page.locator(`[data-from="${addDays(today, -29)}"]`)).waitFor();
      assert.equal(await chart.getAttribute('data-points'), '30');
      assert.equal(await ranges.getByRole('button', { name: '1М' }).getAttribute('aria-pressed'), 'true');
      // Everything: from the first transaction, a point per week.
      await ranges.getByRole('button', { name: 'Всё' }).click();
      await chart.and(page.locator(`[data-from="${first}"]`)).waitFor();
      assert.equal(await chart.getAttribute('data-points'), String(Math.ceil(701 / 7)));
      if (process.env.SCREENSHOTS)
        await page.screenshot({
          path: `screenshots/dashboard-history-${phone ? 'phone' : 'desktop'}.png`,
          fullPage: true,
        });
      await page.close();
    }
  });
});
