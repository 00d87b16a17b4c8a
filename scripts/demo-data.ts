/**
 * Demo data for every module besides investments, entered through the API as a user would:
 * accounts, two years of budget transactions, a mortgage and a consumer loan with early
 * repayments and paid instalments, mandatory payments and recurring schedules.
 * Used by `npm run demo` and by the browser tests that look at filled pages.
 */
import type { FastifyInstance } from 'fastify';

type Locale = 'ru' | 'en';

const NAMES = {
  card: { ru: 'Зарплатная карта', en: 'Salary card' },
  cash: { ru: 'Наличные', en: 'Cash' },
  savings: { ru: 'Накопительный счёт', en: 'Savings account' },
  employer: { ru: 'ООО «Ромашка»', en: 'Daisy Ltd' },
  rent: { ru: 'Аренда квартиры', en: 'Flat rent' },
  internet: { ru: 'Домашний интернет', en: 'Home internet' },
  toSavings: { ru: 'В копилку', en: 'To savings' },
  mortgage: { ru: 'Ипотека', en: 'Mortgage' },
  loan: { ru: 'Кредит на ремонт', en: 'Renovation loan' },
  tax: { ru: 'Налог на имущество', en: 'Property tax' },
  insurance: { ru: 'ОСАГО', en: 'Car insurance' },
  school: { ru: 'Оплата кружка', en: 'After-school club' },
  shop: { ru: 'Пятёрочка', en: 'Grocery store' },
  cafe: { ru: 'Кофейня', en: 'Coffee shop' },
} satisfies Record<string, Record<Locale, string>>;

/** Categories by their Russian starter name; English users have the English one. */
const CATEGORY = {
  salary: { ru: 'Зарплата', en: 'Salary' },
  bonus: { ru: 'Премия', en: 'Bonus' },
  supermarkets: { ru: 'Супермаркеты', en: 'Supermarkets' },
  cafes: { ru: 'Кафе', en: 'Cafés' },
  utilities: { ru: 'Коммунальные платежи', en: 'Utilities' },
  rent: { ru: 'Аренда', en: 'Rent' },
  transport: { ru: 'Общественный транспорт', en: 'Public transport' },
  fuel: { ru: 'Топливо', en: 'Fuel' },
  internet: { ru: 'Интернет', en: 'Internet' },
  pharmacy: { ru: 'Аптека', en: 'Pharmacy' },
  clothes: { ru: 'Одежда и обувь', en: 'Clothes and shoes' },
  travel: { ru: 'Путешествия', en: 'Travel' },
  interest: { ru: 'Проценты по вкладам', en: 'Deposit interest' },
} satisfies Record<string, Record<Locale, string>>;

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `months` months before (negative: after) `today`, on `day` of that month (clamped). */
function monthDay(today: string, months: number, day: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day, last))));
}

/** A repeatable spread of amounts: the same demo every time. */
function amount(base: number, seed: number, spread = 0.3): string {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  const r = x - Math.floor(x);
  return (base * (1 - spread + 2 * spread * r)).toFixed(2);
}

/** One line of a demo month: an expense unless `type` says otherwise. */
interface MonthLine {
  day: number;
  type?: 'income' | 'expense';
  account: string;
  category: keyof typeof CATEGORY;
  sum: string;
  note?: keyof typeof NAMES;
  when?: boolean;
}

