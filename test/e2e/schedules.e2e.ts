import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Locator } from 'playwright-core';
import { registerThroughPage, startE2E, type E2E } from './support.js';

const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

describe('schedules, upcoming and the forecast in Chromium', () => {
  let e: E2E;
  // 12:00 on 10 March 2026 in Moscow.
  const NOW = new Date('2026-03-10T09:00:00Z');
  before(async () => {
    e = await startE2E({ deps: { now: () => NOW } });
  });
  after(() => e.close());

  /** A new user on the budget page of March 2026 with one card of 10 000 ₽. */
  async function newUserWithCard(phone = false) {
    const page = await e.newPage({ phone });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
    await page.goto('/budget.html?month=2026-03');
    await page.getByTestId('first-account').click();
    await page.locator('#acc-name').fill('Карта');
    await page.locator('#acc-opening').fill('10 000');
    await page.getByTestId('account-save').click();
    await page.getByTestId('account-list').getByText('Карта', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    return page;
  }

  it('creates a schedule, shows it in upcoming and in the forecast, and confirms one occurrence', async () => {
    const page = await newUserWithCard();

    await page.getByTestId('add-schedule').click();
    await page.locator('#sched-title').fill('Подписка');
    await page.locator('#sched-amount').fill('500');
    await page.locator('#sched-monthDay').fill('32');
    await page.locator('#sched-startDate').fill('2026-03-10');
    await page.getByTestId('schedule-save').click();
    // A day past 31 is refused next to its field.
    await page.getByTestId('sched-error-monthDay').waitFor();
    await page.locator('#sched-monthDay').fill('10');
    await page.getByTestId('schedule-save').click();
    await page.getByTestId('schedule-list').getByText('Подписка').waitFor();
    assert.match(
      await text(page.getByTestId('schedule-list')),
      /следующая 10\.03\.2026 Подписка · каждый месяц · ждёт подтверждения −500,00 ₽/,
    );

    const upcoming = page.getByTestId('upcoming-list');
    await upcoming.getByText('Подписка').waitFor();
    assert.equal(await text(upcoming), '10.03.2026 Подписка · план −500,00 ₽ Подтвердить Пропустить');
    // Thirteen payments from 10 March 2026 to 10 March 2027: 10 000 − 13 × 500.
    await page.getByTestId('forecast-lowest').waitFor();
    assert.equal(await text(page.getByTestId('forecast-lowest')), 'Минимум 3 500,00 ₽ — 10.03.2027');
    assert.equal(
      await text(page.getByTestId('forecast-free')),
      'Свободно (доходов не ожидается): 3 500,00 ₽',
    );

    await page.screenshot({ path: 'screenshots/schedules-desktop.png', fullPage: true });
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByTestId('upcoming').screenshot({ path: 'screenshots/schedules-upcoming-phone.png' });
    await page.screenshot({ path: 'screenshots/schedules-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });

    await upcoming.getByRole('button', { name: 'Подтвердить' }).click();
    await page.getByTestId('tx-row').first().waitFor();
    assert.match(await text(page.getByTestId('tx-row').first()), /Подписка/);
    // Nothing else within 30 days; 90 days show April and May.
    await page.getByTestId('upcoming').getByText('В эти дни ничего не ожидается').waitFor();
    await page.getByTestId('upcoming').getByRole('button', { name: '90 дней' }).click();
    await upcoming.waitFor();
    assert.equal(
      await text(upcoming),
      '10.04.2026 Подписка · план −500,00 ₽ 10.05.2026 Подписка · план −500,00 ₽',
    );
    assert.match(await text(page.getByTestId('tile-balance')), /9 500,00 ₽/);

    // The overview shows the same upcoming list and forecast.
    await page.goto('/dashboard.html');
    await page.getByTestId('forecast-lowest').waitFor();
    assert.equal(await text(page.getByTestId('forecast-lowest')), 'Минимум 3 500,00 ₽ — 10.03.2027');
    await page.getByTestId('upcoming').getByRole('button', { name: '90 дней' }).click();
    await page.getByTestId('upcoming-list').getByText('10.04.2026').waitFor();
    await page.screenshot({ path: 'screenshots/schedules-overview-desktop.png', fullPage: true });
  });

  it('posts one date early, changes another, and changes the rule from a day on (1280 and 375 px)', async () => {
    for (const phone of [false, true]) {
      const page = await newUserWithCard(phone);
      await page.getByTestId('add-schedule').click();
      await page.locator('#sched-title').fill('Аренда');
      await page.locator('#sched-amount').fill('1000');
      await page.locator('#sched-monthDay').fill('20');
      await page.locator('#sched-startDate').fill('2026-03-20');
      await page.getByTestId('schedule-save').click();
      await page.getByTestId('schedule-list').getByText('Аренда').waitFor();

      await page.getByTestId('schedule-dates').click();
      const list = page.getByTestId('occurrence-list');
      const on = (day: string) => list.locator(`[data-date="${day}"]`);
      await on('2026-04-20').waitFor();
      // 20 March is ten days ahead: posting it now makes today's transaction.
      await on('2026-03-20').getByRole('button', { name: 'Провести сегодня' }).click();
      await on('2026-03-20').getByText('проведена').waitFor();
      await on('2026-04-20').getByRole('button', { name: 'Изменить' }).click();
      const change = page.getByTestId('occurrence-change');
      await change.locator('input[type=date]').fill('2026-04-22');
      await change.locator('input[inputmode=decimal]').fill('1 250,50');
      await change.getByRole('button', { name: 'Сохранить' }).click();
      await on('2026-04-20').getByText('по правилу 20.04.2026').waitFor();
      assert.match(
        await text(on('2026-04-20')),
        /^22\.04\.2026 по правилу 20\.04\.2026 −1 250,50 ₽ ожидается/,
      );
      if (phone) await page.screenshot({ path: 'screenshots/schedule-dates-phone.png' });
      else await page.getByRole('dialog').screenshot({ path: 'screenshots/schedule-dates-desktop.png' });
      await page.keyboard.press('Escape');
      assert.match(await text(page.getByTestId('tx-row').first()), /Аренда/);
      assert.match(await text(page.getByTestId('tile-balance')), /9 000,00 ₽/);

      // From June on the rent is 1 100,00; April and May keep the old rule.
      await page.getByTestId('schedule-edit').click();
      await page.locator('#sched-from').fill('2026-06-01');
      await page.locator('#sched-amount').fill('1100');
      await page.getByTestId('schedule-save').click();
      await page.getByTestId('schedule-list').getByText('1 100,00 ₽').waitFor();
      assert.match(
        await text(page.getByTestId('schedule-list')),
        /следующая 22\.04\.2026 Аренда · каждый месяц · ждёт подтверждения −1 000,00 ₽ ?× Даты Изменить следующая 20\.06\.2026 Аренда · каждый месяц · ждёт подтверждения −1 100,00 ₽/,
      );
      await page.getByTestId('upcoming').getByRole('button', { name: '90 дней' }).click();
      await page.getByTestId('upcoming-list').getByText('20.05.2026').waitFor();
      assert.equal(
        await text(page.getByTestId('upcoming-list')),
        '22.04.2026 Аренда · план −1 250,50 ₽ 20.05.2026 Аренда · план −1 000,00 ₽',
      );
      await page.context().close();
    }
  });
});
