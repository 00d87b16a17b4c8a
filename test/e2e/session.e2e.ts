import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { registerThroughPage, startE2E, type E2E } from './support.js';

/** Console errors and failed answers of a page, as a user with the developer tools open sees them. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

describe('sessions in Chromium: logged-out visits and server outages', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('sends a logged-out visitor to the login form without a single console error', async () => {
    for (const path of ['/', '/dashboard.html', '/budget.html', '/obligations.html', '/settings.html']) {
      const page = await e.newPage();
      const problems = watch(page);
      await page.goto(path);
      await page.waitForURL('**/login.html**');
      await page.getByRole('button', { name: 'Войти' }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(problems, [], path);
      assert.equal(new URL(page.url()).searchParams.get('next'), path === '/' ? null : path);
      await page.context().close();
    }
  });

  it('keeps the user signed in while the server is unavailable, says so, and carries on after', async () => {
    const page = await e.newPage();
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e outage 1');
    let down = true;
    // The app's answer while its database is down: 503 with Retry-After, readiness too.
    await page.route('**/api/**', (route) =>
      down
        ? route.fulfill({
            status: 503,
            headers: { 'retry-after': '1', 'content-type': 'application/json' },
            body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'database down' } }),
          })
        : route.continue(),
    );
    await page.goto('/budget.html');
    const banner = page.getByTestId('outage-banner');
    await banner.waitFor();
    assert.equal(await banner.textContent(), 'Сервер недоступен, повторяем попытку…');
    await page.evaluate(() => localStorage.setItem('wt-locale', 'en'));
    await page.reload();
    await banner.waitFor();
    assert.equal(await banner.textContent(), 'Server unavailable, retrying…');
    // Several back-off rounds later the user is still on the page, not at the login form.
    await page.waitForTimeout(3500);
    assert.ok(page.url().endsWith('/budget.html'), page.url());
    down = false;
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    // The session was resumed from the cookie: the page is the user's (in the profile's language).
    await page.getByTestId('logout').waitFor();
    await page.getByRole('heading', { name: 'Бюджет' }).waitFor();
    assert.ok(page.url().endsWith('/budget.html'));
  });
});
