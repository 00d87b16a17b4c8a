import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PASSWORD, register, uniqueEmail } from '../support/app.js';
import { startE2E, type E2E } from './support.js';

describe('exports from the budget and settings pages, and a full import into a new user (Chromium)', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
    mkdirSync('screenshots', { recursive: true });
  });
  after(() => e.close());

  const login = async (page: Page, email: string, next: string) => {
    await page.goto(`/login.html?next=${encodeURIComponent(next)}`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL(`**${next}`);
  };

  it('downloads the transactions CSV and the full JSON, and loads the JSON into a new user, at 1280 and 375 px', async () => {
    const email = uniqueEmail();
    const s = await register(e.test.app, email);
    const call = async (url: string, payload: Record<string, unknown>) => {
      const res = await e.test.app.inject({ method: 'POST', url, headers: s.auth, payload });
      assert.ok(res.statusCode < 300, res.body);
      return res.json<{ id: string }>();
    };
    const zone = await e.test.app.inject({
      method: 'PATCH',
      url: '/api/users/me',
      headers: s.auth,
      payload: { timeZone: 'Asia/Novosibirsk' },
    });
    assert.equal(zone.statusCode, 200, zone.body);
    const card = await call('/api/budget/accounts', {
      name: 'Карта',
      kind: 'card',
      openingBalance: '5000.00',
    });
    const today = new Date().toISOString().slice(0, 10);
    await call('/api/budget/transactions', {
      type: 'expense',
      date: today,
      accountId: card.id,
      amount: '1234.56',
      description: 'Продукты; молоко',
    });
    await call('/api/budget/transactions', {
      type: 'income',
      date: today,
      accountId: card.id,
      amount: '100.01',
    });

    for (const phone of [false, true]) {
      const size = phone ? 'phone' : 'desktop';
      const page = await e.newPage({ phone });
      await login(page, email, '/budget.html');
      await page.getByTestId('tx-row').first().waitFor();
      await page.screenshot({ path: `screenshots/export-budget-${size}.png`, fullPage: true });
      await page
        .getByTestId('transactions')
        .screenshot({ path: `screenshots/export-budget-list-${size}.png` });
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-csv').click(),
      ]);
      assert.match(csv.suggestedFilename(), /^transactions-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = readFileSync(await csv.path(), 'utf8');
      assert.ok(text.startsWith('\uFEFFDate;Time;Account;Currency;Amount;'));
      assert.match(text, /;Карта;RUB;-1234,56;expense;;"Продукты; молоко";/);
      assert.match(text, /;Карта;RUB;100,01;income;/);

      await page.goto('/settings.html');
      await page.getByTestId('data-transfer').waitFor();
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('data-export').click(),
      ]);
      // The download goes with its page; keep a copy for the other user.
      const file = path.join(tmpdir(), `wealthtracker-${size}-${Date.now()}.json`);
      await json.saveAs(file);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { tables: Record<string, unknown[]> };
      assert.equal(doc.tables.budget_transactions!.length, 2);
      await page.getByTestId('data-transfer').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `screenshots/export-settings-${size}.png`, fullPage: true });
      await page.context().close();

      // A new user loads the file: the same account and balance appear.
      const other = uniqueEmail();
      await register(e.test.app, other);
      const fresh = await e.newPage({ phone });
      await login(fresh, other, '/settings.html');
      await fresh.getByTestId('data-import').setInputFiles(file);
      const summary = fresh.getByTestId('data-summary');
      await summary.waitFor();
      assert.match((await summary.textContent()) ?? '', /счета: 1, категории: \d+, операции: 2,/);
      // The profile form shows the loaded profile at once.
      assert.equal(await fresh.locator('#tz').inputValue(), 'Asia/Novosibirsk');
      await fresh.getByTestId('data-transfer').scrollIntoViewIfNeeded();
      await fresh.screenshot({ path: `screenshots/export-imported-${size}.png`, fullPage: true });
      await fresh
        .getByTestId('data-transfer')
        .screenshot({ path: `screenshots/export-imported-card-${size}.png` });
      // The same file again is refused with a message, not written twice.
      await fresh.getByTestId('data-import').setInputFiles(file);
      const problem = fresh.getByTestId('data-problem');
      await problem.waitFor();
      assert.match((await problem.textContent()) ?? '', /уже есть данные/);
      await fresh.screenshot({ path: `screenshots/export-refused-${size}.png`, fullPage: true });
      await fresh.goto('/budget.html');
      await fresh.getByTestId('tx-row').first().waitFor();
      assert.equal(await fresh.getByTestId('tx-row').count(), 2);
      await fresh.context().close();
      rmSync(file);
    }
  });
});
