import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { parseDocument, type ScalarTag, type CollectionTag } from 'yaml';
import { REPO } from './support.js';

/**
 * No Docker engine runs where the tests run, so the images are not built here: these tests read
 * the Dockerfile and the Compose files and check what would break a deployment.
 */

// Compose's merge tags: `!override` replaces a list of the base file instead of appending to it.
const composeTags: (ScalarTag | CollectionTag)[] = [
  { tag: '!override', collection: 'seq', resolve: (seq) => seq },
  { tag: '!reset', collection: 'seq', resolve: (seq) => seq },
];

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string> | string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  restart?: string;
  container_name?: string;
  user?: string;
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { ipam: { config: { subnet: string; ip_range: string }[] } }>;
}

function readCompose(file: string): { compose: Compose; text: string } {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  const doc = parseDocument(text, { merge: true, customTags: composeTags });
  assert.deepEqual(doc.errors, [], `${file} parses`);
  assert.deepEqual(doc.warnings, [], `${file} has no unknown tags`);
  return { compose: doc.toJS({ maxAliasCount: 100 }) as Compose, text };
}

/** `{ KEY: value }` from either form Compose accepts. */
function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((e: string) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

function dependsOn(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([name, v]) => [name, v.condition]));
}

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function dockerfileStages(): Stage[] {
  const text = readFileSync(path.join(REPO, 'deploy/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2]!, lines: [] });
    else if (line && !line.startsWith('#')) stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const { compose: base, text: baseText } = readCompose('docker-compose.yml');
const { compose: production } = readCompose('docker-compose.production.yml');
const stages = dockerfileStages();

describe('deploy/Dockerfile', () => {
  const stage = (name: string) => stages.find((s) => s.name === name)!;

  it('builds with the dev tools, runs a production-only image as a non-root user with a health check', () => {
    assert.deepEqual(
      stages.map((s) => s.name),
      ['build', 'runtime-deps', 'frontend', 'app'],
    );
    assert.equal(stages.at(-1)!.name, 'app', 'the app is the default target');
    const app = stage('app');
    const user = app.lines.filter((l) => l.startsWith('USER ')).at(-1);
    assert.ok(user, 'the app stage sets a user');
    assert.doesNotMatch(user, /^USER\s+(root|0)(:|$)/);
    assert.ok(app.lines.some((l) => /^HEALTHCHECK .*\/api\/health\/ready/.test(l)));
    assert.ok(
      app.lines.includes(
        'CMD ["node", "--max-semi-space-size=1", "--optimize-for-size", "dist/server/main.js"]',
      ),
    );
    assert.ok(app.lines.includes('COPY migrations ./migrations'), 'the migrations ship with the app');
    assert.ok(app.lines.includes('COPY --from=runtime-deps /app/node_modules ./node_modules'));
    assert.ok(stage('runtime-deps').lines.some((l) => /npm ci --omit=dev/.test(l)));
    assert.ok(stage('build').lines.some((l) => l === 'RUN npm run build'));
    assert.match(stage('frontend').from, /^nginx:[\d.]+-alpine$/);
    assert.ok(stage('frontend').lines.some((l) => l.startsWith('HEALTHCHECK ')));
    // Exec form must be valid JSON, or Docker silently runs the text through a shell instead.
    for (const line of stages.flatMap((s) => s.lines)) {
      const exec = /^(?:CMD|ENTRYPOINT|HEALTHCHECK .*CMD)\s+(\[.*\])$/.exec(line);
      if (exec) assert.doesNotThrow(() => JSON.parse(exec[1]!), line);
    }
  });

  it('runs a Node.js the app supports (package.json engines)', () => {
    const arg = readFileSync(path.join(REPO, 'deploy/Dockerfile'), 'utf8').match(
      /^ARG NODE_IMAGE=node:(\d+)-alpine$/m,
    );
    assert.ok(arg, 'the Node.js image is node:<major>-alpine');
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    assert.ok(
      semver.intersects(pkg.engines.node, `${arg[1]}.x`),
      `node ${arg[1]} is within ${pkg.engines.node}`,
    );
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['node_modules', '.git', '.env', 'data', 'dist', '.tmp', 'backups']) {
      assert.ok(ignored.includes(needed), `.dockerignore leaves out ${needed}`);
    }
    const sources = stages
      .flatMap((s) => s.lines)
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    assert.ok(sources.length >= 6);
    for (const source of sources) {
      assert.ok(existsSync(path.join(REPO, source)), `${source} exists`);
      const top = source.replace(/\/$/, '').split('/')[0]!;
      assert.ok(!ignored.includes(top) && !ignored.includes(source), `${source} is in the build context`);
    }
  });

  it('the server imports only packages the runtime image installs (dependencies, not devDependencies)', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (full.endsWith('.ts')) files.push(full);
      }
    };
    walk(path.join(REPO, 'src/server'));
    walk(path.join(REPO, 'src/common'));
    const missing = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/^\s*import\s+(?!type\s)[^'"]*['"]([^'"]+)['"]/gm)) {
        if (!spec || spec.startsWith('.') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!(name in pkg.dependencies)) missing.add(`${name} (${path.relative(REPO, file)})`);
      }
    }
    assert.deepEqual([...missing], []);
  });
});

