import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { registerThroughPage, startE2E, type E2E } from './support.js';

const fixture = fileURLToPath(new URL('../fixtures/activities/ghostfolio.csv', import.meta.url));

describe('activities import in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  for (const phone of [false, true]) {
    it(`imports a Ghostfolio CSV with one row corrected and undoes it (${phone ? '375' : '1280'} px)`, async () => {
      const page = await e.newPage({ phone });
      await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
      await page.goto('/');
      const shot = async (name: string) => {
        if (process.env.SCREENSHOTS)
          await page.screenshot({
            path: `screenshots/activities-import-${name}-${phone ? 'phone' : 'desktop'}.png`,
            fullPage: true,
          });
      };
      await page.getByTestId('activity-import-open').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('activity-file').setInputFiles(fixture);
      await dialog.getByTestId('activity-upload').click();
      await dialog.getByTestId('activity-preview').waitFor();
      assert.match(await dialog.getByTestId('activity-counts').innerText(), /Новых: 6 · Уже были: 0/);
      assert.match(await dialog.getByTestId('activity-preview').innerText(), /Ghostfolio/);
      const rows = dialog.getByTestId('activity-rows').locator('tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 6);
      assert.match(await rows.nth(0).innerText(), /Покупка[\s\S]*SBER[\s\S]*2\s?701,50/);
      await shot('preview');
      // 10 pieces were 12: the amount follows quantity × price, and a wrong value names its field.
      await dialog.getByTestId('activity-edit-2').click();
      const editor = dialog.getByTestId('activity-edit');
      await editor.getByLabel('Количество').fill('0');
      await editor.getByTestId('activity-edit-save').click();
      await editor.getByText('должно быть больше нуля').waitFor();
      await shot('edit');
      await editor.getByLabel('Количество').fill('12');
      await editor.getByTestId('activity-edit-save').click();
      await editor.waitFor({ state: 'detached' });
      assert.match(await rows.nth(0).innerText(), /Покупка[\s\S]*SBER[\s\S]*12[\s\S]*3\s?241,80/);
      await dialog.getByTestId('activity-commit').click();
      await page.getByText('Добавлено операций: 6').waitFor();
      await dialog.getByTestId('activity-history').waitFor();
      await shot('history');
      await dialog.getByTestId('activity-undo').click();
      await page.getByTestId('confirm-yes').click();
      await page.getByText('Импорт отменён').waitFor();
      await page.keyboard.press('Escape');
      await page.getByText('Портфель пуст').waitFor();
    });
  }
});
