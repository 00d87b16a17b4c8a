import type { Decimal } from '../../src/common/decimal.js';
import { dec } from '../../src/common/decimal.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAKE_DEMO_TOKEN, startFakeTinvest, type FakeTinvest } from '../fakes/tinvest-server.js';
import { fakeProvider } from '../support/investments.js';
import { uniqueEmail, PASSWORD } from '../support/app.js';
import type { Page } from 'playwright-core';
import { fitsSideways, registerThroughPage, startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** Roubles as the Russian page writes them: `2 853,70 ₽`. */
const rub = (amount: Decimal) => {
  const [int, frac] = amount.toFixed(2).split('.') as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${frac} ₽`;
};

/** Waits until the tile shows `text` (the page reloads its figures after each change). */
async function tileShows(page: Page, id: string, text: string): Promise<void> {
  await page
    .waitForFunction(
      ([testId, want]) =>
        document
          .querySelector(`[data-testid="${testId}"] .tile-value`)
          ?.textContent?.replace(/[\u00a0\u202f]/g, ' ') === want,
      [id, text] as const,
      { timeout: 10_000 },
    )
    .catch(async () => {
      const shown = await page.getByTestId(id).locator('.tile-value').textContent();
      assert.fail(`${id} shows ${plain(shown)}, expected ${text}`);
    });
}

/** Every per-class positions table starts each column at the same x. */
async function columnsAlign(page: Page): Promise<void> {
  const edges = await page.$$eval('table.inv-positions', (tables) =>
    tables.map((t) =>
      [...t.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().left)),
    ),
  );
  assert.ok(edges.length >= 2, `${edges.length} position tables`);
  for (const columns of edges) assert.deepEqual(columns, edges[0]);
}

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
    const expected = rub(dec(lastPrice).times(10));

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
      `+${rub(dec(lastPrice).minus('270.10').times(10))}`,
    );
    await page.getByTestId('operations').getByText('Покупка').waitFor();

    await page.getByTestId('position-SBER').getByRole('button', { name: 'График' }).click();
    await page.getByTestId('price-chart').locator('canvas').waitFor();
    // The chart says what its axis counts in: roubles per share.
    assert.equal(plain(await page.getByTestId('price-chart-unit').textContent()), 'Цена за штуку, ₽');
    assert.match(
      (await page.getByTestId('price-chart').locator('canvas').getAttribute('aria-label')) ?? '',
      /SBER, Цена за штуку, ₽/,
    );

    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-data-desktop.png', fullPage: true });

    // Editing the buy revalues the position: 20 pieces at the same market price.
    await page.getByTestId('operations').getByRole('button', { name: 'Изменить' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Количество, шт.').fill('20');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const doubled = rub(dec(lastPrice).times(20));
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

    // With a fund beside the share, the two class tables line up column by column, narrow and wide.
    await page.getByRole('button', { name: 'Добавить актив' }).first().click();
    await page.locator('#asset-search').fill('TMOS');
    await page.getByRole('option', { name: /TMOS/ }).first().click();
    await page.locator('#asset-quantity').fill('100');
    await page.locator('#asset-price').fill('7,10');
    await page.getByRole('dialog').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('position-TMOS').waitFor();
    await page.locator('table.inv-positions').nth(1).waitFor();
    await columnsAlign(page);
    if (process.env.SCREENSHOTS)
      await page.getByTestId('positions').screenshot({ path: 'screenshots/index-classes-phone.png' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await columnsAlign(page);
    if (process.env.SCREENSHOTS)
      await page.getByTestId('positions').screenshot({ path: 'screenshots/index-classes-desktop.png' });
  });

  it('creates, renames and deletes a portfolio; a sale and a dividend change the figures', async () => {
    const lastPrice = '250.37';
    fake.setPrice('GAZP', lastPrice);
    const page = await e.newPage();
    await registerThroughPage(page, uniqueEmail(), PASSWORD);
    await page.goto('/');
    const portfolios = page.getByTestId('portfolios');
    await portfolios.getByTestId('portfolio-row').first().waitFor();
    const defaultName = plain(
      await portfolios.getByTestId('portfolio-row').first().locator('b').textContent(),
    );

    // Create, then rename.
    await portfolios.getByRole('button', { name: 'Новый портфель' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название').fill('Брокерский');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await portfolios.getByText('Брокерский', { exact: true }).waitFor();
    await portfolios.getByRole('button', { name: 'Переименовать портфель Брокерский' }).click();
    dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel('Название').inputValue(), 'Брокерский');
    await dialog.getByLabel('Название').fill('ИИС');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await portfolios.getByText('ИИС', { exact: true }).waitFor();
    assert.equal(await portfolios.getByText('Брокерский', { exact: true }).count(), 0);

    // The same share in both portfolios: 2 000 × 145,00 in the first, 10 000 × 140,10 in ИИС;
    // figures in millions, long enough to test that the tiles show them whole on a phone.
    const buy = async (portfolio: string, quantity: string, price: string) => {
      await page.getByRole('button', { name: 'Добавить актив' }).first().click();
      const d = page.getByRole('dialog');
      await d.locator('#asset-search').fill('GAZP');
      await d.getByRole('option', { name: /GAZP/ }).first().click();
      await d.getByLabel('Портфель').selectOption({ label: portfolio });
      await d.locator('#asset-quantity').fill(quantity);
      await d.locator('#asset-price').fill(price);
      await d.getByRole('button', { name: 'Сохранить' }).click();
      await d.waitFor({ state: 'hidden' });
    };
    await buy(defaultName, '2000', '145');
    await buy('ИИС', '10000', '140,10');
    const price = dec(lastPrice);
    let value = price.times(12000);
    let cost = dec('290000').plus('1401000');
    await tileShows(page, 'tile-total', rub(value));
    await tileShows(page, 'tile-pnl', `+${rub(value.minus(cost))}`);
    // Two rows of GAZP, each saying whose it is.
    const rows = page.locator('[data-testid="position-GAZP"]');
    assert.equal(await rows.count(), 2);
    const owners = (await rows.getByTestId('position-portfolio').allTextContents()).sort();
    assert.deepEqual(owners, [defaultName, 'ИИС'].sort());
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-two-portfolios-desktop.png', fullPage: true });

    // Selling more than held: the API's message stands next to the quantity.
    const operations = page.getByTestId('operations');
    await operations.getByRole('button', { name: 'Новая операция' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Тип операции').selectOption({ label: 'Продажа' });
    await dialog.getByLabel('Портфель').selectOption({ label: 'ИИС' });
    assert.match(plain(await dialog.getByLabel('Бумага').locator('option:checked').textContent()), /GAZP/);
    // A sale asks for quantity and price, not for an amount.
    assert.equal(await dialog.locator('#op-amount').count(), 0);
    await dialog.getByLabel('Количество, шт.').fill('100000');
    await dialog.getByLabel(/Цена за штуку/).fill('155,55');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    const oversold = dialog.locator('#op-quantity-error');
    await oversold.waitFor();
    assert.match(plain(await oversold.textContent()), /в портфеле 10000, а выбывает 100000/);

    // Selling 4 000 at 155,55: 6 000 left in ИИС at the same market price.
    await dialog.getByLabel('Количество, шт.').fill('4000');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    value = price.times(8000);
    cost = dec('290000').plus(dec('140.10').times(6000));
    await tileShows(page, 'tile-total', rub(value));
    await tileShows(page, 'tile-pnl', `+${rub(value.minus(cost))}`);
    const iis = portfolios.getByTestId('portfolio-row').filter({ hasText: 'ИИС' });
    assert.equal(plain(await iis.locator('.num').textContent()), rub(price.times(6000)));

    // A dividend asks for an amount only and shows in the history to the kopeck.
    await operations.getByRole('button', { name: 'Новая операция' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Тип операции').selectOption({ label: 'Дивиденд' });
    await dialog.getByLabel('Портфель').selectOption({ label: 'ИИС' });
    assert.equal(await dialog.locator('#op-quantity').count(), 0);
    await dialog.getByLabel(/Сумма/).fill('150,35');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const dividend = operations.locator('tr').filter({ hasText: 'Дивиденд' });
    await dividend.waitFor();
    assert.match(plain(await dividend.textContent()), /GAZP.*150,35 ₽.*ИИС/);

    // Deleting ИИС through the dialog, which says what goes with it.
    await portfolios.getByRole('button', { name: 'Удалить портфель ИИС' }).click();
    dialog = page.getByRole('dialog');
    assert.match(plain(await dialog.textContent()), /Удалить портфель «ИИС»\? .*операции \(3\)/);
    await dialog.getByTestId('confirm-yes').click();
    await dialog.waitFor({ state: 'hidden' });
    await tileShows(page, 'tile-total', rub(price.times(2000)));
    await iis.waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid="position-GAZP"]').count(), 1);
    // The history keeps only the first portfolio's buy, without an error about the deleted one.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="operations"] tbody tr').length === 1,
    );
    assert.match(
      plain(await operations.locator('tbody tr').textContent()),
      /Покупка.*GAZP.*2 000.*290 000,00 ₽/,
    );
    assert.equal(await operations.getByRole('alert').count(), 0);
    // One portfolio left: rows no longer name it.
    assert.equal(await page.getByTestId('position-portfolio').count(), 0);
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-portfolios-desktop.png', fullPage: true });

    // On a phone every tile's figure reads whole.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.reload();
    await page.getByTestId('position-GAZP').waitFor();
    const clipped = await page.$$eval('.tile-value', (els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
    );
    assert.deepEqual(clipped, []);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375);
    // The operations history is a block per operation, its amount on screen, nothing sideways.
    await fitsSideways(operations.locator('table'), 375);
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/index-portfolios-phone.png', fullPage: true });
  });
});