describe('docker-compose.yml', () => {
  const s = base.services;

  it('has the database, Redis, a one-shot migration, the app and nginx', () => {
    assert.deepEqual(Object.keys(s).sort(), ['app', 'db', 'frontend', 'migrate', 'redis']);
    assert.equal(s.db!.image, 'postgres:16-alpine');
    assert.match(s.redis!.image ?? '', /^redis:\d+-alpine$/);
  });

  it('keeps the database in a named volume', () => {
    const mount = (s.db!.volumes as string[]).find((v) => v.endsWith(':/var/lib/postgresql/data'));
    assert.ok(mount, 'the data folder of postgres is a volume');
    assert.ok(base.volumes && mount.split(':')[0]! in base.volumes, 'the volume is declared');
  });

  it('starts in order, each step waiting for the one before to be healthy or finished', () => {
    assert.deepEqual(dependsOn(s.migrate!), { db: 'service_healthy' });
    assert.deepEqual(dependsOn(s.app!), {
      migrate: 'service_completed_successfully',
      db: 'service_healthy',
      redis: 'service_healthy',
    });
    assert.deepEqual(dependsOn(s.frontend!), { app: 'service_healthy' });
    for (const [name, service] of Object.entries(s)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        if (condition === 'service_healthy')
          assert.ok(s[dependency]!.healthcheck, `${dependency} has a health check (${name})`);
      }
    }
    assert.match(s.db!.healthcheck!.test.join(' '), /pg_isready/);
    assert.match(s.redis!.healthcheck!.test.join(' '), /redis-cli ping/);
    assert.match(s.app!.healthcheck!.test.join(' '), /\/api\/health\/ready/);
    assert.match(s.frontend!.healthcheck!.test.join(' '), /\/nginx-health/);
  });

  it('runs the migration once with the app image, then the app with the same settings', () => {
    assert.deepEqual(s.migrate!.build, { context: '.', dockerfile: 'deploy/Dockerfile', target: 'app' });
    assert.deepEqual(s.app!.build, s.migrate!.build);
    assert.equal(s.migrate!.image, s.app!.image, 'one image for both');
    assert.equal(s.migrate!.restart, 'no');
    assert.ok(s.migrate!.command?.includes('--migrate-only'));
    const migrateEnv = envOf(s.migrate!);
    const appEnv = envOf(s.app!);
    for (const [key, value] of Object.entries(migrateEnv)) assert.equal(appEnv[key], value, key);
  });

  it('points the app at the db and redis services, in production mode, with a required secret', () => {
    const env = envOf(s.app!);
    const dbEnv = envOf(s.db!);
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(
      env.DATABASE_URL,
      `postgresql://${dbEnv.POSTGRES_USER}:${dbEnv.POSTGRES_PASSWORD}@db:5432/${dbEnv.POSTGRES_DB}`,
    );
    assert.equal(env.REDIS_URL, 'redis://redis:6379');
    assert.match(String(env.SECRET_KEY), /^\$\{SECRET_KEY:\?/);
    assert.match(String(dbEnv.POSTGRES_PASSWORD), /^\$\{POSTGRES_PASSWORD:\?/);
    assert.ok(
      Number(String(s.app!.stop_grace_period).replace(/s$/, '')) > 20,
      'longer than the app’s own shutdown limit',
    );
  });

  it('scales: the app publishes no port and has no fixed name; only nginx is reachable, and only it is trusted', () => {
    assert.equal(s.app!.ports, undefined);
    assert.equal(s.app!.user, undefined, 'the image’s non-root user is kept');
    assert.equal(s.app!.container_name, undefined);
    assert.deepEqual(s.frontend!.ports, ['${APP_PORT:-8080}:80']);
    const networks = s.frontend!.networks as Record<string, { ipv4_address: string }>;
    const frontendIp = networks.internal!.ipv4_address;
    assert.equal(envOf(s.app!).TRUST_PROXY, frontendIp);
    const [pool] = base.networks!.internal!.ipam.config;
    const lastOctet = (ip: string) => Number(ip.split('/')[0]!.split('.')[3]);
    assert.equal(frontendIp.split('.').slice(0, 3).join('.'), pool!.subnet.split('.').slice(0, 3).join('.'));
    assert.ok(
      lastOctet(frontendIp) < lastOctet(pool!.ip_range),
      'the fixed address is outside the dynamic range',
    );
    assert.deepEqual(s.frontend!.build, {
      context: '.',
      dockerfile: 'deploy/Dockerfile',
      target: 'frontend',
    });
  });

  it('documents the commands it needs in the README', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.match(readme, /docker compose up -d --build/);
    assert.match(readme, /--scale app=/);
    assert.match(baseText, /^name: wealthtracker$/m);
  });
});

