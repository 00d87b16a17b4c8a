import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MoexIssProvider } from '../../src/server/modules/market/moex/iss-provider.js';
import { startFakeIss, type FakeIss } from '../fakes/moex-iss-server.js';
import { pageUser, startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
/** Anonymous ISS data is 15 minutes late; a quote reused for its minute reads a little older. */
const AGE_15 = /^MOEX ISS · 1[5-7] минут назад$/;

describe('investments page priced by MOEX ISS, without any token', () => {
  let iss: FakeIss;
  let e: E2E;
  before(async () => {
    iss = await startFakeIss();
    e = await startE2E({
      deps: { moex: new MoexIssProvider({ baseUrl: iss.url, timeoutMs: 2000, now: () => new Date() }) },
    });
  });
  after(async () => {
    await e.close();
    await iss.close();
  });

  /** A user registered through the page, holding a share, a bond and a flat priced by hand. */
  async function holder(phone: boolean): Promise<Page> {
    const { page, headers } = await pageUser(e, phone);
    const portfolioId = (await e.test.app.inject({ url: '/api/portfolios', headers })).json<
      { id: string }[]
    >()[0]!.id;
    // The catalogue from ISS, as the daily refresh fills it.
    const refresh = await e.test.app.inject({
      method: 'POST',
      url: '/api/market/instruments/refresh',
      headers,
    });
    assert.equal(refresh.statusCode, 200, refresh.body);
    for (const payload of [
      { instrumentId: 'moex:TQBR:SBER', quantity: '10', price: '250' },
      { instrumentId: 'moex:TQOB:SU26238RMFS4', quantity: '2', price: '560' },
      {
        manualAsset: { ticker: 'FLAT', name: 'Квартира', kind: 'other', currency: 'RUB', price: '9000000' },
        quantity: '1',
        price: '8000000',
      },
    ]) {
      const res = await e.test.app.inject({
        method: 'POST',
        url: `/api/portfolios/${portfolioId}/assets`,
        headers,
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await page.goto('/');
    await page.getByTestId('position-SBER').waitFor();
    return page;
  }

  it('says that MOEX ISS priced each position, 15 minutes ago, and values the bond with its НКД', async () => {
    const page = await holder(false);
    assert.match(plain(await page.getByTestId('market-source').textContent()), /MOEX ISS.*15 минут/);
    const source = (ticker: string) =>
      page.getByTestId(`position-${ticker}`).locator('[data-testid="price-source"]:visible').textContent();
    assert.match(plain(await source('SBER')), AGE_15);
    assert.match(plain(await source('SU26238RMFS4')), AGE_15);
    assert.equal(plain(await source('FLAT')), 'вручную · сегодня');
    // 2 × (58.7 % × 1000 / 100 + 12.65 НКД)
    assert.match(plain(await page.getByTestId('position-SU26238RMFS4').textContent()), /1 199,30 ₽/);
  });

  it('changes the price of a hand-priced asset from the positions table, keeping the earlier one as history', async () => {
    const page = await holder(false);
    await page
      .getByTestId('position-FLAT')
      .getByRole('button', { name: /Цена FLAT/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Цены FLAT' });
    await dialog.getByTestId('manual-price-history').waitFor();
    // A day before: history only, today's price still values the flat.
    await dialog.getByLabel('Дата').fill('2025-06-30');
    await dialog.getByLabel(/Цена за штуку/).fill('8 750 000');
    await dialog.getByTestId('manual-price-save').click();
    await dialog.getByText('30.06.2025').waitFor();
    // Today's entry, changed: it values the flat.
    await dialog.getByRole('button', { name: /9\s000\s000,00/ }).click();
    await dialog.getByLabel(/Цена за штуку/).fill('9 400 000,50');
    await dialog.getByTestId('manual-price-save').click();
    await dialog.getByRole('button', { name: /9\s400\s000,50/ }).waitFor();
    assert.equal(await dialog.locator('li').count(), 2);
    await dialog.getByRole('button', { name: 'Закрыть' }).click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="position-FLAT"]')
          ?.textContent?.replace(/[\u00a0\u202f]/g, ' ')
          .includes('9 400 000,50 ₽'),
      undefined,
      { timeout: 10_000 },
    );
  });

  it('shows the source under the name on a phone, where the price column is hidden', async () => {
    const page = await holder(true);
    const row = page.getByTestId('position-SBER');
    assert.match(plain(await row.locator('[data-testid="price-source"]:visible').textContent()), AGE_15);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width}px wide`);
  });
});
