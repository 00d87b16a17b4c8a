import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/server/platform/db.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { categoryId, newClient, openAccount } from '../support/budget.js';
import { tbankCsv, uploadStatement } from '../support/statements.js';

const DAYS = [
  '2026-01-01',
  '2026-01-15',
  '2026-01-31',
  '2026-02-01',
  '2026-02-14',
  '2026-02-28',
  '2026-03-01',
];

const amount = fc
  .integer({ min: 1, max: 99_999_999 })
  .map((k) => `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`);
const item = fc.record({
  type: fc.constantFrom('income', 'expense', 'transfer'),
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
  amount,
  category: fc.integer({ min: 0, max: 3 }),
  account: fc.integer({ min: 0, max: 1 }),
});
type Item = typeof item extends fc.Arbitrary<infer I> ? I : never;
const command = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), item }),
  fc.record({ kind: fc.constant('bulk' as const), items: fc.array(item, { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('edit' as const),
    pick: fc.nat(),
    amount: fc.option(amount, { nil: undefined }),
    day: fc.option(fc.integer({ min: 0, max: DAYS.length - 1 }), { nil: undefined }),
    category: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    flip: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('import' as const),
    months: fc.subarray(['2026-01', '2026-02'], { minLength: 1 }),
  }),
  fc.record({ kind: fc.constant('undo' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('schedule' as const), amount }),
);

describe('month sums per category', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ deps: { now: () => new Date('2026-03-20T09:00:00Z') } });
  });
  after(() => t.close());

  /** What the category months hold, and the same recounted from the transactions. */
  async function kept(userId: string) {
    const stored = await rowsOf<{ key: string }>(
      t.database.db
        .execute(sql`select concat_ws(' ', month, account_id, type, coalesce(category_id::text, '-'),
          amount::text, flows) as key
        from budget_category_months where user_id = ${userId} and (flows <> 0 or amount <> 0) order by 1`),
    );
    const recount = await rowsOf<{ key: string }>(
      t.database.db.execute(sql`select concat_ws(' ', date_trunc('month', date)::date, account_id, type,
          coalesce(category_id::text, '-'), sum(amount)::text, count(*)) as key
        from budget_transactions where user_id = ${userId} and type <> 'transfer'
        group by date_trunc('month', date)::date, account_id, type, category_id order by 1`),
    );
    return { stored: stored.map((r) => r.key), recount: recount.map((r) => r.key) };
  }

  /** Expense per category over [from, to] by direct SQL, as the reports show it. */
  async function directExpense(userId: string, from: string, to: string) {
    const rows = await rowsOf<{ category: string | null; amount: string }>(
      t.database.db
        .execute(sql`select category_id as category, sum(amount)::text as amount from budget_transactions
        where user_id = ${userId} and type = 'expense' and date >= ${from} and date <= ${to}
        group by category_id`),
    );
    return new Map(rows.map((r) => [r.category, r.amount]));
  }

  it('equal a recount after random adds, bulk adds, edits, deletes, transfers, imports, undos and schedule postings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), async (commands) => {
        const c = await newClient(t.app);
        const userId = c.session.user.id;
        const accounts = [
          await openAccount(c, { name: 'Карта' }),
          await openAccount(c, { name: 'Наличные' }),
        ];
        // Three categories of each kind and none (index 3).
        const categories = {
          expense: [
            await categoryId(c, 'Супермаркеты'),
            await categoryId(c, 'Кафе'),
            await categoryId(c, 'Рынок'),
          ],
          income: [
            await categoryId(c, 'Зарплата'),
            await categoryId(c, 'Премия'),
            await categoryId(c, 'Подарки'),
          ],
        };
        const categoryOf = (type: 'income' | 'expense', i: number) => categories[type][i] ?? null;
        const ids: string[] = [];
        const batches: string[] = [];
        const body = (x: Item) => {
          const from = accounts[x.account]!;
          if (x.type === 'transfer')
            return {
              type: 'transfer',
              date: DAYS[x.day],
              amount: x.amount,
              accountId: from,
              toAccountId: accounts[1 - x.account],
            };
          const cat = categoryOf(x.type, x.category);
          return {
            type: x.type,
            date: DAYS[x.day],
            amount: x.amount,
            accountId: from,
            ...(cat ? { categoryId: cat } : {}),
          };
        };
        for (const cmd of commands) {
          let status: number;
          if (cmd.kind === 'add') {
            const res = await c.post('/api/budget/transactions', body(cmd.item));
            status = res.status;
            if (status === 201) ids.push(res.body.id);
          } else if (cmd.kind === 'bulk') {
            const res = await c.post('/api/budget/transactions/bulk', { items: cmd.items.map(body) });
            status = res.status;
            if (status === 201) ids.push(...(res.body.ids as string[]));
          } else if (cmd.kind === 'edit' || cmd.kind === 'delete') {
            if (ids.length === 0) continue;
            const id = ids[cmd.pick % ids.length]!;
            if (cmd.kind === 'delete') {
              status = (await c.del(`/api/budget/transactions/${id}`)).status;
              if (status === 204) ids.splice(ids.indexOf(id), 1);
            } else {
              const current = (await c.get(`/api/budget/transactions/${id}`)).body as {
                type: 'income' | 'expense' | 'transfer';
              };
              const patch: Record<string, unknown> = {};
              if (cmd.amount !== undefined) patch.amount = cmd.amount;
              if (cmd.day !== undefined) patch.date = DAYS[cmd.day];
              if (current.type !== 'transfer') {
                const type = cmd.flip ? (current.type === 'income' ? 'expense' : 'income') : current.type;
                if (cmd.flip) patch.type = type;
                if (cmd.category !== undefined) patch.categoryId = categoryOf(type, cmd.category);
              }
              status = (await c.patch(`/api/budget/transactions/${id}`, patch)).status;
            }
          } else if (cmd.kind === 'import') {
            const res = await uploadStatement(t.app, c, accounts[0]!, tbankCsv(cmd.months));
            status = res.status;
            if (status === 201 || status === 200) {
              const commit = await c.post(`/api/imports/statements/${res.body.id}/commit`);
              status = commit.status;
              if (status === 200) batches.push(res.body.id);
            }
          } else if (cmd.kind === 'undo') {
            if (batches.length === 0) continue;
            const [batch] = batches.splice(cmd.pick % batches.length, 1);
            status = (await c.del(`/api/imports/statements/${batch}`)).status;
          } else {
            const s = await c.post('/api/budget/schedules', {
              type: 'expense',
              title: 'Интернет',
              accountId: accounts[1],
              categoryId: categories.expense[1],
              amount: cmd.amount,
              every: 1,
              unit: 'month',
              mode: 'confirm',
              startDate: '2026-01-01',
              monthDay: 10,
            });
            assert.equal(s.status, 201, JSON.stringify(s.body));
            status = (await c.post(`/api/budget/schedules/${s.body.id}/occurrences/2026-02-10/post`)).status;
          }
          assert.ok(status < 500, `${cmd.kind} answered ${status}`);
        }
        const { stored, recount } = await kept(userId);
        assert.deepEqual(stored, recount);

        // The reports read the sums: whole months and a period cutting two months agree with direct SQL.
        for (const [query, from, to] of [
          ['month=2026-02', '2026-02-01', '2026-02-28'],
          ['dateFrom=2026-01-15&dateTo=2026-03-01', '2026-01-15', '2026-03-01'],
        ] as const) {
          const charts = (await c.get(`/api/budget/summary/charts?${query}`)).body as {
            byCategory: { expense: { categoryId: string | null; amount: string }[] };
          };
          const expected = await directExpense(userId, from, to);
          assert.deepEqual(
            new Map(charts.byCategory.expense.map((s) => [s.categoryId, s.amount])),
            expected,
            query,
          );
        }
      }),
      { numRuns: 12 },
    );
  });

  it('give the month summary its limits to the kopeck, sub-categories included', async () => {
    const c = await newClient(t.app);
    const card = await openAccount(c, { name: 'Карта' });
    const food = await categoryId(c, 'Продукты');
    const market = await categoryId(c, 'Супермаркеты');
    const bazaar = await categoryId(c, 'Рынок');
    const cafe = await categoryId(c, 'Кафе');
    assert.equal((await c.patch(`/api/budget/categories/${food}`, { monthlyLimit: '10000.00' })).status, 200);
    assert.equal((await c.patch(`/api/budget/categories/${cafe}`, { monthlyLimit: '3000.00' })).status, 200);
    const add = async (date: string, categoryId: string, amount: string) => {
      const res = await c.post('/api/budget/transactions', {
        type: 'expense',
        date,
        accountId: card,
        categoryId,
        amount,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    await add('2026-02-01', market, '0.01');
    await add('2026-02-28', market, '4999.99');
    await add('2026-02-15', food, '200.00');
    await add('2026-02-15', cafe, '1234.56');
    await add('2026-01-31', market, '777.77');
    await add('2026-03-01', cafe, '1.11');
    const moved = await add('2026-02-10', bazaar, '100.10');
    assert.equal((await c.patch(`/api/budget/transactions/${moved}`, { date: '2026-03-10' })).status, 200);
    const gone = await add('2026-02-11', cafe, '50.00');
    assert.equal((await c.del(`/api/budget/transactions/${gone}`)).status, 204);
    const recategorised = await add('2026-02-12', cafe, '0.44');
    assert.equal(
      (await c.patch(`/api/budget/transactions/${recategorised}`, { categoryId: bazaar })).status,
      200,
    );

    const limits = (await c.get('/api/budget/summary/month?month=2026-02')).body.limits as {
      categoryId: string;
      spent: string;
      remaining: string;
      over: boolean;
    }[];
    const of = (id: string) => limits.find((l) => l.categoryId === id);
    assert.deepEqual(
      { spent: of(food)?.spent, remaining: of(food)?.remaining, over: of(food)?.over },
      { spent: '5200.44', remaining: '4799.56', over: false },
    );
    assert.deepEqual(
      { spent: of(cafe)?.spent, remaining: of(cafe)?.remaining, over: of(cafe)?.over },
      { spent: '1234.56', remaining: '1765.44', over: false },
    );
  });
});