describe('docker-compose.production.yml', () => {
  const s = production.services;

  it('replaces the published ports by 80 and 443 and mounts the TLS site', () => {
    assert.deepEqual(s.frontend!.ports, ['80:80', '443:443']);
    const volumes = s.frontend!.volumes as string[];
    assert.ok(volumes.includes('./deploy/nginx/production.conf:/etc/nginx/conf.d/default.conf:ro'));
    for (const v of volumes.filter((x) => x.startsWith('./')))
      assert.ok(existsSync(path.join(REPO, v.split(':')[0]!)));
  });

  it('shares the certificates and the ACME webroot between certbot and nginx', () => {
    const frontend = s.frontend!.volumes as string[];
    const certbot = s.certbot!.volumes as string[];
    assert.ok(frontend.includes('letsencrypt:/etc/letsencrypt:ro'));
    assert.ok(frontend.includes('certbot-www:/var/www/certbot:ro'));
    assert.ok(certbot.includes('letsencrypt:/etc/letsencrypt'));
    assert.ok(certbot.includes('certbot-www:/var/www/certbot'));
    assert.deepEqual(Object.keys(production.volumes ?? {}).sort(), ['certbot-www', 'letsencrypt']);
    assert.match(s.certbot!.entrypoint!.join(' '), /certbot renew --webroot -w \/var\/www\/certbot/);
    assert.match(s.frontend!.command!.join(' '), /nginx -s reload/);

    const site = readFileSync(path.join(REPO, 'deploy/nginx/production.conf'), 'utf8');
    assert.match(site, /ssl_certificate \/etc\/letsencrypt\/live\/wealthtracker\/fullchain\.pem;/);
    assert.match(site, /root \/var\/www\/certbot;/);
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.match(
      readme,
      /--cert-name wealthtracker/,
      'the README issues the certificate under the name nginx expects',
    );
  });
});
