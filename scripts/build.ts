/**
 * Builds what `node dist/server/main.js` runs: the server transpiled file by file by esbuild into
 * dist/server and dist/common (the same layout tsc would write: the migrations are found relative
 * to the files), and the pages by Vite into dist/web. Types are not checked here but by
 * `npm run typecheck`, part of `npm test`: checking them took most of the ~50 s a start cost.
 *
 *   tsx scripts/build.ts [server|web]            build both parts, or the one named
 *   tsx scripts/build.ts --changed [server|web]  only a part whose inputs changed since its last build
 *
 * A part is "unchanged" when a hash of its input files' paths and contents equals the one written
 * after its last build (dist/.build-inputs.json): contents, not times, so a checkout or a copy that
 * touches every file costs nothing and an edit undone costs nothing either.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const STAMP = path.join(ROOT, 'dist/.build-inputs.json');
const SELF = 'scripts/build.ts';

interface Part {
  /** Files and folders (walked) whose contents decide the output. */
  inputs: string[];
  build(): Promise<void>;
}

const parts: Record<'server' | 'web', Part> = {
  server: {
    inputs: ['src/server', 'src/common', 'tsconfig.json', 'package-lock.json', SELF],
    async build() {
      const esbuild = await import('esbuild');
      rmSync(path.join(ROOT, 'dist/server'), { recursive: true, force: true });
      rmSync(path.join(ROOT, 'dist/common'), { recursive: true, force: true });
      await esbuild.build({
        absWorkingDir: ROOT,
        entryPoints: ['src/server/**/*.ts', 'src/common/**/*.ts'],
        outbase: 'src',
        outdir: 'dist',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: true,
        logLevel: 'warning',
      });
    },
  },
  web: {
    inputs: ['src/web', 'src/common', 'vite.config.ts', 'tsconfig.json', 'package-lock.json', SELF],
    async build() {
      const vite = await import('vite');
      await vite.build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
    },
  },
};

function files(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(path.join(entry, name)));
}

function inputsHash(part: Part): string {
  const hash = createHash('sha256');
  for (const file of part.inputs.flatMap(files)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

function readStamp(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

const args = process.argv.slice(2);
const onlyChanged = args.includes('--changed');
const named = (['server', 'web'] as const).filter((name) => args.includes(name));
const stamp = readStamp();
mkdirSync(path.dirname(STAMP), { recursive: true });
const outputs = { server: 'dist/server/main.js', web: 'dist/web/index.html' };
for (const name of named.length > 0 ? named : (['server', 'web'] as const)) {
  const part = parts[name];
  const hash = inputsHash(part);
  if (onlyChanged && stamp[name] === hash && existsSync(path.join(ROOT, outputs[name]))) continue;
  const started = performance.now();
  // The stamp goes first: a build that stops half-way leaves a hash that matches nothing.
  delete stamp[name];
  writeFileSync(STAMP, JSON.stringify(stamp));
  await part.build();
  stamp[name] = hash;
  writeFileSync(STAMP, JSON.stringify(stamp));
  console.log(`built ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
