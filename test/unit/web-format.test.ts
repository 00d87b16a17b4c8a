import { it } from 'node:test';
import assert from 'node:assert/strict';

// The pages' formatting runs in the browser; here with just enough of one.
(globalThis as { document?: unknown }).document = { documentElement: {} };
const { setLocale } = await import('../../src/web/lib/i18n.js');
const { formatDateTime, formatPercent } = await import('../../src/web/lib/format.js');

it('a percentage keeps its sign on its line in Russian and is written as English writes it', () => {
  setLocale('ru');
  assert.equal(formatPercent('-0.4512'), '−0,45\u00a0%');
  setLocale('en');
  assert.equal(formatPercent('12.3456'), '12.35%');
});

it('an instant in English reads like the English days elsewhere ("Dec 3, 2026"), not "12/3/26"', () => {
  setLocale('en');
  assert.match(formatDateTime('2026-12-03T12:00:00Z'), /^Dec 3, 2026, \d{1,2}:\d{2}\s?[AP]M$/);
  setLocale('ru');
  assert.match(formatDateTime('2026-12-03T12:00:00Z'), /^03\.12\.2026, \d{2}:\d{2}$/);
});
