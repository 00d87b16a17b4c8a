/**
 * Net-worth history of the bench household (40 000 transactions over ten years, six accounts, five
 * credits with early repayments), on PostgreSQL: computed from nothing, and brought up to date after
 * one new transaction.
 * Run: node --import tsx test/support/with-database.ts npm run bench:networth
 * (targets: < 2 s from nothing, < 100 ms after one transaction)
 */
import { sql } from 'drizzle-orm';
import { buildTestApp } from '../test/support/app.js';
import { ApiClient } from './api-client.js';
import { createHousehold, HOUSEHOLD } from './household.js';
import { percentile } from './load.js';
import { ms, table } from './table.js';

const RUNS = Number(process.env.RUNS ?? 3);
const TODAY = new Date().toISOString().slice(0, 10);

const t = await buildTestApp();
const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
const api = new ApiClient(address);
const started = performance.now();
const household = await createHousehold(api, `networth-${Date.now()}@bench.test`);
const setupSeconds = (performance.now() - started) / 1000;
const history = async (range: string) => {
  const start = performance.now();
  const body = await api.ok<{ points: unknown[] }>('GET', `/api/networth/history?range=${range}`);
  return { ms: performance.now() - start, points: body.points.length };
};

const fromNothing: number[] = [];
const afterOne: number[] = [];
const unchanged: number[] = [];
let points = 0;
for (let run = 0; run < RUNS; run++) {
  await t.database.db.execute(sql`delete from net_worth_snapshots`);
  const all = await history('ALL');
  fromNothing.push(all.ms);
  points = all.points;
  await api.ok('POST', '/api/budget/transactions', {
    type: 'expense',
    date: TODAY,
    accountId: household.accounts[0]!.id,
    amount: '123.45',
  });
  afterOne.push((await history('1Y')).ms);
  unchanged.push((await history('5Y')).ms);
}
const row = (name: string, xs: number[], target: string) => {
  xs.sort((a, b) => a - b);
  return [name, ms(percentile(xs, 50)), ms(xs.at(-1)!), target];
};
console.log(
  `Net-worth history: ${HOUSEHOLD.transactions} transactions from ${HOUSEHOLD.firstMonth}, ${HOUSEHOLD.accounts} accounts, ${household.creditIds.length} credits (household made in ${setupSeconds.toFixed(0)} s); ${RUNS} runs; ALL = ${points} points`,
);
console.log(
  table(
    ['GET /api/networth/history', 'median', 'max', 'target'],
    [
      row('range=ALL, every day from nothing', fromNothing, '< 2 s'),
      row('range=1Y, after one new transaction', afterOne, '< 100 ms'),
      row('range=5Y, nothing changed', unchanged, '—'),
    ],
  ),
);
await t.close();
