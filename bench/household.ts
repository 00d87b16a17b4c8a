import type { ApiClient } from './api-client.js';

/**
 * The "household": ten years of a family's money. Deterministic (a seeded generator), so two runs
 * and two databases measure the same data.
 */
export const HOUSEHOLD = {
  accounts: 6,
  categories: 60,
  transactions: 40_000,
  credits: 5,
  firstMonth: '2016-12',
  months: 120,
} as const;

export const PASSWORD = 'bench-password-1234';

/** mulberry32: small, fast and good enough to spread amounts and dates. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function monthOffset(first: string, offset: number): string {
  const [y, m] = first.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function daysIn(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const kopecks = (value: number): string => (Math.round(value * 100) / 100).toFixed(2);

interface Account {
  id: string;
  kind: string;
}
interface Category {
  id: string;
  kind: 'income' | 'expense';
  parentId: string | null;
}

export interface Household {
  email: string;
  accounts: Account[];
  categories: Category[];
  /** Seconds to insert the transactions through the bulk endpoint. */
  bulkSeconds: number;
  creditIds: string[];
  /** The 30-year mortgage with 20 early repayments. */
  mortgageId: string | undefined;
  notes: string[];
}

const ACCOUNTS = [
  { name: 'Зарплатная карта', kind: 'card', openingBalance: '85000.00' },
  { name: 'Кредитная карта', kind: 'credit_card', openingBalance: '0.00' },
  { name: 'Наличные', kind: 'cash', openingBalance: '12000.00' },
  { name: 'Накопительный счёт', kind: 'savings', openingBalance: '250000.00' },
  { name: 'Вклад', kind: 'deposit', openingBalance: '500000.00' },
  { name: 'Карта жены', kind: 'card', openingBalance: '40000.00' },
] as const;

const DESCRIPTIONS = [
  'Пятёрочка',
  'Перекрёсток',
  'ВкусВилл',
  'Яндекс Такси',
  'Метро',
  'Аптека 36,6',
  'Озон',
  'Wildberries',
  'Кофейня',
  'АЗС Лукойл',
  'Кинотеатр',
  'МТС',
  'Коммуналка',
  '',
];

export async function createHousehold(api: ApiClient, email: string): Promise<Household> {
  const notes: string[] = [];
  const registered = await api.ok<{ accessToken: string }>('POST', '/api/auth/register', {
    email,
    password: PASSWORD,
    name: 'Семья Ивановых',
  });
  api.token = registered.accessToken;

  const accounts: Account[] = [];
  for (const account of ACCOUNTS) {
    accounts.push(await api.ok<Account>('POST', '/api/budget/accounts', account));
  }

  // A new user starts with the default categories; the household adds its own up to 60.
  const categories = await api.ok<Category[]>('GET', '/api/budget/categories');
  const groups = { income: 'Свои доходы', expense: 'Свои расходы' } as const;
  for (let i = 0; categories.length < HOUSEHOLD.categories; i++) {
    const kind = i % 4 === 3 ? 'income' : 'expense';
    let group = categories.find(
      (c) => c.kind === kind && c.parentId === null && (c as { name?: string }).name === groups[kind],
    );
    if (group === undefined) {
      group = await api.ok<Category>('POST', '/api/budget/categories', { kind, name: groups[kind] });
      categories.push(group);
      continue;
    }
    categories.push(
      await api.ok<Category>('POST', '/api/budget/categories', {
        kind,
        name: `${groups[kind]} ${i}`,
        parentId: group.id,
        ...(kind === 'expense' ? { monthlyLimit: '15000.00' } : {}),
      }),
    );
  }

  const bulkSeconds = await insertTransactions(api, accounts, categories);
  const { creditIds, mortgageId } = await createCredits(api, notes);
  return { email, accounts, categories, bulkSeconds, creditIds, mortgageId, notes };
}

