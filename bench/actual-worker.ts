/**
 * Actual Budget's own engine (`@actual-app/api`, in-process, SQLite) in a process of its own, so
 * that its memory is measured apart. The parent sends one command at a time over IPC; the time of
 * each call is measured here, around the engine's function alone.
 *
 *   fork('bench/actual-worker.ts', [<folder where @actual-app/api is installed>, <data folder>])
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PeerHousehold } from './peer-household.js';

/** The part of @actual-app/api the bench uses (it is installed on request, not a dependency). */
interface ActualApi {
  init(options: { dataDir: string }): Promise<unknown>;
  shutdown(): Promise<void>;
  runImport(name: string, fn: () => Promise<void>): Promise<void>;
  getBudgets(): Promise<{ id?: string; name: string }[]>;
  loadBudget(id: string): Promise<void>;
  createAccount(account: { name: string; offbudget?: boolean }, initialBalance?: number): Promise<string>;
  createCategoryGroup(group: { name: string; is_income?: boolean }): Promise<string>;
  createCategory(category: { name: string; group_id: string; is_income?: boolean }): Promise<string>;
  addTransactions(
    accountId: string,
    transactions: { date: string; amount: number; category: string; payee_name: string }[],
    options?: { learnCategories?: boolean; runTransfers?: boolean },
  ): Promise<unknown>;
  getBudgetMonth(month: string): Promise<unknown>;
  aqlQuery(query: unknown): Promise<unknown>;
  q(table: string): {
    filter(f: object): ReturnType<ActualApi['q']>;
    select(s: string | string[]): ReturnType<ActualApi['q']>;
    orderBy(o: object): ReturnType<ActualApi['q']>;
    limit(n: number): ReturnType<ActualApi['q']>;
  };
}

export type WorkerCommand =
  | { op: 'load'; household: PeerHousehold }
  | { op: 'month'; month: string }
  | { op: 'list'; account: number }
  | { op: 'rss' }
  | { op: 'stop' };

const [installDir, dataDir] = process.argv.slice(2) as [string, string];
const require = createRequire(`${installDir}/package.json`);
const api = (await import(pathToFileURL(require.resolve('@actual-app/api')).href)) as ActualApi & {
  default?: ActualApi;
};
const actual: ActualApi = api.default ?? api;
await actual.init({ dataDir });
let accountIds: string[] = [];

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.op) {
    case 'load': {
      const { household } = command;
      const started = performance.now();
      await actual.runImport('wealthtracker-bench', async () => {
        accountIds = [];
        for (const a of household.accounts)
          accountIds.push(await actual.createAccount({ name: a.name }, a.openingKopecks));
        const groups = new Map<string, string>();
        const categoryIds: string[] = [];
        for (const c of household.categories) {
          let group = groups.get(c.group);
          if (group === undefined) {
            group = await actual.createCategoryGroup({ name: c.group, is_income: c.income });
            groups.set(c.group, group);
          }
          categoryIds.push(
            await actual.createCategory({ name: c.name, group_id: group, is_income: c.income }),
          );
        }
        for (let a = 0; a < accountIds.length; a++) {
          const rows = household.transactions
            .filter((t) => t.account === a)
            .map((t) => ({
              date: t.date,
              amount: household.categories[t.category]!.income ? t.kopecks : -t.kopecks,
              category: categoryIds[t.category]!,
              payee_name: t.payee,
            }));
          await actual.addTransactions(accountIds[a]!, rows, { learnCategories: false, runTransfers: false });
        }
      });
      const budget = (await actual.getBudgets()).find((b) => b.name === 'wealthtracker-bench');
      if (budget?.id) await actual.loadBudget(budget.id);
      return (performance.now() - started) / 1000;
    }
    case 'month': {
      const started = performance.now();
      await actual.getBudgetMonth(command.month);
      return performance.now() - started;
    }
    case 'list': {
      const started = performance.now();
      await actual.aqlQuery(
        actual
          .q('transactions')
          .filter({ account: accountIds[command.account] })
          .select('*')
          .orderBy({ date: 'desc' })
          .limit(50),
      );
      return performance.now() - started;
    }
    case 'rss':
      // Collected first, as the app's idle figure is taken after a pause: live memory, not garbage.
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().rss / 2 ** 20;
    case 'stop':
      await actual.shutdown();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(
    (value) => process.send?.({ value }),
    (err: unknown) => process.send?.({ error: err instanceof Error ? err.message : String(err) }),
  );
});
process.send?.({ value: 'ready' });
