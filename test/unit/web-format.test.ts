import { it } from 'node:test';
import assert from 'node:assert/strict';

// The pages' formatting runs in the browser; here with just enough of one.
(globalThis as { document?: unknown }).document = { documentElement: {} };
const { setLocale } = await import('../../src/web/lib/i18n.js');
const { formatDateTime, formatPercent, moneyLines } = await import('../../src/web/lib/format.js');

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

it('amounts in several currencies are never added: the base currency first, other non-zero ones after', () => {
  setLocale('ru');
  const plain = (s: string | undefined) => s?.replace(/[\u00a0\u202f]/g, ' ');
  const lines = moneyLines(
    [
      { currency: 'USD', amount: '250.00' },
      { currency: 'RUB', amount: '1500.50' },
      { currency: 'EUR', amount: '0.00' },
    ],
    'RUB',
  );
  assert.equal(plain(lines.main), '1 500,50 ₽');
  assert.equal(plain(lines.rest), '250,00 $');
  // A base currency at zero gives way to the amount there is; nothing at all is a zero in the base.
  const usdOnly = moneyLines(
    [
      { currency: 'RUB', amount: '0.00' },
      { currency: 'USD', amount: '-12.00' },
    ],
    'RUB',
  );
  assert.equal(plain(usdOnly.main), '−12,00 $');
  assert.equal(usdOnly.rest, undefined);
  assert.equal(plain(moneyLines([], 'EUR').main), '0,00 €');
});
