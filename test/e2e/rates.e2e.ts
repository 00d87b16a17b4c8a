import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { PASSWORD, register, uniqueEmail } from '../support/app.js';
import { startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';
import { startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
/** 2026-03-07 as the Russian page writes it. */
const ruDate = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;

describe('a USD household without any token, valued at the Bank of Russia’s rates (Chromium)', () => {
  let e: E2E;
  let fake: FakeCbr;
  before(async () => {
    fake = await startFakeCbr();
    e = await startE2E({ env: { CBR_URL: fake.url } });
    mkdirSync('screenshots', { recursive: true });
  });
  after(async () => {
    await e.close();
    await fake.close();
  });

  it('the overview and the budget show figures with the rate’s day and source, at 1280 and 375 px', async () => {
    const email = uniqueEmail();
    const s = await register(e.test.app, email);
    const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
      const res = await e.test.app.inject({ method, url, headers: s.auth, ...(payload ? { payload } : {}) });
      assert.ok(res.statusCode < 300, res.body);
      return res.json<Record<string, unknown>>();
    };
    const usd = (await call('POST', '/api/budget/accounts', {
      name: 'Доллары',
      kind: 'cash',
      currency: 'USD',
      openingBalance: '2500.00',
    })) as { id: string };
    const rub = (await call('POST', '/api/budget/accounts', { name: 'Карта', kind: 'card' })) as {
      id: string;
    };
    const today = ((await call('GET', '/api/networth')) as { day: string }).day;
    await call('POST', '/api/budget/transactions', {
      type: 'expense',
      date: today,
      accountId: usd.id,
      amount: '40.00',
    });
    await call('POST', '/api/budget/transactions', {
      type: 'expense',
      date: today,
      accountId: rub.id,
      amount: '1000.00',
    });
    const rates = (await call('GET', `/api/fx/rates?currencies=USD&day=${today}`)) as {
      rates: { rate: { rate: string; day: string; source: string } }[];
    };
    const rate = rates.rates[0]!.rate;
    assert.equal(rate.source, 'official');
    const worth = (await call('GET', '/api/networth')) as { netWorth: string };
    const month = (await call('GET', '/api/budget/summary/month')) as { base: { expense: string } };

    for (const phone of [false, true]) {
      const size = phone ? 'phone' : 'desktop';
      const page = await e.newPage({ phone });
      await page.goto('/login.html?next=%2Fdashboard.html');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.waitForURL('**/dashboard.html');
      const value = (id: string) => page.getByTestId(id).locator('.tile-value');
      await page.getByTestId('currency-USD').waitFor();
      const figure = plain(await value('tile-networth').textContent());
      assert.notEqual(figure, '—');
      assert.equal(figure.replace(/[^\d,−-]/g, '').replace(',', '.'), worth.netWorth.replace('.', '.'));
      assert.notEqual(plain(await value('tile-assets').textContent()), '—');
      const usdLine = plain(await page.getByTestId('currency-USD').textContent());
      assert.match(usdLine, new RegExp(`ЦБ РФ на ${ruDate(rate.day).replace(/\./g, '\\.')}`));
      await page.screenshot({ path: `screenshots/rates-dashboard-${size}.png`, fullPage: true });

      await page.goto('/budget.html');
      await page.getByTestId('tile-expense').waitFor();
      const expense = plain(await value('tile-expense').textContent());
      assert.equal(expense.replace(/[^\d,]/g, '').replace(',', '.'), month.base.expense);
      await page.getByTestId('conversions').locator('summary').click();
      const conversion = plain(await page.getByTestId('conversion-USD').textContent());
      assert.match(conversion, new RegExp(`ЦБ РФ на ${ruDate(rate.day).replace(/\./g, '\\.')}`));
      await page.screenshot({ path: `screenshots/rates-budget-${size}.png`, fullPage: true });
      await page.context().close();
    }
  });
});
