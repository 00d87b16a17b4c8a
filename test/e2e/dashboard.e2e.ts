import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, register, uniqueEmail } from '../support/app.js';
import { startE2E, type E2E } from './support.js';

/** Intl groups digits with no-break spaces; compare with plain ones. */
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('dashboard in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('shows net worth from accounts and credits, to the kopeck', async () => {
    const email = uniqueEmail();
    const s = await register(e.test.app, email);
    const post = (url: string, payload: Record<string, unknown>) =>
      e.test.app.inject({ method: 'POST', url, headers: s.auth, payload });
    await post('/api/budget/accounts', {
      name: 'Карта',
      kind: 'card',
      currency: 'RUB',
      openingBalance: '100000.50',
    });
    await post('/api/budget/obligation-blocks', {
      kind: 'consumer',
      title: 'Кредит на машину <b>',
      principal: '300000.00',
      annualRatePercent: '14.9',
      termMonths: 24,
      issueDate: '2026-01-15',
    });

    for (const phone of [false, true]) {
      const page = await e.newPage({ phone });
      await page.goto('/login.html?next=%2Fdashboard.html');
      await page.locator('#email').fill(email);
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.waitForURL('**/dashboard.html');
      const tile = (id: string) => page.getByTestId(id).locator('.tile-value');
      await page.getByTestId('tile-networth').getByText(/199/).waitFor();
      assert.equal(plain(await tile('tile-networth').textContent()), '−199 999,50 ₽');
      assert.equal(plain(await tile('tile-assets').textContent()), '100 000,50 ₽');
      assert.equal(plain(await tile('tile-liabilities').textContent()), '300 000,00 ₽');
      // User text is shown as text, never as markup.
      await page.getByText('Кредит на машину <b>').first().waitFor();
      if (process.env.SCREENSHOTS)
        await page.screenshot({
          path: `screenshots/dashboard-data-${phone ? 'phone' : 'desktop'}.png`,
          fullPage: true,
        });
    }
  });
});
