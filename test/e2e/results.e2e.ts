import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { addDays, dayInZone } from '../../src/common/dates.js';
import { MoexIssProvider } from '../../src/server/modules/market/moex/iss-provider.js';
import { startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';
import { startFakeIss, type FakeIss } from '../fakes/moex-iss-server.js';
import { fitsSideways, pageUser, startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
const rub = (amount: string) =>
  `${new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    .format(Number(amount))
    .replace(/[\u00a0\u202f]/g, ' ')} ₽`;

describe('investment results on the investments page', () => {
  let iss: FakeIss;
  let cbr: FakeCbr;
  let e: E2E;
  const clock = new Date();
  // The user's day: a new profile's time zone is Moscow's, ahead of UTC for three hours a night.
  const today = dayInZone(clock, 'Europe/Moscow');
  before(async () => {
    iss = await startFakeIss({ now: () => clock });
    cbr = await startFakeCbr();
    e = await startE2E({
      env: { CBR_URL: cbr.url, CBR_WAIT_MS: '5000' },
      deps: { moex: new MoexIssProvider({ baseUrl: iss.url, timeoutMs: 3000, now: () => new Date() }) },
    });
  });
  after(async () => {
    await e.close();
    await iss.close();
    await cbr.close();
  });

  /** A user with a year of operations: buys, a dividend with tax, a partial sale, a USD share. */
  async function investor(
    phone: boolean,
  ): Promise<{ page: Page; headers: Record<string, string>; portfolioId: string }> {
    const { page, headers } = await pageUser(e, phone);
    const portfolioId = (await e.test.app.inject({ url: '/api/portfolios', headers })).json<
      { id: string }[]
    >()[0]!.id;
    const send = async (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) => {
      const res = await e.test.app.inject({ method, url, headers, payload });
      assert.ok(res.statusCode < 300, res.body);
      return res.json<{ id: string }>();
    };
    const refresh = await e.test.app.inject({
      method: 'POST',
      url: '/api/market/instruments/refresh',
      headers,
    });
    assert.equal(refresh.statusCode, 200, refresh.body);
    const aapl = await send('POST', '/api/manual-assets', {
      ticker: 'AAPL',
      name: 'Apple',
      kind: 'share',
      currency: 'USD',
    });
    await send('POST', `/api/manual-assets/${aapl.id}/prices`, { date: addDays(today, -200), price: '180' });
    await send('POST', `/api/manual-assets/${aapl.id}/prices`, { date: addDays(today, -1), price: '205' });
    const op = (body: Record<string, unknown>) =>
      send('POST', `/api/portfolios/${portfolioId}/operations`, body);
    await op({
      type: 'buy',
      instrumentId: 'moex:TQBR:SBER',
      date: addDays(today, -300),
      quantity: '10',
      price: '280',
      commission: '1.40',
    });
    await op({
      type: 'buy',
      manualAssetId: aapl.id,
      date: addDays(today, -200),
      quantity: '2',
      price: '180',
      commission: '1',
      currency: 'USD',
      fxRate: null,
    });
    await op({ type: 'dividend', instrumentId: 'moex:TQBR:SBER', date: addDays(today, -150), amount: '349' });
    await op({ type: 'tax', instrumentId: 'moex:TQBR:SBER', date: addDays(today, -150), amount: '45' });
    await op({
      type: 'sell',
      instrumentId: 'moex:TQBR:SBER',
      date: addDays(today, -60),
      quantity: '4',
      price: '310',
      commission: '0.62',
    });
    await page.goto('/');
    await page.getByTestId('res-value').waitFor({ timeout: 20_000 });
    return { page, headers, portfolioId };
  }

  it('shows the value, returns and IMOEX as the API computes them, income and the tax estimate', async () => {
    const { page, headers } = await investor(false);
    const api = (await e.test.app.inject({ url: '/api/portfolio/results?range=1Y', headers })).json<{
      totals: { endValue: string };
      returns: { xirr: string | null; twr: string | null };
      benchmark: { change: string } | null;
      positions: { ticker: string }[];
    }>();
    const tile = (id: string) => page.getByTestId(id).locator('.tile-value');
    assert.equal(plain(await tile('res-value').textContent()), rub(api.totals.endValue));
    assert.ok(api.returns.xirr !== null && api.benchmark !== null);
    assert.match(plain(await tile('res-xirr').textContent()), /%$/);
    assert.match(plain(await tile('res-index').textContent()), /%$/);
    assert.match(plain(await page.getByTestId('results-period').textContent()), / · 301 день$/);
    assert.equal(
      await page.getByTestId('results-positions').locator('tbody tr').count(),
      api.positions.length,
    );
    await page.getByTestId('results').locator('canvas').waitFor();

    // Income: 349 gross, 45 withheld, 304 net in the year of the payment.
    const year = addDays(today, -150).slice(0, 4);
    const incomeRow = page.getByTestId('income-years').locator('tr', { hasText: year });
    assert.match(plain(await incomeRow.textContent()), /349,00 ₽.*45,00 ₽.*304,00 ₽/);

    // The tax: marking the account an ИИС takes it out of the year's base.
    const saleYear = addDays(today, -60).slice(0, 4);
    const tax = page.getByTestId(`tax-${saleYear}`);
    await tax.waitFor();
    if (process.env.SCREENSHOTS) {
      await page.getByTestId('results').screenshot({ path: 'screenshots/results-desktop.png' });
      await page.getByTestId('income').screenshot({ path: 'screenshots/results-income-desktop.png' });
      await page.getByTestId('tax').screenshot({ path: 'screenshots/results-tax-desktop.png' });
    }
    await tax.getByLabel('ИИС').selectOption('B');
    await page.waitForFunction(
      (y) =>
        document.querySelector(`[data-testid="tax-amount-${y}"] .tile-value`)?.textContent?.startsWith('0'),
      saleYear,
    );
    assert.equal(await tax.getByLabel('ИИС').inputValue(), 'B');

    // The overview's line: this year's and all-time returns, XIRR and the income of 12 months.
    const summary = async (range: string) =>
      (await e.test.app.inject({ url: `/api/portfolio/results?range=${range}&detail=false`, headers })).json<{
        returns: { twr: string; xirr: string };
        positions: unknown[];
      }>();
    const [ytd, all] = [await summary('ytd'), await summary('all')];
    assert.equal(all.positions.length, 0, 'detail=false leaves the positions out');
    await page.goto('/dashboard.html');
    const line = page.getByTestId('investments-line');
    await line.waitFor();
    const percent = (v: string) =>
      `${v.startsWith('-') ? '−' : '+'}${v.replace('-', '').replace('.', ',')} %`;
    const shown = async (id: string) => plain(await line.getByTestId(id).locator('b').textContent());
    assert.equal(await shown('invline-ytd'), percent(ytd.returns.twr));
    assert.equal(await shown('invline-all'), percent(all.returns.twr));
    assert.equal(await shown('invline-xirr'), percent(all.returns.xirr));
    // Income of the last 12 months: the dividend of 150 days ago, gross.
    assert.equal(await shown('invline-income'), '349,00 ₽');
    // No account in dollars, yet the USD share has its line by currency, to the cent.
    const worth = (await e.test.app.inject({ url: '/api/networth', headers })).json<{
      portfolio: { byCurrency: { currency: string; amount: string; converted: string }[] };
    }>();
    const usd = worth.portfolio.byCurrency.find((l) => l.currency === 'USD');
    assert.equal(usd?.amount, '410.00');
    const usdRow = page.getByTestId('currency-USD');
    assert.equal(plain(await usdRow.getByTestId('currency-portfolio').textContent()), '410,00 $');
    assert.equal(plain(await usdRow.getByTestId('currency-converted').textContent()), rub(usd.converted));
    // Half the width of the page is too narrow for five columns: the lines are blocks there too.
    await fitsSideways(page.getByTestId('by-currency'), 1280);
    if (process.env.SCREENSHOTS)
      await page.locator('main').screenshot({ path: 'screenshots/dashboard-investments-desktop.png' });
    await line.getByRole('link', { name: /Результаты/ }).click();
    await page.getByTestId('results').waitFor();
    assert.ok(page.url().endsWith('/#results'));
  });

  it('fits a phone: positions and currencies as blocks of amounts, nothing scrolls sideways', async () => {
    const { page } = await investor(true);
    await page.getByTestId('results').locator('canvas').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width}px wide`);
    await page.getByRole('tab', { name: 'Всё время' }).click();
    await page.getByTestId('results-period').waitFor();
    const positions = page.getByTestId('results-positions');
    // Each position's value, gain, XIRR and TWR: four amounts, all on the screen.
    assert.equal(
      await positions.locator('td.num').count(),
      4 * (await positions.locator('tbody tr').count()),
    );
    await fitsSideways(positions, 375);
    if (process.env.SCREENSHOTS) {
      await page.getByTestId('results').screenshot({ path: 'screenshots/results-phone.png' });
      await page.getByTestId('income').screenshot({ path: 'screenshots/results-income-phone.png' });
      await page.getByTestId('tax').screenshot({ path: 'screenshots/results-tax-phone.png' });
    }
    await page.goto('/dashboard.html');
    await page.getByTestId('investments-line').waitFor();
    const overview = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overview <= 375, `the overview is ${overview}px wide`);
    const byCurrency = page.getByTestId('by-currency');
    await byCurrency.getByTestId('currency-USD').waitFor();
    await fitsSideways(byCurrency, 375);
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/dashboard-investments-phone.png', fullPage: true });
  });
});
