import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { PASSWORD } from './household.js';
import { CHROMIUM } from '../test/e2e/browser.js';

export interface PageSize {
  page: string;
  /** Every script the page can load: its entry, shared chunks and lazy chunks (charts). */
  jsRaw: number;
  jsGzip: number;
  /** Scripts loaded before the first render: the entry and its static imports. */
  initialJsGzip: number;
  cssRaw: number;
  cssGzip: number;
}

/** Builds the pages with the project's Vite config into `outDir` (not dist/web, which others may be serving). */
export function buildPages(outDir: string): void {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    {
      stdio: 'inherit',
    },
  );
}

const gzip = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const raw = (file: string) => readFileSync(file).length;
const quoted = /["'`](?:\.\/|\/?assets\/)([\w.-]+\.js)["'`]/g;
const staticImport = /(?:from|import)\s*["'`]\.\/([\w.-]+\.js)["'`]/g;

export function pageSizes(webDir: string): PageSize[] {
  const assets = path.join(webDir, 'assets');
  const pages = readdirSync(webDir).filter((f) => f.endsWith('.html'));
  return pages.map((html) => {
    const source = readFileSync(path.join(webDir, html), 'utf8');
    const entries = [...source.matchAll(/src="\/assets\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
    const css = [...source.matchAll(/href="\/assets\/([\w.-]+\.css)"/g)].map((m) => m[1]!);
    const walk = (start: string[], pattern: RegExp) => {
      const seen = new Set<string>();
      const queue = [...start];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        const code = readFileSync(path.join(assets, file), 'utf8');
        for (const m of code.matchAll(pattern)) queue.push(m[1]!);
      }
      return [...seen].map((f) => path.join(assets, f));
    };
    const all = walk(entries, quoted);
    const initial = walk(entries, staticImport);
    const cssFiles = css.map((f) => path.join(assets, f));
    const total = (files: string[], size: (f: string) => number) => files.reduce((s, f) => s + size(f), 0);
    return {
      page: html.replace(/\.html$/, ''),
      jsRaw: total(all, raw),
      jsGzip: total(all, gzip),
      initialJsGzip: total(initial, gzip),
      cssRaw: total(cssFiles, raw),
      cssGzip: total(cssFiles, gzip),
    };
  });
}

export interface RenderTime {
  page: string;
  /** First contentful paint, from the start of navigation (median of the runs). */
  firstPaintMs: number;
  /** Navigation start to no network activity: the page has fetched and shown its data. */
  settledMs: number;
}

/**
 * Each page opened cold (a new browser context: empty cache) in headless Chromium against the app
 * on loopback, logged in as the household so the pages load their real data.
 */
export async function renderTimes(
  baseUrl: string,
  pages: string[],
  email: string,
  runs = 3,
): Promise<RenderTime[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  try {
    const results: RenderTime[] = [];
    for (const page of pages) {
      const paints: number[] = [];
      const settled: number[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({
          baseURL: baseUrl,
          viewport: { width: 1280, height: 860 },
        });
        if (page !== 'login') {
          const res = await context.request.post('/api/auth/login', { data: { email, password: PASSWORD } });
          if (!res.ok()) throw new Error(`login for the render test answered ${res.status()}`);
        }
        const tab = await context.newPage();
        const started = performance.now();
        await tab.goto(`/${page}.html`, { waitUntil: 'networkidle' });
        settled.push(performance.now() - started);
        paints.push(
          await tab.evaluate(
            () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
          ),
        );
        await context.close();
      }
      results.push({ page, firstPaintMs: median(paints), settledMs: median(settled) });
    }
    return results;
  } finally {
    await browser.close();
  }
}
