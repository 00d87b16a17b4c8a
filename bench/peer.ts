import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedClusterConnection } from '../src/server/platform/embedded-postgres.js';
import type { WorkerCommand } from './actual-worker.js';
import { ApiClient } from './api-client.js';
import { freePort, startProcess, type ServerProcess } from './app-process.js';
import { PEER, peerHousehold, type PeerHousehold } from './peer-household.js';
import { ms, table } from './table.js';

/**
 * `npm run bench -- --peer=actual`: the same household in WealthTracker (embedded, and on
 * PostgreSQL when it is reachable) and in Actual Budget's own engine, measured in one run with the
 * calls interleaved, so that whatever else the machine does weighs on both alike.
 */
export const ACTUAL_VERSION = '26.9.0';
const ROUNDS = 480;
/** The month both are asked for: the last whole month of the household. */
const MONTH = '2026-10';
const PASSWORD = 'bench-password-1234';

interface Side {
  label: string;
  loadSeconds: number;
  month: number[];
  list: number[];
  rssMiB: number;
  pssMiB?: number;
}

/** @actual-app/api, installed once into a cache folder outside the project. */
function installActual(progress: (text: string) => void): string {
  const dir = path.join(os.homedir(), '.cache', 'wealthtracker-bench', `actual-api-${ACTUAL_VERSION}`);
  if (!existsSync(path.join(dir, 'node_modules', '@actual-app', 'api', 'package.json'))) {
    progress(`installing @actual-app/api ${ACTUAL_VERSION} into ${dir}`);
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', dir, '--no-fund', '--no-audit', `@actual-app/api@${ACTUAL_VERSION}`],
      { stdio: 'inherit' },
    );
  }
  return dir;
}

