import { spawn, type ChildProcess } from 'node:child_process';
import { runCommand } from '../../src/server/platform/run-command.js';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/**
 * The deploy suite runs real processes on this machine: app instances (tsx), Debian's nginx,
 * PostgreSQL and Redis. Each test makes its own database and drops it after.
 */
export const REPO = path.resolve(import.meta.dirname, '../..');
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function adminQuery<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createDatabase(): Promise<TempDatabase> {
  const name = `wt_deploy_${randomBytes(5).toString('hex')}`;
  await adminQuery(PG_ADMIN_URL, `create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await adminQuery(PG_ADMIN_URL, `drop database if exists ${name} with (force)`);
    },
  };
}

/** Tests read the JSON of their own API, as they do with `inject()`, without a type for every body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): Json;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Source address on the loopback (127.0.0.2, …) to act as a different client. */
  localAddress?: string;
  agent?: http.Agent | false;
  timeoutMs?: number;
  /** For the self-signed certificate of the TLS tests. */
  insecure?: boolean;
}

export function request(url: string, options: RequestOptions = {}): Promise<Response> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        localAddress: options.localAddress,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 15_000,
        rejectUnauthorized: !options.insecure,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: (): Json => JSON.parse(body),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The value of the refresh cookie in a response, if it sets one. */
export function refreshCookieOf(res: Response): string | undefined {
  for (const line of res.headers['set-cookie'] ?? []) {
    const match = /^wt_refresh=([^;]*)/.exec(line);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

export interface AppProcess {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
}

/** Starts `src/server/main.ts` as its own process, as in production, and waits until it is ready. */
export async function startApp(
  name: string,
  env: Record<string, string>,
  logDir: string,
): Promise<AppProcess> {
  const port = await freePort();
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      APP_PORT: String(port),
      WEB_DIR: path.join(logDir, 'no-web'),
      DATA_DIR: path.join(logDir, `${name}-data`),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const app: AppProcess = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    process: child,
    logFile,
    exited,
    log: () => readFileSync(logFile, 'utf8'),
  };
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  await waitFor(`${name} to be ready`, async () => {
    if (exitedEarly) throw new Error(`${name} exited during start-up:\n${app.log()}`);
    return (await request(`${app.url}/api/health/ready`)).status === 200;
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${app.log()}`);
  });
  return app;
}

/** SIGTERM and wait for the exit; SIGKILL if it takes longer than `timeoutMs`. */
export async function stop(child: { process: ChildProcess; exited: Promise<unknown> }, timeoutMs = 10_000) {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

export const NGINX_DIR = path.join(REPO, 'deploy/nginx');

export interface SiteOptions {
  /** `host:port` of each app instance, in place of the Compose service name in upstream.conf. */
  upstreams: string[];
  /** The built pages, in place of the image's /usr/share/nginx/html. */
  webRoot: string;
  /** Ports in place of 80 and 443. */
  httpPort?: number;
  httpsPort?: number;
  /** Holds fullchain.pem and privkey.pem, in place of /etc/letsencrypt/live/wealthtracker. */
  certDir?: string;
  /** In place of certbot's webroot /var/www/certbot. */
  acmeRoot?: string;
}

/**
 * deploy/nginx/ as it would be on this machine: the same files with only what differs outside
 * Docker replaced (upstream addresses, ports, the folders of the pages and the certificates).
 */
export function localSiteFiles(options: SiteOptions): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(NGINX_DIR).filter((f) => f.endsWith('.conf'))) {
    let text = readFileSync(path.join(NGINX_DIR, name), 'utf8')
      .replace(/^(\s*)server app:8080([^;]*);/m, (_all, indent: string, params: string) =>
        options.upstreams.map((u) => `${indent}server ${u}${params};`).join('\n'),
      )
      .replaceAll('/usr/share/nginx/html', options.webRoot);
    if (options.httpPort !== undefined)
      text = text.replace(/listen 80 /g, `listen 127.0.0.1:${options.httpPort} `);
    if (options.httpsPort !== undefined)
      text = text.replace(/listen 443 ssl /g, `listen 127.0.0.1:${options.httpsPort} ssl `);
    if (options.certDir !== undefined)
      text = text.replaceAll('/etc/letsencrypt/live/wealthtracker', options.certDir);
    if (options.acmeRoot !== undefined) text = text.replaceAll('/var/www/certbot', options.acmeRoot);
    files.set(name, text);
  }
  return files;
}

/** Writes a self-signed certificate for 127.0.0.1 into `dir` (fullchain.pem, privkey.pem). */
export async function selfSignedCertificate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    path.join(dir, 'privkey.pem'),
    '-out',
    path.join(dir, 'fullchain.pem'),
  ]);
}

export function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return runCommand(command, args, {
    failure: (code, { stdout, stderr }) =>
      new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}${stdout}`),
  });
}

export interface Nginx {
  dir: string;
  process: ChildProcess;
  exited: Promise<unknown>;
  /** Access log lines: `<x-request-id of the app> <upstream address> <status> "<request line>"`. */
  accessLog(): string[];
  errorLog(): string;
}

/**
 * A complete nginx.conf in `dir` around one of the repo's sites (default.conf or production.conf),
 * with pid, logs and temp files in `dir`. Relative includes (`wealthtracker/…`) resolve next to it.
 */
export function writeNginxConfig(dir: string, site: string, files: Map<string, string>): string {
  mkdirSync(path.join(dir, 'wealthtracker'), { recursive: true });
  mkdirSync(path.join(dir, 'temp'), { recursive: true });
  for (const [name, text] of files) writeFileSync(path.join(dir, 'wealthtracker', name), text);
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `${user}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$upstream_http_x_request_id $upstream_addr $status "$request"';
    access_log ${dir}/access.log upstreams;
    client_body_temp_path ${dir}/temp/body;
    proxy_temp_path ${dir}/temp/proxy;
    fastcgi_temp_path ${dir}/temp/fastcgi;
    uwsgi_temp_path ${dir}/temp/uwsgi;
    scgi_temp_path ${dir}/temp/scgi;
    include wealthtracker/${site};
}
`,
  );
  return conf;
}

/** `nginx -t` on a config written by writeNginxConfig. */
export async function nginxTest(conf: string): Promise<string> {
  const { stderr } = await run(NGINX, ['-t', '-e', path.join(path.dirname(conf), 'error.log'), '-c', conf]);
  return stderr;
}

export async function startNginx(conf: string, probeUrl: string): Promise<Nginx> {
  const dir = path.dirname(conf);
  const child = spawn(NGINX, ['-e', path.join(dir, 'error.log'), '-c', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const nginx: Nginx = {
    dir,
    process: child,
    exited,
    accessLog: () =>
      existsSync(path.join(dir, 'access.log'))
        ? readFileSync(path.join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean)
        : [],
    errorLog: () => `${stderr}${readFileSync(path.join(dir, 'error.log'), 'utf8')}`,
  };
  await waitFor('nginx', async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited:\n${nginx.errorLog()}`);
    await request(probeUrl, { insecure: true });
    return true;
  });
  return nginx;
}

/** The upstream address nginx sent the request with this x-request-id to (from the access log). */
export async function upstreamOf(nginx: Nginx, res: Response): Promise<string> {
  const id = String(res.headers['x-request-id']);
  let found: string | undefined;
  await waitFor(
    `access log line of ${id}`,
    async () => {
      found = nginx.accessLog().find((l) => l.startsWith(`${id} `));
      return found !== undefined;
    },
    5000,
  );
  return found!.split(' ')[1]!;
}
