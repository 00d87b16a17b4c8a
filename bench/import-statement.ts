/**
 * Statement import at scale: a T-Bank CSV of 50 000 operations (windows-1251) streamed into the
 * app in-process on PostgreSQL, previewed and committed. Reports the time of each step, the CPU
 * time the app's process spent on it (the database server's is not counted) and how much the
 * process's resident memory grew at its peak. It reports; it never fails on a target.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/wt_bench npm run bench:import [-- --rows=50000]
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildTestApp, register } from '../test/support/app.js';
import { cp1251, TBANK_HEADER, tbankLine } from '../test/support/statements.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '50000' } } });
const ROWS = Number(args.rows);
if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL database');

/** The file as chunks of ~1 000 lines, made as they are read: the bench holds no file either. */
function* statement(): Generator<Buffer> {
  yield cp1251(`${TBANK_HEADER}\n`);
  const start = Date.UTC(2020, 0, 1);
  let lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const at = new Date(start + i * 37 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    const kopecks = 100 + ((i * 7919) % 500_000);
    const amount = `-${Math.floor(kopecks / 100)},${String(kopecks % 100).padStart(2, '0')}`;
    lines.push(
      tbankLine({ at, amount, category: 'Супермаркеты', mcc: '5411.0', description: `Магазин ${i % 300}` }),
    );
    if (lines.length === 1000) {
      yield cp1251(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) yield cp1251(`${lines.join('\n')}\n`);
}

const t = await buildTestApp();
const session = await register(t.app);
const account = await t.app.inject({
  method: 'POST',
  url: '/api/budget/accounts',
  headers: session.auth,
  payload: { name: 'Bench', kind: 'card' },
});
const accountId = account.json<{ id: string }>().id;

global.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

let stepPeak = baseline;
const peakOfStep = () => {
  const p = Math.max(stepPeak, process.memoryUsage().rss);
  stepPeak = 0;
  return p;
};
setInterval(() => (stepPeak = Math.max(stepPeak, process.memoryUsage().rss)), 20).unref();
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const c0 = cpu();
const t0 = performance.now();
const uploaded = await t.app.inject({
  method: 'POST',
  url: `/api/imports/statements?accountId=${accountId}`,
  headers: { ...session.auth, 'content-type': 'text/csv' },
  payload: Readable.from(statement()),
});
const t1 = performance.now();
const c1 = cpu();
const peakUpload = peakOfStep();
if (uploaded.statusCode !== 201) throw new Error(`upload: ${uploaded.statusCode} ${uploaded.body}`);
const preview = uploaded.json<{ id: string; counts: { new: number } }>();
const committed = await t.app.inject({
  method: 'POST',
  url: `/api/imports/statements/${preview.id}/commit`,
  headers: session.auth,
});
const t2 = performance.now();
const c2 = cpu();
const peakCommit = peakOfStep();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
if (committed.statusCode !== 200) throw new Error(`commit: ${committed.statusCode} ${committed.body}`);
const again = await t.app.inject({
  method: 'POST',
  url: `/api/imports/statements?accountId=${accountId}`,
  headers: { ...session.auth, 'content-type': 'text/csv' },
  payload: Readable.from(statement()),
});
const t3 = performance.now();
const c3 = cpu();

const mib = (bytes: number) => `${((bytes - baseline) / 1024 / 1024).toFixed(1)} MiB`;
const step = (from: number, to: number, cpuFrom: number, cpuTo: number) =>
  `${((to - from) / 1000).toFixed(2)} s (app CPU ${(cpuTo - cpuFrom).toFixed(2)} s)`;
console.log(`| step | result |
|---|---|
| rows in the file | ${ROWS} |
| upload + preview (stream, parse, stage, duplicates, categories) | ${step(t0, t1, c0, c1)}, ${preview.counts.new} new, RSS growth at peak ${mib(peakUpload)} |
| commit (transactions and month sums) | ${step(t1, t2, c1, c2)}, ${committed.json<{ created: number }>().created} created, RSS growth at peak ${mib(peakCommit)} |
| total import | ${step(t0, t2, c0, c2)} |
| same file again (preview) | ${step(t2, t3, c2, c3)}, ${again.json<{ counts: { duplicate: number } }>().counts.duplicate} duplicates |
| RSS before → peak of the import | ${(baseline / 1024 / 1024).toFixed(1)} MiB → growth ${mib(peak)} |`);
await t.close();
