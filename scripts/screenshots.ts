// Screenshots of every page at desktop and phone width, for looking at what the pages show:
// `tsx scripts/screenshots.ts [page …]` → screenshots/<page>-<desktop|phone>.png
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { registerThroughPage, startE2E } from '../test/e2e/support.js';

const pages =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['dashboard', 'index', 'budget', 'obligations', 'settings'];
const e = await startE2E();
mkdirSync('screenshots', { recursive: true });
try {
  for (const phone of [false, true]) {
    const page = await e.newPage({ phone });
    await page.goto('/login.html');
    await page.screenshot({ path: `screenshots/login-${phone ? 'phone' : 'desktop'}.png`, fullPage: true });
    await registerThroughPage(page, `shot-${randomUUID()}@example.test`, 'screenshot password');
    for (const name of pages) {
      await page.goto(`/${name === 'index' ? '' : `${name}.html`}`);
      await page.waitForLoadState('networkidle');
      await page.screenshot({
        path: `screenshots/${name}-${phone ? 'phone' : 'desktop'}.png`,
        fullPage: true,
      });
    }
  }
} finally {
  await e.close();
}
console.log('screenshots written to screenshots/');
