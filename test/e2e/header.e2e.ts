import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { registerThroughPage, startE2E, type E2E } from './support.js';

describe('page header in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  it('shows every section link on a desktop, with no menu button', async () => {
    const page = await e.newPage();
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
    await page.goto('/budget.html');
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    await nav.getByText('Настройки').waitFor();
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), [
      'Обзор',
      'Инвестиции',
      'Бюджет',
      'Обязательства',
      'Настройки',
    ]);
    assert.equal(await page.getByTestId('nav-toggle').isVisible(), false);
  });

  it('folds the links into a menu on a phone: opens, closes with Escape, fits the screen', async () => {
    const page = await e.newPage({ phone: true });
    await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 2');
    await page.goto('/budget.html');
    const toggle = page.getByRole('button', { name: 'Меню' });
    await toggle.waitFor();
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await nav.isVisible(), false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);

    // Opening shows all the sections as a list and focuses the current one.
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const links = nav.getByRole('link');
    assert.deepEqual(await links.allInnerTexts(), [
      'Обзор',
      'Инвестиции',
      'Бюджет',
      'Обязательства',
      'Настройки',
    ]);
    for (const name of ['Обязательства', 'Настройки']) {
      const box = await nav.getByRole('link', { name }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${name} is on the screen`);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Бюджет');

    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Escape');
    assert.equal(await nav.isVisible(), false);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'nav-toggle',
    );

    // From the keyboard: Enter opens, a link leads to its page.
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: 'Обязательства' }).click();
    await page.waitForURL('**/obligations.html');
    await page.getByRole('heading', { name: 'Обязательства' }).waitFor();

    // A click outside closes it.
    await page.getByRole('button', { name: 'Меню' }).click();
    await nav.getByRole('link', { name: 'Настройки' }).waitFor();
    await page.mouse.click(187, 700);
    assert.equal(await nav.isVisible(), false);
  });
});