function actualWorker(installDir: string, dataDir: string) {
  const child: ChildProcess = fork(path.resolve('bench/actual-worker.ts'), [installDir, dataDir], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let pending: ((reply: { value?: unknown; error?: string }) => void) | undefined;
  const ready = new Promise<void>((resolve) => (pending = () => resolve()));
  child.on('message', (reply: { value?: unknown; error?: string }) => pending?.(reply));
  const call = <T>(command: WorkerCommand) =>
    new Promise<T>((resolve, reject) => {
      pending = (reply) =>
        reply.error !== undefined ? reject(new Error(reply.error)) : resolve(reply.value as T);
      child.send(command);
    });
  return { ready, call, child };
}

async function loadOurs(
  api: ApiClient,
  household: PeerHousehold,
  email: string,
): Promise<{ seconds: number; accounts: string[] }> {
  const started = performance.now();
  const registered = await api.ok<{ accessToken: string }>('POST', '/api/auth/register', {
    email,
    password: PASSWORD,
  });
  api.token = registered.accessToken;
  const accounts: string[] = [];
  for (const a of household.accounts) {
    const created = await api.ok<{ id: string }>('POST', '/api/budget/accounts', {
      name: a.name,
      kind: 'card',
      currency: 'RUB',
      openingBalance: (a.openingKopecks / 100).toFixed(2),
    });
    accounts.push(created.id);
  }
  const groups = new Map<string, string>();
  const categories: string[] = [];
  for (const c of household.categories) {
    const kind = c.income ? 'income' : 'expense';
    let group = groups.get(c.group);
    if (group === undefined) {
      group = (
        await api.ok<{ id: string }>('POST', '/api/budget/categories', { kind, name: `Бенч ${c.group}` })
      ).id;
      groups.set(c.group, group);
    }
    categories.push(
      (
        await api.ok<{ id: string }>('POST', '/api/budget/categories', {
          kind,
          name: `Бенч ${c.name}`,
          parentId: group,
        })
      ).id,
    );
  }
  const items = household.transactions.map((t) => ({
    type: household.categories[t.category]!.income ? 'income' : 'expense',
    date: t.date,
    accountId: accounts[t.account]!,
    categoryId: categories[t.category]!,
    amount: (t.kopecks / 100).toFixed(2),
    description: t.payee,
  }));
  for (let i = 0; i < items.length; i += 1000) {
    await api.ok('POST', '/api/budget/transactions/bulk', { items: items.slice(i, i + 1000) });
  }
  return { seconds: (performance.now() - started) / 1000, accounts };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function analyze(connection: string | pg.ClientConfig) {
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  await client.connect();
  await client.query('vacuum analyze');
  await client.end();
}

export async function runPeer(
  peer: string,
  options: {
    databaseUrl: string | undefined;
    env: Record<string, string>;
    idleSeconds: number;
    nodeArgs: string[];
  },
  out: (text?: string) => void,
  progress: (text: string) => void,
): Promise<void> {
  if (peer !== 'actual') throw new Error(`--peer takes "actual", not "${peer}"`);
  const installDir = installActual(progress);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wealthtracker-peer-'));
  chmodSync(workDir, 0o755);
  const household = peerHousehold();
  const servers: ServerProcess[] = [];
  const worker = actualWorker(installDir, path.join(workDir, 'actual'));
  mkdirSync(path.join(workDir, 'actual'));
  try {
    await worker.ready;
    progress(`Actual ${ACTUAL_VERSION}: loading ${PEER.transactions} transactions`);
    const actual: Side = {
      label: `Actual ${ACTUAL_VERSION}`,
      loadSeconds: 0,
      month: [],
      list: [],
      rssMiB: 0,
    };
    actual.loadSeconds = await worker.call<number>({ op: 'load', household });

    const ours: (Side & { api: ApiClient; email: string; accounts: string[] })[] = [];
    const kinds: ('embedded' | 'postgres')[] = options.databaseUrl ? ['embedded', 'postgres'] : ['embedded'];
    for (const kind of kinds) {
      const dataDir = path.join(workDir, 'data');
      const port = await freePort();
      const storage: Record<string, string> =
        kind === 'embedded' ? { DATA_DIR: dataDir } : { DATABASE_URL: options.databaseUrl! };
      const server = await startProcess(
        options.nodeArgs,
        { ...options.env, ...storage, APP_PORT: String(port) },
        port,
        '/api/health/ping',
      );
      servers.push(server);
      const api = new ApiClient(server.baseUrl);
      progress(`WealthTracker (${kind}): loading ${PEER.transactions} transactions`);
      const email = `peer-${Date.now()}@bench.test`;
      const { seconds, accounts } = await loadOurs(api, household, email);
      await analyze(kind === 'embedded' ? embeddedClusterConnection(dataDir) : options.databaseUrl!);
      ours.push({
        label: kind === 'embedded' ? 'ours, embedded' : 'ours, PostgreSQL',
        loadSeconds: seconds,
        month: [],
        list: [],
        rssMiB: 0,
        api,
        email,
        accounts,
      });
    }

    // An access token lasts 15 minutes, and loading on a busy machine can take longer: a fresh one.
    for (const side of ours) {
      side.api.token = (
        await side.api.ok<{ accessToken: string }>('POST', '/api/auth/login', {
          email: side.email,
          password: PASSWORD,
        })
      ).accessToken;
    }
    progress(`${ROUNDS} rounds, each side's calls interleaved`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of ours) {
        side.month.push(await timed(() => side.api.ok('GET', `/api/budget/summary/month?month=${MONTH}`)));
        side.list.push(
          await timed(() =>
            side.api.ok('GET', `/api/budget/transactions?accountId=${side.accounts[round % 3]!}&limit=50`),
          ),
        );
      }
      actual.month.push(await worker.call<number>({ op: 'month', month: MONTH }));
      actual.list.push(await worker.call<number>({ op: 'list', account: round % 3 }));
    }
    await new Promise((r) => setTimeout(r, options.idleSeconds * 1000));
    actual.rssMiB = await worker.call<number>({ op: 'rss' });
    ours.forEach((side, i) => {
      side.rssMiB = servers[i]!.rssMiB();
      side.pssMiB = servers[i]!.pssMiB();
    });

    const a = { month: median(actual.month), list: median(actual.list) };
    out(
      `## Side by side with Actual Budget ${ACTUAL_VERSION} (\`@actual-app/api\`, its own engine in-process, SQLite)`,
    );
    out();
    out(
      `The same household in both: ${PEER.transactions.toLocaleString('en-US')} incomes and expenses, ` +
        `${PEER.accounts} accounts, ${PEER.categories} categories, ${PEER.months} months. Medians of ${ROUNDS} calls, ` +
        'one at a time, the sides interleaved; ours over HTTP on loopback (request, auth, query, JSON), ' +
        "Actual's timed around its function alone.",
    );
    out();
    out(
      table(
        [
          '',
          'month summary vs `getBudgetMonth` ms',
          '50 newest of an account vs ActualQL ms',
          'memory after loading MiB',
          'loading s',
        ],
        [
          ...ours.map((side) => [
            side.label,
            `${ms(median(side.month))} (${(median(side.month) / a.month).toFixed(2)}×)`,
            `${ms(median(side.list))} (${(median(side.list) / a.list).toFixed(2)}×)`,
            `RSS ${side.rssMiB.toFixed(0)}, PSS ${side.pssMiB?.toFixed(0) ?? '—'}${side.label.includes('PostgreSQL') ? ' (app only)' : ''}`,
            side.loadSeconds.toFixed(1),
          ]),
          [
            actual.label,
            ms(a.month),
            ms(a.list),
            `RSS ${actual.rssMiB.toFixed(0)}`,
            actual.loadSeconds.toFixed(1),
          ],
        ],
      ),
    );
    out();
  } finally {
    await worker.call({ op: 'stop' }).catch(() => undefined);
    for (const server of servers) await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
