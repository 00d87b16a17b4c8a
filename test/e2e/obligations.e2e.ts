import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locator } from 'playwright-core';
import { registerThroughPage, startE2E, type E2E } from './support.js';

// The text as shown; Intl's no-break spaces in "3 000 000,00 ₽" compare as plain spaces.
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

describe('obligations page in Chromium', () => {
  let e: E2E;
  before(async () => {
    // The server's today: 1 March 2025 (Moscow).
    e = await startE2E({ deps: { now: () => new Date('2025-03-01T10:00:00Z') } });
  });
  after(() => e.close());

  it('creates a credit, shows its payment and schedule, marks a payment paid, shows what an early repayment saves', async () => {
    const page = await e.newPage();
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
    await page.goto('/obligations.html');
    await page.getByText('Кредитов пока нет').waitFor();

    // The editor computes the payment while the form is typed, before anything is saved.
    await page.getByRole('button', { name: '+ Кредит' }).first().click();
    await page.locator('#credit-kind').selectOption('mortgage');
    await page.locator('#credit-title').fill('Ипотека <b>квартира</b>');
    await page.locator('#credit-principal').fill('3 000 000');
    await page.locator('#credit-rate').fill('12');
    await page.locator('#credit-issueDate').fill('2024-01-10');
    await page.locator('#credit-paymentDay').fill('10');
    await page.locator('#credit-termMonths').fill('120');
    await page.locator('#credit-interestMethod').selectOption('monthly');
    const preview = page.getByTestId('preview-payment');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="preview-payment"]')?.textContent?.includes('43'),
    );
    assert.equal(await text(preview), '43 041,28 ₽');
    assert.equal(await text(page.getByTestId('preview-interest')), '2 164 954,65 ₽');
    await page.getByRole('button', { name: 'Сохранить' }).click();

    const card = page.getByTestId('credit-card');
    await card.waitFor();
    assert.equal(await text(card.getByRole('heading')), 'Ипотека <b>квартира</b>', 'user text stays text');
    assert.equal(await text(card.getByTestId('credit-remaining')), '3 000 000,00 ₽');
    assert.match(await text(card.getByTestId('credit-next')), /^43 041,28 ₽ 10\.03\.2025 · через 9 дн\.$/);
    assert.equal(await text(page.getByTestId('tile-debt')), 'ОБЩИЙ ДОЛГ 3 000 000,00 ₽');

    // The schedule: 120 rows, the last one absorbs the rounding; payment 1 is marked paid from the table.
    await card.getByRole('button', { name: 'График' }).click();
    const table = page.getByTestId('schedule-table');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 120);
    const last = table.locator('tbody tr[data-number="120"]');
    assert.equal(await text(last.locator('td').nth(2)), '43 042,33 ₽');
    assert.equal(await text(last.locator('td').nth(5)), '0,00 ₽');
    const first = table.locator('tbody tr[data-number="1"]');
    await first.getByRole('button', { name: 'Оплачен' }).click();
    await first.getByText('оплачен', { exact: true }).waitFor();
    await page.keyboard.press('Escape');

    // Early repayment: the effect is shown before saving, for either choice.
    await card.getByRole('button', { name: 'Досрочно' }).click();
    await page.locator('#early-date').fill('2025-02-10');
    await page.locator('#early-amount').fill('500000');
    const saving = page.getByTestId('early-saving');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="early-saving"]')?.textContent?.includes('755'),
    );
    assert.equal(await text(saving), '755 852,50 ₽');
    assert.match(await text(page.getByTestId('early-effect')), /Платежей 120 91/);
    const mode = page.getByRole('radiogroup', { name: 'Что уменьшить' });
    await mode.getByText('Платёж').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="early-saving"]')?.textContent?.includes('316'),
    );
    assert.match(await text(page.getByTestId('early-effect')), /Платёж 43 041,28 ₽ 35 409,60 ₽/);
    await mode.getByText('Срок').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="early-saving"]')?.textContent?.includes('755'),
    );
    await page.getByRole('button', { name: 'Внести' }).click();

    await card.getByTestId('credit-saved').waitFor();
    assert.equal(await text(card.getByTestId('credit-saved')), '755 852,50 ₽');
    assert.equal(await text(card.getByTestId('credit-remaining')), '2 486 958,72 ₽');

    // Deleting asks in the page's own dialog; Cancel keeps the credit, the dialog's button deletes it.
    await card.getByRole('button', { name: 'Удалить' }).click();
    const question = page.getByRole('dialog', { name: 'Удалить' });
    assert.equal(
      await text(question.locator('.modal-body')),
      'Удалить кредит «Ипотека <b>квартира</b>» вместе с историей платежей?',
    );
    await question.getByRole('button', { name: 'Отмена' }).click();
    await question.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('credit-card').count(), 1);
    await card.getByRole('button', { name: 'Удалить' }).click();
    await page.getByTestId('confirm-yes').click();
    await page.getByText('Кредитов пока нет').waitFor();
    assert.equal(await page.getByTestId('credit-card').count(), 0);
  });

  it('adds a mandatory payment and ticks it paid, on a phone', async () => {
    const page = await e.newPage({ phone: true });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 2');
    await page.goto('/obligations.html');
    await page.getByText('В этом месяце платежей нет').waitFor();

    await page.getByRole('button', { name: '+ Платёж' }).click();
    await page.locator('#obligation-title').fill('Аренда');
    await page.locator('#obligation-amount').fill('45 000,50');
    await page.locator('#obligation-due').fill('2025-03-05');
    await page.getByRole('button', { name: 'Сохранить' }).click();

    const list = page.getByTestId('payments-card');
    const item = list.locator('li', { hasText: 'Аренда' });
    await item.waitFor();
    assert.match(await text(item), /05\.03\.2025 запланирован 45 000,50 ₽/);
    assert.match(await text(page.getByTestId('upcoming-card')), /05\.03\.2025 Аренда платёж 45 000,50 ₽/);

    await item.getByRole('checkbox').check();
    await item.getByText('оплачен').waitFor();
    assert.match(await text(list), /Осталось 0,00 ₽/);

    // Deleting the payment asks first, in a dialog that fits the phone.
    await item.getByRole('button', { name: 'Удалить' }).click();
    const question = page.getByRole('dialog', { name: 'Удалить' });
    assert.equal(await text(question.locator('.modal-body')), 'Удалить платёж «Аренда»?');
    await page.getByTestId('confirm-yes').click();
    await list.getByText('В этом месяце платежей нет').waitFor();
    assert.equal(await list.locator('li', { hasText: 'Аренда' }).count(), 0);
  });
});
