import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Big } from '../../src/common/money.js';
import { FAKE_DEMO_TOKEN, startFakeTinvest, type FakeTinvest } from '../fakes/tinvest-server.js';
import { fakeProvider } from '../support/investments.js';
import { uniqueEmail, PASSWORD } from '../support/app.js';
import { registerThroughPage, startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** Roubles as the Russian page writes them: `2 853,70 ₽`. */
const rub = (amount: Big) => {
  const [int, frac] = amount.toFixed(2).split('.') as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${frac} ₽`;
};

describe('investments page in Chromium', () => {
  let fake: FakeTinvest;
  let e: E2E;
  before(async () => {
    fake = await startFakeTinvest();
    e = await startE2E({
      deps: { market: fakeProvider(fake) },
      env: { TINKOFF_API_TOKEN: FAKE_DEMO_TOKEN, TINVEST_API_URL: fake.url },
    });
  });
  after(async () => {
    await e.close();
    await fake.close();
  });

  it('adds a share through the modal and shows its market value to the kopeck', async () => {
    const lastPrice = '285.37';
    fake.setPrice('SBER', lastPrice);
    const expected = rub(new Big(lastPrice).times(10));

    const page = await e.newPage();
    await registerThroughPage(page, uniqueEmail(), PASSWORD);
    await page.goto('/');
    await page.getByText('Портфель пуст').waitFor();

    await page.getByRole('button', { name: 'Добавить актив' }).first().click();
    await page.locator('#asset-search').fill('SBER');
    await page.getByRole('option', { name: /SBER/ }).first().click();
    await page.locator('#asset-quantity').fill('10');
    await page.locator('#asset-price').fill('270,10');
    await page.getByRole('dialog').getByRole('button', { name: 'Сохранить' }).click();

    const tile = (id: string) => page.getByTestId(id).locator('.tile-value');
    await page.getByTestId('position-SBER').waitFor();
    assert.equal(plain(await tile('tile-total').textContent()), expected);
    assert.equal(plain(await tile('tile-shares').textContent()), expected);
    // Bought at 270,10 × 10 = 2 701,00; the market says 2 853,70.
    assert.equal(
      plain(await tile('tile-pnl').textContent()),
      `+${rub(new Big(lastPrice).minus('270.10').times(10))}`,
    );
    await page.getByTestId('operations').getByText('Покупка').waitFor();

    await page.getByTestId('position-SBER').getByRole('button', { name: 'График' }).click();
    await page.getByTestId('price-chart').locator('canvas').waitFor();

    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-data-desktop.png', fullPage: true });

    // Editing the buy revalues the position: 20 pieces at the same market price.
    await page.getByTestId('operations').getByRole('button', { name: 'Изменить' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Количество, шт.').fill('20');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const doubled = rub(new Big(lastPrice).times(20));
    await page.waitForFunction(
      (text) =>
        document
          .querySelector('[data-testid="tile-total"] .tile-value')
          ?.textContent?.replace(/[\u00a0\u202f]/g, ' ') === text,
      doubled,
    );

    // At phone width the page fits the screen; wide tables scroll inside their cards.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await page.getByTestId('position-SBER').waitFor();
    assert.equal(plain(await tile('tile-total').textContent()), doubled);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375);
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-data-phone.png', fullPage: true });
  });
});
