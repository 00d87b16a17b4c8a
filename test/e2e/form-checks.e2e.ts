import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { pageUser, startE2E, type E2E } from './support.js';

/**
 * Values the API would refuse are pointed out next to their field, in the page's language, with the
 * server's own words, and nothing is sent.
 */
describe('forms check dates and amounts before sending (Chromium)', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
    mkdirSync('screenshots', { recursive: true });
  });
  after(() => e.close());

  /** A new user signed in through the page, with the API's headers for setting things up. */
  async function user(locale: 'ru' | 'en', phone = false) {
    const { page, headers } = await pageUser(e, phone);
    if (locale === 'en') {
      const res = await e.test.app.inject({
        method: 'PATCH',
        url: '/api/users/me',
        headers,
        payload: { locale },
      });
      assert.equal(res.statusCode, 200, res.body);
    }
    return { page, headers };
  }

  /** Requests that would change something, as they leave the page. */
  function changes(page: Page): string[] {
    const sent: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.method() !== 'GET' && path.startsWith('/api/') && !path.startsWith('/api/auth/'))
        sent.push(`${r.method()} ${path}`);
    });
    return sent;
  }

  /** The message under a field, and that the field points at it. */
  async function fieldError(page: Page, id: string): Promise<string> {
    const error = page.locator(`#${id}-error`);
    await error.waitFor();
    const input = page.locator(`#${id}`);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.match((await input.getAttribute('aria-describedby')) ?? '', new RegExp(`\\b${id}-error\\b`));
    return (await error.textContent()) ?? '';
  }

  it('a schedule and a mandatory payment in Russian', async () => {
    const { page, headers } = await user('ru');
    const card = await e.test.app.inject({
      method: 'POST',
      url: '/api/budget/accounts',
      headers,
      payload: { name: 'Карта', kind: 'card' },
    });
    assert.equal(card.statusCode, 201, card.body);
    const sent = changes(page);
    await page.goto('/budget.html');
    await page.getByTestId('add-schedule').click();
    await page.locator('#sched-title').fill('Подписка');
    await page.locator('#sched-amount').fill('пятьсот');
    await page.locator('#sched-endDate').fill('1900-01-01');
    await page.getByTestId('schedule-save').click();
    assert.equal(await fieldError(page, 'sched-amount'), 'нужно: сумма, например 1234,50');
    assert.equal(await fieldError(page, 'sched-endDate'), 'нужно: дата с 01.01.1970 по 31.12.2100');
    await page.getByRole('dialog').screenshot({ path: 'screenshots/form-checks-schedule-desktop.png' });
    await page.keyboard.press('Escape');

    await page.goto('/obligations.html');
    await page.getByRole('button', { name: '+ Платёж' }).click();
    await page.locator('#obligation-title').fill('Аренда');
    await page.locator('#obligation-amount').fill('45 000,505');
    await page.locator('#obligation-due').fill('2025-03-05');
    await page.getByRole('dialog').getByRole('checkbox', { name: 'Оплачено' }).check();
    await page.locator('#obligation-paid').fill('2101-01-01');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    assert.equal(await fieldError(page, 'obligation-amount'), 'нужно: сумма, например 1234,50');
    assert.equal(await fieldError(page, 'obligation-paid'), 'нужно: дата с 01.01.1970 по 31.12.2100');
    assert.deepEqual(sent, [], 'nothing was sent');

    // Corrected, the same form goes through.
    await page.locator('#obligation-amount').fill('45 000,50');
    await page.locator('#obligation-paid').fill('2025-03-04');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.deepEqual(sent, ['POST /api/budget/obligations']);
    await page.context().close();
  });

  it('a manual rate and a manual price in English, at 1280 and 375 px', async () => {
    for (const phone of [false, true]) {
      const { page, headers } = await user('en', phone);
      const portfolioId = (await e.test.app.inject({ url: '/api/portfolios', headers })).json<
        { id: string }[]
      >()[0]!.id;
      const added = await e.test.app.inject({
        method: 'POST',
        url: `/api/portfolios/${portfolioId}/assets`,
        headers,
        payload: {
          manualAsset: { ticker: 'FLAT', name: 'Flat', kind: 'other', currency: 'RUB', price: '9000000' },
          quantity: '1',
          price: '8000000',
        },
      });
      assert.equal(added.statusCode, 201, added.body);
      const sent = changes(page);

      await page.goto('/settings.html');
      await page.locator('#rate-day').fill('1900-01-01');
      await page.locator('#rate-value').fill('ninety');
      await page.getByTestId('rate-add').click();
      assert.equal(await fieldError(page, 'rate-day'), 'expected: a date from 1970-01-01 to 2100-12-31');
      assert.equal(await fieldError(page, 'rate-value'), 'expected: a number, e.g. 12.345');
      await page
        .getByTestId('manual-rates')
        .screenshot({ path: `screenshots/form-checks-rate-${phone ? 'phone' : 'desktop'}.png` });

      await page.goto('/');
      await page.getByTestId('position-FLAT').getByRole('button', { name: 'Price FLAT' }).click();
      await page.getByRole('dialog', { name: 'Prices of FLAT' }).waitFor();
      await page.locator('#manual-price-value').fill('9,400,000.50');
      await page.getByTestId('manual-price-save').click();
      assert.equal(await fieldError(page, 'manual-price-value'), 'expected: a number, e.g. 12.345');
      assert.deepEqual(sent, [], 'nothing was sent');
      await page.context().close();
    }
  });
});
