/**
 * `npm run bench`: builds the server and the pages, starts the built app as a separate process on the embedded database
 * and on PostgreSQL + Redis, fills it with a household, loads each endpoint with autocannon and
 * prints Markdown tables. It reports; it never fails on a missed target.
 *
 * Options: --db=embedded|postgres|both (default both), --many-users (PostgreSQL only: 1 000 users,
 * 2 000 000 transactions), --seconds=10, --connections=10, --skip-frontend; --peer=actual instead
 * runs the side-by-side comparison with Actual Budget (bench/peer.ts).
 * Environment: BENCH_DATABASE_URL (a database the bench drops and recreates; default
 * postgresql://postgres@127.0.0.1:5432/wealthtracker_bench), BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { FAKE_DEMO_TOKEN, startFakeTinvest } from '../test/fakes/tinvest-server.js';
import { ApiClient } from './api-client.js';
import { freePort, peakRss, startProcess, type ServerProcess } from './app-process.js';
import { openDirectSql } from './direct-sql.js';
import { buildPages, pageSizes, renderTimes, type RenderTime } from './frontend.js';
import { createPortfolios, PORTFOLIOS } from './portfolios.js';
import { createHousehold, HOUSEHOLD, PASSWORD, type Household } from './household.js';
import { timeMortgageSchedule } from './loan-schedule.js';
import { load, loadFunction, type LoadResult, type LoadTarget } from './load.js';
import { addManyUsers, MANY_USERS } from './many-users.js';
import { runPeer } from './peer.js';
import { embeddedClusterConnection } from '../src/server/platform/embedded-postgres.js';
import { kib, ms, pct, rps, table } from './table.js';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    'many-users': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    'skip-frontend': { type: 'boolean', default: false },
    peer: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const WARMUP = Math.min(3, SECONDS);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/wealthtracker_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The month the reports are measured on: the last full month of the household's data. */
/** How the app is started in production (package.json "start"). */
const PRODUCTION_NODE_ARGS = ['--max-semi-space-size=1', '--optimize-for-size', 'dist/server/main.js'];
const IDLE_SECONDS = 12;
const MONTH = { month: '2026-10', from: '2026-10-01', toExclusive: '2026-11-01', yearFrom: '2025-11-01' };

const out = (text = '') => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`· ${text}\n`);

interface Row {
  name: string;
  result?: LoadResult;
  /** Why there is no result. */
  missing?: string;
  peakRssMiB?: number;
  peakPssMiB?: number;
}

interface ManyUsers {
  seconds: number;
  rows: Row[];
  ceilings: DatabaseReport['ceilings'];
}

interface DatabaseReport {
  label: string;
  household: Household;
  portfolioOperations: number;
  /** Seconds to create the portfolios, positions and operations one request at a time. */
  portfolioSeconds: number;
  rows: Row[];
  ceilings: { summary?: LoadResult; charts?: LoadResult };
  renders: RenderTime[];
  peakRssMiB: number;
  peakPssMiB: number;
  footprint?: Footprint;
}

/** The embedded default's start-up and memory, everything the app starts counted. */
interface Footprint {
  firstStartMs: number;
  idleEmpty: { rss: number; pss: number };
  restartMs: number;
  idleLoaded: { rss: number; pss: number };
}

