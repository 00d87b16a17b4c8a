import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { cp1251, TBANK_HEADER, tbankCsv, tbankLine, tbankMonth } from '../support/statements.js';
import { registerThroughPage, startE2E, type E2E } from './support.js';

const folder = mkdtempSync(path.join(tmpdir(), 'wt-import-'));
function file(name: string, body: Buffer): string {
  const p = path.join(folder, name);
  writeFileSync(p, body);
  return p;
}

async function openAccount(page: Page, name: string) {
  await page.getByTestId('first-account').click();
  await page.locator('#acc-name').fill(name);
  await page.getByTestId('account-save').click();
  await page.getByTestId('account-list').getByText(name, { exact: true }).waitFor();
  await page.keyboard.press('Escape');
}

describe('statement import in Chromium', () => {
  let e: E2E;
  before(async () => {
    e = await startE2E();
  });
  after(() => e.close());

  for (const phone of [false, true]) {
    it(`imports a T-Bank CSV, shows problems of a broken one and undoes an import (${phone ? '375' : '1280'} px)`, async () => {
      const page = await e.newPage({ phone });
      await registerThroughPage(page, `e2e-${randomUUID()}@example.test`, 'e2e password 1');
      await page.goto('/budget.html?month=2026-02');
      await openAccount(page, 'Тинькофф Black');
      const shot = async (name: string) => {
        if (process.env.SCREENSHOTS)
          await page.screenshot({
            path: `screenshots/budget-import-${name}-${phone ? 'phone' : 'desktop'}.png`,
            fullPage: true,
          });
      };
      await page.getByTestId('open-import').click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByTestId('import-file')
        .setInputFiles(file('operations.csv', tbankCsv(['2026-01', '2026-02', '2026-03'])));
      await dialog.getByTestId('import-upload').click();
      await dialog.getByTestId('import-preview').waitFor();
      assert.match(
        await dialog.getByTestId('import-counts').innerText(),
        /Новых: 21 · Уже были: 0 · Пропущено: 0/,
      );
      assert.match(await dialog.getByTestId('import-preview').innerText(), /CSV, windows-1251, Т-Банк/);
      const rows = dialog.getByTestId('import-rows').locator('tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 21);
      // The bank's "Такси" became the user's category of that name.
      const taxi = rows.filter({ hasText: 'Яндекс Go' }).first();
      assert.equal(await taxi.locator('select option:checked').innerText(), '· Такси');
      // Adjust: skip one coffee.
      await rows.filter({ hasText: 'Кофе Хауз' }).first().getByRole('checkbox').uncheck();
      await shot('preview');
      await dialog.getByTestId('import-tab-skipped').click();
      await dialog.getByTestId('import-rows').locator('tbody tr').first().waitFor();
      await dialog.getByTestId('import-tab-new').click();
      await dialog.getByTestId('import-commit').click();
      await page.getByText('Добавлено операций: 20').waitFor();
      await dialog.getByTestId('import-history').waitFor();
      assert.match(
        await dialog.getByTestId('import-history').innerText(),
        /operations\.csv[\s\S]*добавлено: 20/,
      );

      // The same file again: only the coffee left out before is offered.
      await dialog
        .getByTestId('import-file')
        .setInputFiles(file('operations.csv', tbankCsv(['2026-01', '2026-02', '2026-03'])));
      await dialog.getByTestId('import-upload').click();
      await dialog.getByTestId('import-preview').waitFor();
      assert.match(
        await dialog.getByTestId('import-counts').innerText(),
        /Новых: 1 · Уже были: 20 · Пропущено: 0/,
      );
      await dialog.getByRole('button', { name: 'Другой файл' }).click();

      // A broken file: the lines and columns are named, nothing is written.
      const lines = tbankMonth('2026-04').map(tbankLine);
      lines[1] = lines[1]!.replace(/^\d\d\.04\.2026/, '31.04.2026');
      lines[5] = lines[5]!.replace('-950.0', 'девятьсот');
      await dialog
        .getByTestId('import-file')
        .setInputFiles(file('broken.csv', cp1251(`${TBANK_HEADER}\n${lines.join('\n')}\n`)));
      await dialog.getByTestId('import-upload').click();
      const problems = dialog.getByTestId('import-problems');
      await problems.waitFor();
      assert.match(
        await problems.innerText(),
        /Строка 3, столбец «Дата операции»: неверная дата «31\.04\.2026 \d\d:\d\d:\d\d»/,
      );
      assert.match(
        await problems.innerText(),
        /Строка 7, столбец «Сумма платежа»: неверная сумма «девятьсот»/,
      );
      await shot('problems');

      // Undo from the history: the month is empty again.
      await dialog.getByTestId('import-undo').first().click();
      await page.getByTestId('confirm-yes').click();
      await page.getByText('Импорт отменён').waitFor();
      await page.keyboard.press('Escape');
      await page.getByText('Операций нет').waitFor();
      await shot('after-undo');
    });
  }
});
