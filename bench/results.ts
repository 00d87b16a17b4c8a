/**
 * Value history of the bench's three portfolios (300 positions, 5 000 operations over ten years,
 * daily closes of the exchange-traded ones, monthly hand prices of the rest), on PostgreSQL:
 * computed from nothing, and brought up to date after one new operation.
 * Run: npm run bench:results   (targets: < 3 s from nothing, < 200 ms after one operation)
 */
import { sql } from 'drizzle-orm';
import { addDays } from '../src/common/dates.js';
import {
  dailyCloses,
  instruments,
  manualAssetPrices,
  manualAssets,
  operations,
} from '../src/server/db/schema.js';
import { buildTestApp, register } from '../test/support/app.js';
import { random } from './household.js';
import { PORTFOLIOS } from './portfolios.js';
import { percentile } from './load.js';
import { ms, table } from './table.js';

const TODAY = new Date().toISOString().slice(0, 10);
const FIRST = addDays(TODAY, -3650);
const TICKERS = ['SBER', 'GAZP', 'LKOH', 'YDEX', 'TCSG', 'OFZ1', 'OFZ2', 'OFZ3', 'TMOS', 'TGLD'];
const RUNS = Number(process.env.RUNS ?? 5);

const t = await buildTestApp();
const db = t.database.db;
const s = await register(t.app);
const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: s.auth, payload });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>();
};

const next = random(17);
const portfolios: string[] = [];
for (const name of ['Брокерский счёт', 'ИИС', 'Долгосрочный'])
  portfolios.push((await call('POST', '/api/portfolios', { name })).id);
await db.insert(instruments).values(
  TICKERS.map((ticker) => ({
    uid: `bench:${ticker}`,
    ticker,
    name: ticker,
    kind: ticker.startsWith('OFZ') ? 'bond' : 'share',
    currency: 'RUB',
    nominal: ticker.startsWith('OFZ') ? '1000' : null,
  })),
);
const perPortfolio = PORTFOLIOS.positions / PORTFOLIOS.portfolios;
const manualIds: string[] = [];
for (let i = 0; i < perPortfolio - TICKERS.length; i++) {
  const [row] = await db
    .insert(manualAssets)
    .values({ userId: s.user.id, ticker: `PRIV${i}`, name: `Актив ${i + 1}`, kind: 'share', currency: 'RUB' })
    .returning({ id: manualAssets.id });
  manualIds.push(row!.id);
}

// Closes of every weekday for ten years; hand prices once a month.
const closes: (typeof dailyCloses.$inferInsert)[] = [];
for (const [k, ticker] of TICKERS.entries()) {
  let price = ticker.startsWith('OFZ') ? 95 : 100 + k * 10;
  for (let d = FIRST; d <= TODAY; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    price *= 1 + (next() - 0.5) * 0.02;
    closes.push({ instrumentUid: `bench:${ticker}`, day: d, close: price.toFixed(4), source: 'moex' });
  }
}
for (let i = 0; i < closes.length; i += 5000) await db.insert(dailyCloses).values(closes.slice(i, i + 5000));
const prices: (typeof manualAssetPrices.$inferInsert)[] = [];
for (const [i, id] of manualIds.entries())
  for (let m = 0; m < 120; m++)
    prices.push({
      userId: s.user.id,
      manualAssetId: id,
      date: addDays(FIRST, m * 30),
      price: (100 + i * 7.5 * (1 + m / 240)).toFixed(2),
    });
for (let i = 0; i < prices.length; i += 5000)
  await db.insert(manualAssetPrices).values(prices.slice(i, i + 5000));

// 5 000 operations: a first buy of each position, then buys, dividends and a few sales.
const ops: (typeof operations.$inferInsert)[] = [];
const assets = portfolios.flatMap((portfolioId) => [
  ...TICKERS.map((t) => ({
    portfolioId,
    instrumentUid: `bench:${t}` as string | null,
    manualAssetId: null as string | null,
  })),
  ...manualIds.map((id) => ({ portfolioId, instrumentUid: null, manualAssetId: id })),
]);
for (let i = 0; i < PORTFOLIOS.operations; i++) {
  const a = assets[i % assets.length]!;
  const day = addDays(FIRST, i < assets.length ? Math.floor(next() * 300) : 300 + Math.floor(next() * 3340));
  const kind = i < assets.length ? 'buy' : next() < 0.7 ? 'buy' : next() < 0.8 ? 'dividend' : 'sell';
  const quantity = kind === 'dividend' ? '0' : kind === 'sell' ? '1' : String(1 + Math.floor(next() * 5));
  ops.push({
    userId: s.user.id,
    portfolioId: a.portfolioId,
    instrumentUid: a.instrumentUid,
    manualAssetId: a.manualAssetId,
    type: kind,
    date: day,
    occurredAt: new Date(`${day}T10:00:00Z`),
    quantity,
    price: kind === 'dividend' ? null : '100',
    amount: kind === 'dividend' ? '12.50' : (Number(quantity) * 100).toFixed(2),
    currency: 'RUB',
    fxRate: '1',
    fxBase: 'RUB',
  });
}
// Sales are kept after the first buy of their asset: the first buys come first in time.
for (let i = 0; i < ops.length; i += 1000) await db.insert(operations).values(ops.slice(i, i + 1000));

const results = () => call('GET', '/api/portfolio/results?range=1M');
/** Wall time and this process's CPU time (the app's; the database's is not counted) of each call. */
type Timed = { wall: number[]; cpu: number[] };
const fromNothing: Timed = { wall: [], cpu: [] };
const afterOne: Timed = { wall: [], cpu: [] };
const allTime: Timed = { wall: [], cpu: [] };
const timed = async (into: Timed, fn: () => Promise<unknown>) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  into.wall.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  into.cpu.push((used.user + used.system) / 1000);
};
for (let run = 0; run < RUNS; run++) {
  await db.execute(sql`delete from portfolio_series_state`);
  await timed(fromNothing, results);

  await call('POST', `/api/portfolios/${portfolios[run % 3]}/operations`, {
    type: 'buy',
    instrumentId: 'bench:SBER',
    date: TODAY,
    quantity: '1',
    price: '100',
  });
  await timed(afterOne, results);
  await timed(allTime, () => call('GET', '/api/portfolio/results?range=all'));
}
const median = (xs: number[]) =>
  ms(
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    ),
  );
const row = (name: string, t: Timed, target: string) => [
  name,
  median(t.wall),
  ms(Math.max(...t.wall)),
  median(t.cpu),
  target,
];
console.log(
  `Value history: ${PORTFOLIOS.portfolios} portfolios, ${PORTFOLIOS.positions} positions, ${PORTFOLIOS.operations} operations from ${FIRST}, ${closes.length} closes, ${prices.length} hand prices; ${RUNS} runs`,
);
console.log(
  table(
    ['GET /api/portfolio/results', 'median', 'max', 'app CPU, median', 'target'],
    [
      row('range=1M, series from nothing', fromNothing, '< 3 s'),
      row('range=1M, after one new operation', afterOne, '< 200 ms'),
      row('range=all (daily returns of 300 positions)', allTime, '—'),
    ],
  ),
);
await t.close();