async function main() {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wealthtracker-bench-'));
  // Run by root, the embedded cluster runs as "nobody", which must pass through to its folder.
  chmodSync(workDir, 0o755);
  const webDir = path.join(workDir, 'web');
  try {
    out(`# WealthTracker benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    out();
    out(
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
        `Node ${process.version}; ${SECONDS} s per run after ${WARMUP} s of warm-up, ${CONNECTIONS} connections; ` +
        `load average at the start ${os.loadavg()[0]!.toFixed(1)}.`,
    );
    out();

    progress('building the server');
    execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
    if (args.peer !== undefined) {
      const databaseUrl =
        args.db !== 'embedded' && (await recreateDatabase(DATABASE_URL)) ? DATABASE_URL : undefined;
      await runPeer(
        args.peer,
        { databaseUrl, env: appEnv(), idleSeconds: IDLE_SECONDS, nodeArgs: PRODUCTION_NODE_ARGS },
        out,
        progress,
      );
      return;
    }

    let pages: string[] = [];
    if (!args['skip-frontend']) {
      progress('building the pages');
      buildPages(webDir);
      const sizes = pageSizes(webDir);
      pages = sizes.map((s) => s.page);
      out('## Front-end: each page after the build (KiB; gzip -9)');
      out();
      out(
        table(
          ['page', 'JS raw', 'JS gzip', 'JS gzip at start', 'CSS raw', 'CSS gzip', 'JS ≤ 120 KB gzip'],
          sizes.map((s) => [
            s.page,
            kib(s.jsRaw),
            kib(s.jsGzip),
            kib(s.initialJsGzip),
            kib(s.cssRaw),
            kib(s.cssGzip),
            s.jsGzip <= 120 * 1000 ? 'met' : 'MISSED',
          ]),
        ),
      );
      out();
    }

    const mortgage = timeMortgageSchedule();
    out('## Credit schedule maths: 30-year mortgage, 20 early repayments, 80 payments marked paid');
    out();
    out(
      table(
        ['runs', 'rows', 'p50 ms', 'p99 ms', 'compute < 5 ms (p50)'],
        [
          [
            mortgage.runs,
            mortgage.rows,
            ms(mortgage.p50),
            ms(mortgage.p99),
            mortgage.p50 < 5 ? 'met' : 'MISSED',
          ],
        ],
      ),
    );
    out();
    out('One computation is single-threaded; a p99 far above the p50 means another process took the core.');
    out();

    progress('bare Node http ping (the ceiling)');
    const barePort = await freePort();
    const bare = await startProcess(
      ['--import', 'tsx', 'bench/bare-ping.ts'],
      { APP_PORT: String(barePort) },
      barePort,
      '/',
    );
    const bareResult = await load(
      bare.baseUrl,
      { path: '/' },
      { seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS },
      bare.cpuMs,
    );
    await bare.stop();

    // Each table is printed as soon as it is known: the many-users step takes a while.
    if (args.db === 'embedded' || args.db === 'both') {
      await benchDatabase('embedded', workDir, webDir, pages, bareResult);
    }
    if (args.db === 'postgres' || args.db === 'both') {
      if (await recreateDatabase(DATABASE_URL))
        await benchDatabase('postgres', workDir, webDir, pages, bareResult);
      else out(`PostgreSQL at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')} is not reachable: not measured.\n`);
    }
    out(
      `Load average at the end: ${os.loadavg()[0]!.toFixed(1)} (above ~0.5 something else shared the two cores; ` +
        'CPU µs/req is the figure that suffers least from it).',
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The app's environment in every run: production mode, limits out of the way of the load. */
function appEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnop',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_IP: '1000000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '1000000',
    REGISTER_RATE_LIMIT_PER_IP: '1000000',
  };
}

async function analyze(connection: string | pg.ClientConfig): Promise<void> {
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  await client.connect();
  try {
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

/** Drops and creates the bench database; false when the server is not there. */
async function recreateDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

async function benchDatabase(
  kind: 'embedded' | 'postgres',
  workDir: string,
  webDir: string,
  pages: string[],
  bare: LoadResult,
): Promise<void> {
  const label =
    kind === 'embedded' ? 'Embedded (PostgreSQL in DATA_DIR, in-process cache)' : 'PostgreSQL + Redis';
  progress(`${label}: starting the app`);
  const fake = await startFakeTinvest();
  const port = await freePort();
  const dataDir = path.join(workDir, 'data');
  const storage: Record<string, string> =
    kind === 'embedded' ? { DATA_DIR: dataDir } : { DATABASE_URL, REDIS_URL };
  const start = () =>
    startProcess(
      PRODUCTION_NODE_ARGS,
      {
        ...storage,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        APP_PORT: String(port),
        SECRET_KEY: 'bench-secret-key-0123456789-abcdefghijklmnop',
        LOG_LEVEL: 'warn',
        WEB_DIR: webDir,
        RATE_LIMIT_PER_MINUTE: '1000000',
        AUTH_RATE_LIMIT_PER_IP: '1000000',
        LOGIN_RATE_LIMIT_PER_ACCOUNT: '1000000',
        REGISTER_RATE_LIMIT_PER_IP: '1000000',
        TINVEST_API_URL: fake.url,
        TINKOFF_API_TOKEN: FAKE_DEMO_TOKEN,
      },
      port,
      '/api/health/ping',
    );
  const idle = async (server: ServerProcess) => {
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    return { rss: server.rssMiB(), pss: server.pssMiB() };
  };
  let started = performance.now();
  let app = await start();
  const firstStartMs = performance.now() - started;
  const idleEmpty = kind === 'embedded' ? await idle(app) : undefined;
  try {
    const api = new ApiClient(app.baseUrl);
    progress(`${label}: generating the household`);
    const household = await createHousehold(api, `household-${Date.now()}@bench.test`);
    progress(
      `${label}: ${HOUSEHOLD.transactions} transactions through the bulk endpoint in ${household.bulkSeconds.toFixed(1)} s`,
    );
    let portfolioOperations = 0;
    let portfolioSeconds = 0;
    if (await api.routeExists('GET', '/api/portfolios')) {
      progress(`${label}: portfolios`);
      try {
        const started = performance.now();
        portfolioOperations = await createPortfolios(api, (ticker) => fake.uidOf(ticker));
        portfolioSeconds = (performance.now() - started) / 1000;
      } catch (err) {
        household.notes.push(`portfolios: generation stopped: ${(err as Error).message}`);
      }
    } else {
      household.notes.push('portfolios: /api/portfolios is not there; portfolio valuation not measured');
    }
    // Autovacuum analyses a freshly filled table within a minute or so; the bench does it at once.
    const sqlTarget = kind === 'embedded' ? embeddedClusterConnection(dataDir) : DATABASE_URL;
    await analyze(sqlTarget);
    const { rows, peakMiB, peakPssMiB } = await endpointRuns(app, api, household);
    const userId = (await api.ok<{ id: string }>('GET', '/api/users/me')).id;
    const renders = pages.length > 0 ? await renderTimes(app.baseUrl, pages, household.email) : [];

    const measureCeilings = async () => {
      progress(`${label}: the same SQL straight through the driver`);
      const direct = await openDirectSql(sqlTarget, userId, { ...MONTH, currency: 'RUB' });
      const options = { seconds: SECONDS, warmupSeconds: WARMUP, concurrency: CONNECTIONS };
      try {
        return {
          summary: await loadFunction(direct.monthSummary, options),
          charts: await loadFunction(direct.charts, options),
        };
      } finally {
        await direct.close();
      }
    };
    const report: DatabaseReport = {
      label,
      household,
      portfolioOperations,
      portfolioSeconds,
      rows,
      ceilings: {},
      renders,
      peakRssMiB: peakMiB,
      peakPssMiB,
    };
    report.ceilings = await measureCeilings();
    if (kind === 'embedded' && idleEmpty !== undefined) {
      progress(`${label}: restarting on the filled folder`);
      await app.stop();
      started = performance.now();
      app = await start();
      const restartMs = performance.now() - started;
      report.footprint = { firstStartMs, idleEmpty, restartMs, idleLoaded: await idle(app) };
    }
    printReport(report, bare);
    if (args['many-users']) {
      progress(
        `${label}: adding users up to ${MANY_USERS.users} and transactions up to ${MANY_USERS.transactions} in all`,
      );
      const seconds = await addManyUsers(DATABASE_URL, HOUSEHOLD.transactions);
      const again = await endpointRuns(app, api, household, [
        'month summary',
        'charts',
        'transaction list page',
      ]);
      printMany({ seconds, rows: again.rows, ceilings: await measureCeilings() }, bare);
    }
  } finally {
    await app.stop();
    await fake.close().catch(() => undefined);
  }
}

/** Every endpoint under load; a route that is not there is reported "not measured". */
async function endpointRuns(app: ServerProcess, api: ApiClient, household: Household, only?: string[]) {
  const login = await api.ok<{ accessToken: string }>('POST', '/api/auth/login', {
    email: household.email,
    password: PASSWORD,
  });
  api.token = login.accessToken;
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const card = household.accounts[0]!.id;
  const targets: { name: string; target: LoadTarget }[] = [
    { name: 'GET /api/health/ping', target: { path: '/api/health/ping' } },
    {
      name: 'login',
      target: {
        method: 'POST',
        path: '/api/auth/login',
        body: JSON.stringify({ email: household.email, password: PASSWORD }),
      },
    },
    {
      name: 'month summary',
      target: { path: `/api/budget/summary/month?month=${MONTH.month}`, headers: auth },
    },
    { name: 'charts', target: { path: `/api/budget/summary/charts?month=${MONTH.month}`, headers: auth } },
    {
      name: 'transaction list page',
      target: {
        path: `/api/budget/transactions?accountId=${card}&type=expense&dateFrom=2026-01-01&dateTo=2026-10-31&limit=50`,
        headers: auth,
      },
    },
    { name: 'portfolio valuation', target: { path: '/api/portfolio', headers: auth } },
    {
      name: 'credit schedule',
      target: {
        path: `/api/budget/obligation-blocks/${household.mortgageId ?? 'none'}/schedule`,
        headers: auth,
      },
    },
  ];
  const rows: Row[] = [];
  let peakMiB = 0;
  let peakPssMiB = 0;
  for (const { name, target } of targets) {
    if (only !== undefined && !only.includes(name)) continue;
    const probe = await api.request<{ error?: { code?: string; message?: string } }>(
      target.method ?? 'GET',
      target.path,
      target.body === undefined ? undefined : JSON.parse(target.body),
    );
    const error = probe.body?.error;
    if (probe.status === 404 && error?.code === 'NOT_FOUND') {
      rows.push({ name, missing: 'not measured: the endpoint is not there' });
      continue;
    }
    if (name === 'credit schedule' && household.mortgageId === undefined) {
      rows.push({ name, missing: 'not measured: no credit blocks' });
      continue;
    }
    if (probe.status >= 300) {
      rows.push({ name, missing: `not measured: the probe answered ${probe.status} ${error?.code ?? ''}` });
      continue;
    }
    progress(`load: ${name}`);
    const {
      result,
      peakMiB: peak,
      peakPssMiB: peakPss,
    } = await peakRss(app, () =>
      load(
        app.baseUrl,
        target,
        { seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS },
        app.cpuMs,
      ),
    );
    peakMiB = Math.max(peakMiB, peak);
    peakPssMiB = Math.max(peakPssMiB, peakPss);
    rows.push({ name, result, peakRssMiB: peak, peakPssMiB: peakPss });
  }
  return { rows, peakMiB, peakPssMiB };
}

function verdict(
  name: string,
  r: LoadResult,
  bare: LoadResult,
  ceilings: DatabaseReport['ceilings'],
  postgres: boolean,
) {
  const within = (limit: number) =>
    r.p99 < limit ? `met (p99 < ${limit} ms)` : `MISSED: p99 ${ms(r.p99)} ms ≥ ${limit} ms`;
  switch (name) {
    case 'GET /api/health/ping': {
      const ratio = r.requestsPerSecond / bare.requestsPerSecond;
      return `${pct(ratio)} of bare http: ${ratio >= 0.7 ? 'met' : 'MISSED'} (≥ 70 %)`;
    }
    case 'month summary':
    case 'charts': {
      const ceiling = name === 'charts' ? ceilings.charts : ceilings.summary;
      // Time per request relative to the ceiling at the same concurrency: by Little's law the ratio of
      // mean latencies, and still meaningful where the embedded database serialises everything.
      const ratio = ceiling === undefined ? Number.NaN : ceiling.requestsPerSecond / r.requestsPerSecond;
      const parts = [`${ratio.toFixed(2)}× direct SQL: ${ratio <= 2 ? 'met' : 'MISSED'} (≤ 2×)`];
      parts.push(postgres ? within(25) : `p99 < 25 ms applies to PostgreSQL`);
      return parts.join('; ');
    }
    case 'transaction list page':
      return within(15);
    case 'portfolio valuation':
      return within(30);
    default:
      return '';
  }
}

const HEADERS = [
  'endpoint',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'CPU µs/req',
  'peak RSS / PSS MiB',
  'target',
];

function loadRows(rows: Row[], ceilings: DatabaseReport['ceilings'], bare: LoadResult, postgres: boolean) {
  return rows.map((row) =>
    row.result === undefined
      ? [row.name, '—', '—', '—', '—', '—', '—', row.missing ?? '']
      : [
          row.name,
          rps(row.result.requestsPerSecond),
          ms(row.result.p50),
          ms(row.result.p99),
          String(row.result.errors),
          cpu(row.result),
          `${(row.peakRssMiB ?? 0).toFixed(0)} / ${(row.peakPssMiB ?? 0).toFixed(0)}`,
          verdict(row.name, row.result, bare, ceilings, postgres),
        ],
  );
}

function ceilingRows(ceilings: DatabaseReport['ceilings'], bare: LoadResult) {
  const entries: [string, LoadResult | undefined][] = [
    ['bare Node http ping (ceiling)', bare],
    ['month summary SQL via driver (ceiling)', ceilings.summary],
    ['charts SQL via driver (ceiling)', ceilings.charts],
  ];
  return entries.flatMap(([name, r]) =>
    r === undefined
      ? []
      : [
          [
            name,
            rps(r.requestsPerSecond),
            ms(r.p50),
            ms(r.p99),
            String(r.errors),
            cpu(r),
            '',
            `mean ${ms(r.mean)} ms`,
          ],
        ],
  );
}

function printMany(many: ManyUsers, bare: LoadResult) {
  out(
    `### With ${MANY_USERS.users.toLocaleString('en-US')} users and ${MANY_USERS.transactions.toLocaleString('en-US')} transactions ` +
      `(written by SQL in ${many.seconds.toFixed(0)} s)`,
  );
  out();
  out(
    table(HEADERS, [
      ...loadRows(many.rows, many.ceilings, bare, true),
      ...ceilingRows(many.ceilings, bare).slice(1),
    ]),
  );
  out();
}

const cpu = (r: LoadResult) => (r.cpuMicrosPerRequest === undefined ? '' : r.cpuMicrosPerRequest.toFixed(0));

function printReport(report: DatabaseReport, bare: LoadResult) {
  const postgres = report.label.startsWith('PostgreSQL');
  const { household } = report;
  out(`## ${report.label}`);
  out();
  out(
    `Household: ${household.accounts.length} accounts, ${household.categories.length} categories, ` +
      `${HOUSEHOLD.transactions.toLocaleString('en-US')} transactions over ten years, ${household.creditIds.length} credits, ` +
      `${report.portfolioOperations > 0 ? `${PORTFOLIOS.portfolios} portfolios with ${PORTFOLIOS.positions} positions and ${report.portfolioOperations.toLocaleString('en-US')} operations` : 'no portfolios'}. ` +
      `Bulk insert of the ${HOUSEHOLD.transactions.toLocaleString('en-US')} transactions: ${household.bulkSeconds.toFixed(1)} s ` +
      `(${household.bulkSeconds < 10 ? 'met' : 'MISSED'}, < 10 s).` +
      (report.portfolioOperations > 0
        ? ` Portfolio operations, one request each (4 at a time): ${report.portfolioSeconds.toFixed(0)} s, ` +
          `${(report.portfolioOperations / report.portfolioSeconds).toFixed(0)} a second.`
        : ''),
  );
  for (const note of household.notes) out(`Note: ${note}.`);
  out();
  out(
    table(HEADERS, [
      ...loadRows(report.rows, report.ceilings, bare, postgres),
      ...ceilingRows(report.ceilings, bare),
    ]),
  );
  out();
  const limit = postgres ? 200 : 250;
  out(
    `Peak memory of the app${postgres ? '' : ' and its database processes'} during the runs: ` +
      `RSS ${report.peakRssMiB.toFixed(0)} MiB added up, PSS ${report.peakPssMiB.toFixed(0)} MiB ` +
      `(${report.peakRssMiB <= limit ? 'met' : 'MISSED'}, ≤ ${limit} MiB RSS).`,
  );
  out();
  const f = report.footprint;
  if (f !== undefined) {
    out(
      'Start-up and idle memory (everything the app starts; idle = after ' +
        `${IDLE_SECONDS} s without requests):`,
    );
    out();
    out(
      table(
        ['', 'time to the first answer', 'idle RSS MiB (added up)', 'idle PSS MiB', 'targets'],
        [
          [
            'first start, empty folder',
            `${(f.firstStartMs / 1000).toFixed(1)} s`,
            f.idleEmpty.rss.toFixed(0),
            f.idleEmpty.pss.toFixed(0),
            `≤ 10 s: ${f.firstStartMs <= 10_000 ? 'met' : 'MISSED'}; ≤ 150 MiB: ${f.idleEmpty.rss <= 150 ? 'met' : 'MISSED'}`,
          ],
          [
            'restart, the household loaded',
            `${(f.restartMs / 1000).toFixed(1)} s`,
            f.idleLoaded.rss.toFixed(0),
            f.idleLoaded.pss.toFixed(0),
            `≤ 3 s: ${f.restartMs <= 3000 ? 'met' : 'MISSED'}; ≤ 150 MiB: ${f.idleLoaded.rss <= 150 ? 'met' : 'MISSED'}`,
          ],
        ],
      ),
    );
    out();
  }
  if (report.renders.length > 0) {
    out('First render in Chromium on loopback, cold cache, median of 3:');
    out();
    out(
      table(
        ['page', 'first contentful paint ms', 'data loaded (network idle) ms', '< 1 s'],
        report.renders.map((r) => [
          r.page,
          ms(r.firstPaintMs),
          ms(r.settledMs),
          r.firstPaintMs < 1000 ? 'met' : 'MISSED',
        ]),
      ),
    );
    out();
  }
}

await main();
