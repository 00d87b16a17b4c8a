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
    const push = (day: number, item: Record<string, unknown>) => {
      const date = monthDay(today, back, day);
      if (date <= today && date >= start) items.push({ date, ...item });
    };
    push(5, {
      type: 'income',
      accountId: card,
      categoryId: cat('salary'),
      amount: amount(165000, seed, 0.02),
      description: name('employer'),
    });
    if (back % 6 === 2)
      push(20, {
        type: 'income',
        accountId: card,
        categoryId: cat('bonus'),
        amount: amount(60000, seed),
        description: name('employer'),
      });
    push(28, {
      type: 'income',
      accountId: savings,
      categoryId: cat('interest'),
      amount: amount(2100, seed, 0.1),
    });
    push(3, {
      type: 'expense',
      accountId: card,
      categoryId: cat('rent'),
      amount: '45000.00',
      description: name('rent'),
    });
    push(12, {
      type: 'expense',
      accountId: card,
      categoryId: cat('utilities'),
      amount: amount(6200, seed + 1, 0.25),
    });
    push(15, {
      type: 'expense',
      accountId: card,
      categoryId: cat('internet'),
      amount: '750.00',
      description: name('internet'),
    });
    for (const [i, day] of [2, 9, 16, 23].entries())
      push(day, {
        type: 'expense',
        accountId: card,
        categoryId: cat('supermarkets'),
        amount: amount(5200, seed + i),
        description: name('shop'),
      });
    for (const [i, day] of [6, 13, 21].entries())
      push(day, {
        type: 'expense',
        accountId: cash,
        categoryId: cat('cafes'),
        amount: amount(650, seed + 10 + i),
        description: name('cafe'),
      });
    push(10, {
      type: 'expense',
      accountId: card,
      categoryId: cat('transport'),
      amount: amount(2400, seed + 20),
    });
    push(18, { type: 'expense', accountId: card, categoryId: cat('fuel'), amount: amount(4800, seed + 21) });
    if (back % 3 === 1)
      push(8, {
        type: 'expense',
        accountId: card,
        categoryId: cat('pharmacy'),
        amount: amount(1900, seed + 22),
      });
    if (back % 4 === 0)
      push(25, {
        type: 'expense',
        accountId: card,
        categoryId: cat('clothes'),
        amount: amount(9000, seed + 23),
      });
    if (back % 12 === 5)
      push(14, {
        type: 'expense',
        accountId: card,
        categoryId: cat('travel'),
        amount: amount(85000, seed + 24, 0.1),
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
  const mortgage = await call('POST', '/api/budget/obligation-blocks', {
    kind: 'mortgage',
    title: name('mortgage'),
    currency: 'RUB',
    principal: '6500000',
    annualRatePercent: '8.9',
    termMonths: 240,
    issueDate: monthDay(today, 30, 14),
  });
  const loan = await call('POST', '/api/budget/obligation-blocks', {
    kind: 'consumer',
    title: name('loan'),
    currency: 'RUB',
    principal: '450000',
    annualRatePercent: '16.5',
    termMonths: 36,
    issueDate: monthDay(today, 14, 10),
  });
  await call('POST', `/api/budget/obligation-blocks/${mortgage.id}/early-repayments`, {
    date: monthDay(today, 18, 20),
    amount: '300000',
    mode: 'reduce_term',
  });
  await call('POST', `/api/budget/obligation-blocks/${mortgage.id}/early-repayments`, {
    date: monthDay(today, 6, 20),
    amount: '150000',
    mode: 'reduce_payment',
  });
  await call('POST', `/api/budget/obligation-blocks/${loan.id}/early-repayments`, {
    date: monthDay(today, 4, 25),
    amount: '50000',
    mode: 'reduce_term',
  });
  // Paid through last month; this month's instalment is still ahead (or due).
  await call('POST', `/api/budget/obligation-blocks/${mortgage.id}/payments/through`, { number: 29 });
  await call('POST', `/api/budget/obligation-blocks/${loan.id}/payments/through`, { number: 13 });

  // Mandatory payments: one paid, one due soon, one later in the year.
  await call('POST', '/api/budget/obligations', {
    title: name('tax'),
    dueDate: monthDay(today, -1, 1),
    amount: '8400',
    currency: 'RUB',
  });
  await call('POST', '/api/budget/obligations', {
    title: name('insurance'),
    dueDate: monthDay(today, -2, 15),
    amount: '11200',
    currency: 'RUB',
  });
  await call('POST', '/api/budget/obligations', {
    title: name('school'),
    dueDate: monthDay(today, 0, 28),
    amount: '4500',
    currency: 'RUB',
  });

  // Recurring schedules: the salary and the rent post themselves, the internet waits for a confirmation.
  const schedule = (body: Record<string, unknown>) =>
    call('POST', '/api/budget/schedules', {
      every: 1,
      unit: 'month',
      startDate: monthDay(today, -1, 1),
      ...body,
    });
  await schedule({
    type: 'income',
    title: name('employer'),
    accountId: card,
    categoryId: cat('salary'),
    amount: '165000',
    mode: 'auto',
    startDate: monthDay(today, -1, 5),
  });
  await schedule({
    type: 'expense',
    title: name('rent'),
    accountId: card,
    categoryId: cat('rent'),
    amount: '45000',
    mode: 'auto',
    startDate: monthDay(today, -1, 3),
  });
  await schedule({
    type: 'expense',
    title: name('internet'),
    accountId: card,
    categoryId: cat('internet'),
    amount: '750',
    mode: 'confirm',
    startDate: monthDay(today, -1, 15),
  });
  await schedule({
    type: 'transfer',
    title: name('toSavings'),
    accountId: card,
    toAccountId: savings,
    amount: '20000',
    mode: 'auto',
    startDate: monthDay(today, -1, 7),
  });
}
