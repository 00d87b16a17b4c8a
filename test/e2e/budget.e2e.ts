import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { registerThroughPage, startE2E, type E2E } from './support.js';

// The text as shown; Intl's no-break spaces in "1 234,56 ₽" compare as plain spaces.
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

async function addAccount(page: Page, name: string, kind: string, opening: string) {
  await page.locator('#acc-name').fill(name);
  await page.locator('#acc-kind').selectOption(kind);
  await page.locator('#acc-opening').fill(opening);
  await page.getByTestId('account-save').click();
  await page.getByTestId('account-list').getByText(name, { exact: true }).waitFor();
}

describe('budget page in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('adds an account, an expense and a transfer; the tiles and the table show the new figures', async () => {
    const page = await e.newPage();
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
    await page.goto('/budget.html?month=2026-01');

    // A new user starts with no accounts: the page says how to begin.
    await page.getByText('Начните со счёта').waitFor();
    await page.getByTestId('first-account').click();
    await addAccount(page, 'Карта <i>зарплатная</i>', 'card', '10 000');
    await page.getByTestId('account-add').click();
    await addAccount(page, 'Копилка', 'savings', '');
    await page.keyboard.press('Escape');

    await page.getByTestId('add-transaction').click();
    await page.locator('#tx-amount').fill('1 234,56');
    await page.locator('#tx-date').fill('2026-01-15');
    await page.locator('#tx-account').selectOption({ label: 'Карта <i>зарплатная</i> (RUB)' });
    await page.locator('#tx-category').selectOption({ label: 'Супермаркеты' });
    await page.locator('#tx-description').fill('Пятёрочка');
    await page.getByTestId('tx-save').click();
    await page.getByTestId('tx-row').first().waitFor();

    await page.getByTestId('add-transaction').click();
    await page.getByTestId('tx-type-transfer').click();
    await page.locator('#tx-amount').fill('5000');
    await page.locator('#tx-date').fill('2026-01-20');
    await page.locator('#tx-to-account').selectOption({ label: 'Копилка (RUB)' });
    await page.getByTestId('tx-save').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tx-row"]').length === 2);

    // A transfer is neither income nor expense; it moves money between the two balances.
    assert.equal(await text(page.getByTestId('tile-expense')), 'РАСХОДЫ 1 234,56 ₽');
    assert.match(await text(page.getByTestId('tile-income')), /^ДОХОДЫ 0,00 ₽/);
    assert.match(await text(page.getByTestId('tile-net')), /^ИТОГ МЕСЯЦА −1 234,56 ₽/);
    assert.match(await text(page.getByTestId('tile-savings')), /^В НАКОПЛЕНИЯ 5 000,00 ₽/);
    assert.match(await text(page.getByTestId('tile-balance')), /^НА СЧЕТАХ 8 765,44 ₽/);
    const balances = page.getByTestId('balance-row');
    assert.equal(
      await text(balances.nth(0)),
      'Карта <i>зарплатная</i> · Карта 3 765,44 ₽',
      'user text stays text',
    );
    assert.equal(await text(balances.nth(1)), 'Копилка · Накопительный 5 000,00 ₽');

    const rows = page.getByTestId('tx-row');
    assert.equal(await rows.nth(0).getAttribute('data-type'), 'transfer');
    assert.equal(await text(rows.nth(0).getByTestId('tx-amount')), '5 000,00 ₽');
    assert.match(
      await text(rows.nth(0)),
      /20\.01\.2026 Перевод Перевод .*Карта <i>зарплатная<\/i> → Копилка/,
    );
    assert.equal(await text(rows.nth(1).getByTestId('tx-amount')), '−1 234,56 ₽');
    assert.match(await text(rows.nth(1)), /^15\.01\.2026 Пятёрочка Супермаркеты/);

    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/budget-month-desktop.png', fullPage: true });

    // Search narrows the table; the month picker moves to a month without transactions.
    await page.getByTestId('tx-search').fill('пятёр');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tx-row"]').length === 1);
    await page.getByRole('button', { name: 'Следующий месяц' }).click();
    await page.getByText('Ничего не найдено по этим условиям').waitFor();
    // The tiles load beside the list: wait for February's expenses.
    await page.waitForFunction(() =>
      /^\D*0,00\s₽/.test(document.querySelector('[data-testid="tile-expense"]')?.textContent ?? ''),
    );
    assert.match(await text(page.getByTestId('tile-expense')), /^РАСХОДЫ 0,00 ₽/);
    assert.match(await text(page.getByTestId('tile-balance')), /^НА СЧЕТАХ 8 765,44 ₽/);
    assert.match(page.url(), /month=2026-02$/);
  });

  it('fits a phone screen', async () => {
    const page = await e.newPage({ phone: true });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
    await page.goto('/budget.html?month=2026-01');
    await page.getByTestId('first-account').click();
    await addAccount(page, 'Наличные', 'cash', '500');
    await page.keyboard.press('Escape');
    // No income or expense yet: the 12-month chart says so instead of drawing an empty axis.
    const months = page.getByTestId('chart-months');
    await months.getByText('Нет доходов и расходов за эти 12 месяцев').waitFor();
    assert.equal(await months.locator('canvas').count(), 0);
    if (process.env.SCREENSHOTS)
      await months.screenshot({ path: 'screenshots/budget-empty-months-phone.png' });
    await page.getByTestId('add-transaction').click();
    await page.locator('#tx-amount').fill('0,01');
    await page.locator('#tx-date').fill('2026-01-31');
    await page.getByTestId('tx-save').click();
    await page.getByTestId('tx-row').waitFor();
    assert.equal(await text(page.getByTestId('tx-amount')), '−0,01 ₽');
    // The tiles reload after the list: wait for the new balance.
    await page.waitForFunction(() =>
      /499,99\s₽/.test(document.querySelector('[data-testid="tile-balance"]')?.textContent ?? ''),
    );
    assert.match(await text(page.getByTestId('tile-balance')), /499,99 ₽/);
    await months.locator('canvas').waitFor();
    if (process.env.SCREENSHOTS)
      await page.screenshot({ path: 'screenshots/budget-kopeck-phone.png', fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  });
});
