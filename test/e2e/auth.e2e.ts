import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { registerThroughPage, startE2E, type E2E } from './support.js';

describe('login page in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('registers, logs out and logs in again; a wrong password shows an error', async () => {
    const page = await e.newPage();
    const email = `e2e-${randomUUID()}@example.test`;
    await registerThroughPage(page, email, 'e2e password 1');
    await page.getByRole('navigation').getByText('Бюджет').waitFor();

    // Reloading keeps the session: the page refreshes the access token from the cookie.
    await page.reload();
    await page.getByTestId('logout').waitFor();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login.html');

    // A protected page now sends the visitor to the login page, remembering where to return.
    await page.goto('/settings.html');
    await page.waitForURL('**/login.html?next=%2Fsettings.html');

    await page.locator('#email').fill(email);
    await page.locator('#password').fill('wrong password');
    await page.getByRole('button', { name: 'Войти' }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'Неверный e-mail или пароль');

    await page.locator('#password').fill('e2e password 1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL('**/settings.html');
    await page.getByRole('heading', { name: 'Настройки' }).waitFor();
    assert.equal(await page.locator('#name').inputValue(), '');
  });

  it('switches to English and back, and the choice follows the profile', async () => {
    const page = await e.newPage({ phone: true });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 2');
    await page.getByTestId('locale-toggle').click();
    // On a phone the sections are behind the menu button, which speaks English too.
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation').getByText('Budget').waitFor();
    await page.goto('/settings.html');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    assert.equal(await page.locator('#locale').inputValue(), 'en');
  });
});
