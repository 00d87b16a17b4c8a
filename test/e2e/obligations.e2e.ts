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
    await first.getByRole('button', { name: 'Отметить оплату' }).click();
    await page.getByTestId('pay-save').click();
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

  it('asks for the real date and amount, confirms marking paid up to today with the count, agrees on what is overdue', async () => {
    const page = await e.newPage();
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 3');
    await page.goto('/obligations.html');
    await page.getByText('Кредитов пока нет').waitFor();

    // Paid on the 3rd: 3 November 2024 is a Sunday and the 4th a holiday, so payment 1 falls on the
    // 5th; 3 January 2025 is inside the holidays, so payment 3 falls on Thursday 9 January.
    await page.getByRole('button', { name: '+ Кредит' }).first().click();
    await page.locator('#credit-title').fill('Кредит на ремонт');
    await page.locator('#credit-principal').fill('120 000');
    await page.locator('#credit-rate').fill('12');
    await page.locator('#credit-issueDate').fill('2024-10-03');
    await page.locator('#credit-paymentDay').fill('3');
    await page.locator('#credit-termMonths').fill('6');
    assert.equal(await page.locator('#credit-paymentShift').inputValue(), 'next');
    await page.locator('#credit-penaltyRate').fill('36,5');
    await page.getByTestId('credit-preview').waitFor();
    await page.getByRole('button', { name: 'Сохранить' }).click();

    // Payments 1–4 are unpaid and due before 1 March: the tile, the banner and the card say 4.
    const card = page.getByTestId('credit-card');
    await card.waitFor();
    assert.equal(await text(card.getByTestId('credit-overdue')), 'Просрочено: 4 платежа');
    assert.match(await text(page.getByTestId('tile-credits')), /просрочено: 4 платежа$/);
    const banner = page.getByTestId('overdue-banner');
    assert.match(
      await text(banner),
      /^Просрочено по кредитам: 4 платежа Кредит на ремонт, платёж №1 — 05\.11\.2024/,
    );
    assert.match(await text(banner), /Кредит на ремонт, платёж №3 — 09\.01\.2025/);
    assert.match(await text(page.getByTestId('tile-penalty')), /^НЕУСТОЙКА \d/);
    await page.getByTestId('locale-toggle').click();
    assert.match(await text(page.getByTestId('tile-credits')), /overdue: 4 payments$/);
    assert.match(await text(banner), /^Overdue on credits: 4 payments/);
    await page.getByTestId('locale-toggle').click();
    await page.getByText('Просрочено по кредитам: 4 платежа').waitFor();

    // Marking payment 1 paid asks when and how much, with the scheduled ones filled in.
    await card.getByRole('button', { name: 'График' }).click();
    const table = page.getByTestId('schedule-table');
    await table.waitFor();
    assert.equal(await text(table.locator('tbody tr[data-number="3"] td').nth(1)), '09.01.2025');
    const first = table.locator('tbody tr[data-number="1"]');
    await first.getByRole('button', { name: 'Отметить оплату' }).click();
    const pay = page.getByRole('dialog', { name: 'Оплата платежа №1' });
    assert.equal(await pay.locator('#pay-date').inputValue(), '2024-11-05');
    const scheduledAmount = await pay.locator('#pay-amount').inputValue();
    assert.match(scheduledAmount, /^\d+\.\d{2}$/);
    await pay.locator('#pay-date').fill('2024-11-08');
    assert.equal(
      await text(pay.getByTestId('pay-late')),
      'Позже срока на 3 дня: неустойка считается по дату оплаты',
    );
    await page.getByTestId('pay-save').click();
    await pay.waitFor({ state: 'detached' });
    await first.getByText('оплачен', { exact: true }).waitFor();
    // The penalty for 3 days of leap 2024 at 36.5 % a year: amount · 36.5 · 3 / 36 600, half-up.
    const kopecks = Math.round((Number(scheduledAmount.replace('.', '')) * 1095) / 366000);
    const penalty = `${Math.floor(kopecks / 100)},${String(kopecks % 100).padStart(2, '0')}`;
    assert.equal(await text(first.locator('td.obl-penalty')), `${penalty} ₽ 3 дня`);

    // "Up to today" says how many it marks and waits for a yes; Cancel marks nothing.
    await page.getByRole('button', { name: 'Отметить оплаченными по сегодня' }).click();
    const question = page.getByRole('dialog', { name: 'Отметить оплату' });
    assert.equal(
      await text(question.locator('.modal-body')),
      'Отметить оплаченными 3 платежа — по №4 от 03.02.2025 включительно — с датами и суммами графика?',
    );
    await question.getByRole('button', { name: 'Отмена' }).click();
    await question.waitFor({ state: 'detached' });
    assert.equal(await table.getByText('оплачен', { exact: true }).count(), 1);
    await page.getByRole('button', { name: 'Отметить оплаченными по сегодня' }).click();
    await page.getByTestId('confirm-yes').click();
    await table.locator('tbody tr[data-number="4"]').getByText('оплачен', { exact: true }).waitFor();
    assert.equal(await table.getByText('оплачен', { exact: true }).count(), 4);
    await page.keyboard.press('Escape');
    await banner.waitFor({ state: 'detached' });
    assert.equal(await card.getByTestId('credit-overdue').count(), 0);

    // An early repayment above the debt is refused with the debt on that day, offered as the payoff.
    await card.getByRole('button', { name: 'Досрочно' }).click();
    await page.locator('#early-date').fill('2025-03-01');
    await page.locator('#early-amount').fill('1 000 000');
    const exceeds = page.getByTestId('early-exceeds');
    await exceeds.waitFor();
    assert.match(
      await text(exceeds),
      /^Больше, чем остаток долга на эту дату с процентами: (\d{2} \d{3},\d{2}) ₽ Погасить полностью: \1 ₽$/,
    );
    await exceeds.getByRole('button').click();
    await page.getByTestId('early-saving').waitFor();
    assert.match(await page.locator('#early-amount').inputValue(), /^\d{5}\.\d{2}$/);
    await page.keyboard.press('Escape');

    // A deletion is confirmed with the danger colour, not the primary blue.
    await card.getByRole('button', { name: 'Удалить' }).click();
    const danger = await page
      .getByTestId('confirm-yes')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(danger, 'rgb(198, 45, 45)');
  });

  it('the credit dialog shows its choices whole and the schedule keeps "₽" with the amount, on a phone', async () => {
    const page = await e.newPage({ phone: true });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 4');
    await page.goto('/obligations.html');
    await page.getByText('Кредитов пока нет').waitFor();
    await page.getByRole('button', { name: '+ Кредит' }).first().click();
    // Each list is wide enough for its longest choice (the arrow takes about 2.5rem).
    const cut = await page.locator('#credit-form').evaluate((form) =>
      [...form.querySelectorAll('select')].flatMap((select) => {
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(select).font;
        probe.style.position = 'absolute';
        probe.style.whiteSpace = 'nowrap';
        document.body.append(probe);
        const longest = [...select.options].map((o) => {
          probe.textContent = o.text;
          return { text: o.text, width: probe.getBoundingClientRect().width };
        });
        probe.remove();
        return longest.filter((o) => o.width > select.clientWidth - 40).map((o) => o.text);
      }),
    );
    assert.deepEqual(cut, []);

    await page.locator('#credit-title').fill('Ипотека');
    await page.locator('#credit-principal').fill('3 000 000');
    await page.locator('#credit-rate').fill('12');
    await page.locator('#credit-issueDate').fill('2024-01-10');
    await page.locator('#credit-termMonths').fill('120');
    await page.getByTestId('credit-preview').waitFor();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('credit-card').getByRole('button', { name: 'График' }).click();
    const table = page.getByTestId('schedule-table');
    await table.waitFor();
    // Paid rows carry the widest actions; every amount of them stays on one line, inside its cell.
    await page.getByRole('button', { name: 'Отметить оплаченными по сегодня' }).click();
    await page.getByTestId('confirm-yes').click();
    await table.locator('tbody tr[data-number="5"]').getByText('оплачен', { exact: true }).waitFor();
    const wrapped = await table.evaluate((t) =>
      [...t.querySelectorAll('tbody tr:nth-child(-n+5) td.num')]
        .filter((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          const boxes = [...range.getClientRects()];
          const cell = td.getBoundingClientRect();
          return (
            new Set(boxes.map((r) => Math.round(r.top))).size > 1 ||
            boxes.some((r) => r.right > cell.right + 1)
          );
        })
        .map((td) => td.textContent),
    );
    assert.deepEqual(wrapped, []);
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