export async function fillDemoBudget(
  app: FastifyInstance,
  accessToken: string,
  options: { today: string; locale?: Locale },
): Promise<void> {
  const locale = options.locale ?? 'ru';
  const { today } = options;
  const name = (n: keyof typeof NAMES) => NAMES[n][locale];
  const headers = { authorization: `Bearer ${accessToken}` };
  async function call<T = { id: string }>(method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
    const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    if (res.statusCode >= 300) throw new Error(`demo: ${method} ${url}: ${res.statusCode} ${res.body}`);
    return (res.statusCode === 204 ? undefined : res.json()) as T;
  }

  const existing = await call<{ name: string }[]>('GET', '/api/budget/accounts');
  if (existing.some((a) => a.name === name('card'))) return;

  const start = monthDay(today, 24, 1);
  const open = (n: keyof typeof NAMES, kind: string, balance: string) =>
    call('POST', '/api/budget/accounts', { name: name(n), kind, currency: 'RUB', openingBalance: balance });
  const card = (await open('card', 'card', '85000')).id;
  const cash = (await open('cash', 'cash', '12000')).id;
  const savings = (await open('savings', 'savings', '250000')).id;

  const categories = await call<{ id: string; name: string }[]>('GET', '/api/budget/categories');
  const cat = (c: keyof typeof CATEGORY) => {
    const found = categories.find((x) => x.name === CATEGORY[c][locale] || x.name === CATEGORY[c].ru);
    if (!found) throw new Error(`demo: no category ${CATEGORY[c][locale]}`);
    return found.id;
  };

  // Two years of a household's months, the current one up to today.
  const items: Record<string, unknown>[] = [];
  for (let back = 24; back >= 0; back--) {
    const seed = back * 31;
    // day, account, category, amount, description; `when` false leaves the line out of this month.
    const lines: MonthLine[] = [
      {
        day: 5,
        type: 'income',
        account: card,
        category: 'salary',
        sum: amount(165000, seed, 0.02),
        note: 'employer',
      },
      {
        day: 20,
        type: 'income',
        account: card,
        category: 'bonus',
        sum: amount(60000, seed),
        note: 'employer',
        when: back % 6 === 2,
      },
      { day: 28, type: 'income', account: savings, category: 'interest', sum: amount(2100, seed, 0.1) },
      { day: 3, account: card, category: 'rent', sum: '45000.00', note: 'rent' },
      { day: 12, account: card, category: 'utilities', sum: amount(6200, seed + 1, 0.25) },
      { day: 15, account: card, category: 'internet', sum: '750.00', note: 'internet' },
      ...[2, 9, 16, 23].map((day, i): MonthLine => ({
        day,
        account: card,
        category: 'supermarkets',
        sum: amount(5200, seed + i),
        note: 'shop',
      })),
      ...[6, 13, 21].map((day, i): MonthLine => ({
        day,
        account: cash,
        category: 'cafes',
        sum: amount(650, seed + 10 + i),
        note: 'cafe',
      })),
      { day: 10, account: card, category: 'transport', sum: amount(2400, seed + 20) },
      { day: 18, account: card, category: 'fuel', sum: amount(4800, seed + 21) },
      { day: 8, account: card, category: 'pharmacy', sum: amount(1900, seed + 22), when: back % 3 === 1 },
      { day: 25, account: card, category: 'clothes', sum: amount(9000, seed + 23), when: back % 4 === 0 },
      {
        day: 14,
        account: card,
        category: 'travel',
        sum: amount(85000, seed + 24, 0.1),
        when: back % 12 === 5,
      },
    ];
    const push = (day: number, item: Record<string, unknown>) => {
      const date = monthDay(today, back, day);
      if (date <= today && date >= start) items.push({ date, ...item });
    };
    for (const l of lines)
      if (l.when !== false)
        push(l.day, {
          type: l.type ?? 'expense',
          accountId: l.account,
          categoryId: cat(l.category),
          amount: l.sum,
          ...(l.note === undefined ? {} : { description: name(l.note) }),
        });
    push(7, {
      type: 'transfer',
      accountId: card,
      toAccountId: savings,
      amount: '20000.00',
      description: name('toSavings'),
    });
    push(1, { type: 'transfer', accountId: card, toAccountId: cash, amount: '5000.00' });
  }
  await call('POST', '/api/budget/transactions/bulk', { items });

  // A mortgage and a consumer loan, instalments paid to date, early repayments of both kinds.
  const credit = (
    kind: string,
    title: keyof typeof NAMES,
    principal: string,
    rate: string,
    termMonths: number,
    issued: number,
    day: number,
  ) =>
    call('POST', '/api/budget/obligation-blocks', {
      kind,
      title: name(title),
      currency: 'RUB',
      principal,
      annualRatePercent: rate,
      termMonths,
      issueDate: monthDay(today, issued, day),
    });
  const mortgage = (await credit('mortgage', 'mortgage', '6500000', '8.9', 240, 30, 14)).id;
  const loan = (await credit('consumer', 'loan', '450000', '16.5', 36, 14, 10)).id;
  const early: [string, number, number, string, string][] = [
    [mortgage, 18, 20, '300000', 'reduce_term'],
    [mortgage, 6, 20, '150000', 'reduce_payment'],
    [loan, 4, 25, '50000', 'reduce_term'],
  ];
  for (const [id, months, day, sum, mode] of early)
    await call('POST', `/api/budget/obligation-blocks/${id}/early-repayments`, {
      date: monthDay(today, months, day),
      amount: sum,
      mode,
    });
  // Paid through last month; this month's instalment is still ahead (or due).
  await call('POST', `/api/budget/obligation-blocks/${mortgage}/payments/through`, { number: 29 });
  await call('POST', `/api/budget/obligation-blocks/${loan}/payments/through`, { number: 13 });

  // Mandatory payments: one paid, one due soon, one later in the year.
  const mandatory: [keyof typeof NAMES, number, number, string][] = [
    ['tax', -1, 1, '8400'],
    ['insurance', -2, 15, '11200'],
    ['school', 0, 28, '4500'],
  ];
  for (const [title, months, day, sum] of mandatory)
    await call('POST', '/api/budget/obligations', {
      title: name(title),
      dueDate: monthDay(today, months, day),
      amount: sum,
      currency: 'RUB',
    });

  // Recurring schedules: the salary and the rent post themselves, the internet waits for a confirmation.
  const schedules: [string, keyof typeof NAMES, Record<string, string>, string, string, number][] = [
    ['income', 'employer', { categoryId: cat('salary') }, '165000', 'auto', 5],
    ['expense', 'rent', { categoryId: cat('rent') }, '45000', 'auto', 3],
    ['expense', 'internet', { categoryId: cat('internet') }, '750', 'confirm', 15],
    ['transfer', 'toSavings', { toAccountId: savings }, '20000', 'auto', 7],
  ];
  for (const [type, title, target, sum, mode, day] of schedules)
    await call('POST', '/api/budget/schedules', {
      every: 1,
      unit: 'month',
      type,
      title: name(title),
      accountId: card,
      ...target,
      amount: sum,
      mode,
      startDate: monthDay(today, -1, day),
    });
}