/** 40 000 transactions over 120 months through POST /api/budget/transactions/bulk, 1 000 a request. */
async function insertTransactions(
  api: ApiClient,
  accounts: Account[],
  categories: Category[],
): Promise<number> {
  const next = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const expense = categories.filter((c) => c.kind === 'expense');
  const income = categories.filter((c) => c.kind === 'income');
  const spending = accounts.filter((a) => a.kind === 'card' || a.kind === 'credit_card' || a.kind === 'cash');
  const perMonth = HOUSEHOLD.transactions / HOUSEHOLD.months;
  const items: Record<string, string>[] = [];
  for (let m = 0; m < HOUSEHOLD.months; m++) {
    const month = monthOffset(HOUSEHOLD.firstMonth, m);
    const days = daysIn(month);
    for (let i = 0; i < perMonth; i++) {
      const date = `${month}-${String(1 + Math.floor(next() * days)).padStart(2, '0')}`;
      const roll = next();
      if (roll < 0.06) {
        items.push({
          type: 'income',
          date,
          accountId: accounts[i % 2 === 0 ? 0 : 5]!.id,
          categoryId: pick(income).id,
          amount: kopecks(20_000 + next() * 120_000),
          description: 'Зарплата',
        });
      } else if (roll < 0.12) {
        const from = pick(accounts);
        let to = pick(accounts);
        if (to.id === from.id) to = accounts[(accounts.indexOf(from) + 1) % accounts.length]!;
        const amount = kopecks(1_000 + next() * 30_000);
        items.push({
          type: 'transfer',
          date,
          accountId: from.id,
          toAccountId: to.id,
          amount,
          amountReceived: amount,
        });
      } else {
        items.push({
          type: 'expense',
          date,
          accountId: pick(spending).id,
          categoryId: pick(expense).id,
          amount: kopecks(50 + next() ** 3 * 15_000),
          description: pick(DESCRIPTIONS),
        });
      }
    }
  }
  const started = performance.now();
  for (let i = 0; i < items.length; i += 1000) {
    await api.ok('POST', '/api/budget/transactions/bulk', { items: items.slice(i, i + 1000) });
  }
  return (performance.now() - started) / 1000;
}

/** A 30-year mortgage with 20 early repayments, and four shorter loans with a few each. */
async function createCredits(
  api: ApiClient,
  notes: string[],
): Promise<{ creditIds: string[]; mortgageId?: string }> {
  const base = '/api/budget/obligation-blocks';
  if (!(await api.routeExists('GET', base))) {
    notes.push('credits: /api/budget/obligation-blocks is not there; credit schedule not measured');
    return { creditIds: [] };
  }
  const loans = [
    {
      kind: 'mortgage',
      title: 'Ипотека',
      principal: '6500000.00',
      annualRatePercent: '8.5',
      termMonths: 360,
      issueDate: '2019-03-15',
      early: 20,
    },
    {
      kind: 'car',
      title: 'Автокредит',
      principal: '1200000.00',
      annualRatePercent: '11.9',
      termMonths: 60,
      issueDate: '2023-06-10',
      early: 4,
    },
    {
      kind: 'consumer',
      title: 'Потребительский',
      principal: '300000.00',
      annualRatePercent: '17.5',
      termMonths: 36,
      issueDate: '2024-09-01',
      early: 3,
    },
    {
      kind: 'consumer',
      title: 'Ремонт',
      principal: '450000.00',
      annualRatePercent: '14.9',
      termMonths: 48,
      issueDate: '2022-02-20',
      early: 2,
    },
    {
      kind: 'private',
      title: 'Долг родителям',
      principal: '200000.00',
      annualRatePercent: '0',
      termMonths: 24,
      issueDate: '2025-05-05',
      early: 1,
    },
  ];
  const creditIds: string[] = [];
  let mortgageId: string | undefined;
  for (const { early, ...terms } of loans) {
    const block = await api.ok<{ id: string }>('POST', base, {
      ...terms,
      paymentType: 'annuity',
      interestMethod: 'days',
    });
    creditIds.push(block.id);
    if (terms.kind === 'mortgage') mortgageId = block.id;
    // Early repayments spread over the years so far, alternating the two modes.
    const [y, m] = terms.issueDate.split('-').map(Number) as [number, number];
    const monthsSoFar = Math.min(terms.termMonths - 2, (2026 - y) * 12 + (10 - m));
    for (let i = 1; i <= early; i++) {
      const month = monthOffset(
        `${y}-${String(m).padStart(2, '0')}`,
        Math.floor((i * monthsSoFar) / (early + 1)),
      );
      await api.ok('POST', `${base}/${block.id}/early-repayments`, {
        date: `${month}-20`,
        amount: terms.kind === 'mortgage' ? '100000.00' : '20000.00',
        mode: i % 2 === 0 ? 'reduce_payment' : 'reduce_term',
      });
    }
  }
  return { creditIds, mortgageId };
}
