/**
 * Backup and restore of the database the app is configured for (DATABASE_URL, or DATA_DIR):
 *
 *   npm run backup [-- --out <folder or file>]     default folder: ./backups
 *   npm run restore -- <file> [--force]
 *
 * PostgreSQL: pg_dump's custom format (`.dump`), restored with pg_restore | psql in one transaction.
 * Embedded: a snapshot of the stopped cluster in DATA_DIR (`.tar.gz` of `postgres/` and its
 * password file); the app must be stopped, so that the files are consistent. A snapshot made by
 * 0.1 (PGlite's files) restores too, and is converted when the app starts on it.
 * A restore goes into an empty database or data folder; over existing data only with --force.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from '../src/server/config.js';
import { runCommand } from '../src/server/platform/run-command.js';
import {
  CLUSTER_FOLDER,
  PASSWORD_FILE,
  runningPostmaster,
  startEmbeddedPostgres,
} from '../src/server/platform/embedded-postgres.js';

export class BackupError extends Error {
  override name = 'BackupError';
}

const DEFAULT_FOLDER = 'backups';

/** `2025-03-01T08-30-00Z`: sortable, and valid in file names everywhere. */
function timestamp(now = new Date()): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

/** `out` itself when it ends in the backup's extension, else a file named by the time in the folder `out`. */
function target(out: string | undefined, extension: string): string {
  if (out?.endsWith(extension)) return path.resolve(out);
  return path.resolve(out ?? DEFAULT_FOLDER, `wealthtracker-${timestamp()}${extension}`);
}

/** libpq settings for a postgres URL, in the environment so the password is not on a command line. */
function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // `?host=/run/postgresql` names a Unix socket folder, as libpq's own URLs allow.
    PGHOST: url.searchParams.get('host') ?? (decodeURIComponent(url.hostname) || 'localhost'),
    PGPORT: url.port || '5432',
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, '')),
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
  };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

function missingTool(tool: string): BackupError {
  return new BackupError(
    `${tool} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), ` +
      'of the same major version as the server or newer',
  );
}

/** Runs a PostgreSQL client tool; its stderr becomes the error message. */
async function pgTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await runCommand(tool, args, {
    env,
    failure: (code, { stderr }) => new BackupError(`${tool} failed (exit ${code}): ${stderr.trim()}`),
  }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? missingTool(tool) : err;
  });
}

function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<string> {
  mkdirSync(path.dirname(file), { recursive: true });
  // A backup that failed halfway never carries the name of a finished one.
  const partial = `${file}.partial`;
  return write(partial).then(
    () => {
      // Everyone's financial data: readable by the owner only.
      chmodSync(partial, 0o600);
      renameSync(partial, file);
      return file;
    },
    (err: unknown) => {
      rmSync(partial, { force: true });
      throw err;
    },
  );
}

/** A postmaster runs on the folder: the app's, or one left by an app that was killed. */
const inUse = (dataDir: string) => runningPostmaster(dataDir) !== undefined;

/** Runs `tar` (on every system the app supports); its stderr becomes the error message. */
async function tar(args: string[]): Promise<string> {
  const { stdout } = await runCommand('tar', args, {
    failure: (code, { stderr }) => new BackupError(`tar failed (exit ${code}): ${stderr.trim()}`),
  });
  return stdout;
}

const isEmptyFolder = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

