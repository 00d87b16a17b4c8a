/**
 * `npm run test:e2e`: builds the pages if their sources changed, then runs the browser tests in
 * the system's Chromium. Without that browser it says in one line what to install and skips only
 * these tests, so `npm test` passes on a fresh machine; under CI (CI=true) a missing browser fails.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { CHROMIUM } from '../test/e2e/browser.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (!executable(CHROMIUM)) {
  const what = `no Chromium at ${CHROMIUM}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') {
    console.error(`Browser tests cannot run under CI: ${what}`);
    process.exit(1);
  }
  console.log(`Browser tests skipped, ${what}`);
  process.exit(0);
}

const steps: string[][] = [
  ['--import', 'tsx', 'scripts/build.ts', '--changed', 'web'],
  // The tests' database: test/support/with-database.ts makes one for the run and removes it after.
  [
    '--import',
    'tsx',
    'test/support/with-database.ts',
    process.execPath,
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    ...readdirSync('test/e2e')
      .filter((f) => f.endsWith('.e2e.ts'))
      .map((f) => `test/e2e/${f}`),
  ],
];
for (const args of steps) {
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