export async function backup(config: Config, out?: string): Promise<string> {
  if (config.databaseUrl !== undefined) {
    const url = config.databaseUrl;
    return writeAtomically(target(out, '.dump'), (partial) =>
      pgTool(
        'pg_dump',
        ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`],
        libpqEnv(url),
      ),
    );
  }
  const dataDir = config.dataDir;
  if (isEmptyFolder(dataDir)) throw new BackupError(`${dataDir} holds no database: nothing to back up`);
  if (inUse(dataDir)) {
    throw new BackupError(
      `${dataDir} is in use by a running WealthTracker, or it was not shut down cleanly: ` +
        'stop the app (or start and stop it once), then back up',
    );
  }
  if (!existsSync(path.join(dataDir, CLUSTER_FOLDER, 'PG_VERSION'))) {
    throw new BackupError(`${dataDir} holds no embedded database: start the app on it once, then back up`);
  }
  return writeAtomically(target(out, '.tar.gz'), async (partial) => {
    await tar(['-czf', partial, '-C', dataDir, '--exclude=postmaster.opts', CLUSTER_FOLDER, PASSWORD_FILE]);
  });
}

async function fileStartsWith(file: string, magic: Buffer): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    await handle.read(head, 0, magic.length, 0);
    return head.equals(magic);
  } finally {
    await handle.close();
  }
}

const PG_DUMP_MAGIC = Buffer.from('PGDMP');
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export interface RestoreResult {
  target: string;
  migrations: number;
  /** Where --force moved the data folder that was replaced (embedded only). */
  replacedDataMovedTo?: string;
}

export async function restore(config: Config, file: string, force = false): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  const postgresDump = await fileStartsWith(file, PG_DUMP_MAGIC);
  const snapshot = !postgresDump && (await fileStartsWith(file, GZIP_MAGIC));
  if (!postgresDump && !snapshot) throw new BackupError(`${file} is not a WealthTracker backup`);

  if (postgresDump) {
    if (config.databaseUrl === undefined) {
      throw new BackupError('this is a PostgreSQL backup: set DATABASE_URL to the database to restore into');
    }
    return restorePostgres(config.databaseUrl, path.resolve(file), force);
  }
  if (config.databaseUrl !== undefined) {
    throw new BackupError('this is a snapshot of the embedded database: unset DATABASE_URL and set DATA_DIR');
  }
  return restoreEmbedded(config.dataDir, path.resolve(file), force);
}

async function restorePostgres(databaseUrl: string, file: string, force: boolean): Promise<RestoreResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const countMigrations = async () =>
    Number((await client.query<{ n: string }>('select count(*) as n from schema_migrations')).rows[0]?.n);
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')`,
    );
    const empty = Number(rows[0]?.n) === 0;
    if (!empty && !force) {
      throw new BackupError(
        'the database is not empty: restore into a new database (createdb), or add --force to replace its contents',
      );
    }
    const env = libpqEnv(databaseUrl);
    // The dump turned into SQL and applied by psql in one transaction: all of it or nothing.
    // With --force the old schema is dropped inside that same transaction.
    await new Promise<void>((resolve, reject) => {
      const psql = spawn(
        'psql',
        ['--no-psqlrc', '--quiet', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '-f', '-'],
        {
          env,
          stdio: ['pipe', 'ignore', 'pipe'],
        },
      );
      const pgRestore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', file], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      psql.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      pgRestore.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const failed = (tool: string) => (err: NodeJS.ErrnoException) => {
        pgRestore.kill();
        psql.kill();
        reject(err.code === 'ENOENT' ? missingTool(tool) : err);
      };
      psql.on('error', failed('psql'));
      pgRestore.on('error', failed('pg_restore'));
      psql.stdin.on('error', () => undefined); // psql stopped early; its exit code tells why
      if (!empty) psql.stdin.write('drop schema public cascade;\ncreate schema public;\n');
      // psql commits when its input ends, so the input ends only after the whole dump was read;
      // if pg_restore fails, psql is killed and the server rolls the transaction back.
      pgRestore.stdout.pipe(psql.stdin, { end: false });
      pgRestore.on('close', (code) => {
        if (code === 0) psql.stdin.end();
        else psql.kill('SIGKILL');
      });
      psql.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new BackupError(`restore failed, nothing was changed: ${stderr.trim()}`));
      });
    });
    return { target: `database ${env.PGDATABASE}`, migrations: await countMigrations() };
  } finally {
    await client.end();
  }
}

async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<RestoreResult> {
  if (inUse(dataDir)) {
    throw new BackupError(
      `${dataDir} is in use by a running WealthTracker (or was not shut down cleanly): stop it first`,
    );
  }
  let movedTo: string | undefined;
  if (!isEmptyFolder(dataDir)) {
    if (!force) {
      throw new BackupError(
        `${dataDir} is not empty: restore into a new DATA_DIR, or add --force to replace it`,
      );
    }
    // Kept rather than deleted: the data being replaced may be the only copy of something.
    movedTo = `${dataDir}.before-restore-${timestamp()}`;
    renameSync(dataDir, movedTo);
  }
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const entries = (await tar(['-tzf', file])).split('\n');
    if (entries.some((e) => e.replace(/^\.\//, '') === 'PG_VERSION')) {
      // A snapshot made by 0.1: PGlite's files, converted by the app's first start.
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(file)]) });
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      await db.close();
      return { target: dataDir, migrations: rows[0]?.n ?? 0, replacedDataMovedTo: movedTo };
    }
    if (!entries.some((e) => e.replace(/^\.\//, '') === `${CLUSTER_FOLDER}/PG_VERSION`)) {
      throw new BackupError(`${file} is not a WealthTracker backup`);
    }
    await tar(['-xzf', file, '-C', dataDir]);
    const cluster = await startEmbeddedPostgres({ logger: pino({ level: 'silent' }), dataDir });
    try {
      const client = new pg.Client(cluster.connection);
      await client.connect();
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      await client.end();
      return { target: dataDir, migrations: rows[0]?.n ?? 0, replacedDataMovedTo: movedTo };
    } finally {
      await cluster.stop();
    }
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    if (movedTo !== undefined) renameSync(movedTo, dataDir);
    throw new BackupError(
      `restore failed, ${dataDir} is as it was: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  if (command === 'backup') {
    const outIndex = rest.indexOf('--out');
    const out = outIndex >= 0 ? rest[outIndex + 1] : undefined;
    if (outIndex >= 0 && out === undefined) throw new BackupError('--out needs a folder or a file name');
    console.log(`Backup written to ${await backup(config, out)}`);
    return;
  }
  if (command === 'restore') {
    const file = rest.find((a) => !a.startsWith('--'));
    if (file === undefined) throw new BackupError('usage: npm run restore -- <backup file> [--force]');
    const result = await restore(config, file, rest.includes('--force'));
    console.log(`Restored ${file} into ${result.target} (${result.migrations} migrations recorded).`);
    if (result.replacedDataMovedTo)
      console.log(`The replaced data folder was moved to ${result.replacedDataMovedTo}.`);
    console.log('Start the app: it applies any migrations newer than the backup.');
    return;
  }
  throw new BackupError('usage: backup.ts backup [--out <folder or file>] | restore <file> [--force]');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if (err instanceof BackupError || err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  });
}
