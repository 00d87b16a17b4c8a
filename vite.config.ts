import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

// One HTML entry per page, each with its own small bundle.
const pages = ['index', 'login', 'budget', 'obligations', 'settings', 'dashboard'];
const outDir = resolve(import.meta.dirname, 'dist/web');

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every script, style and page, compressed
 * once at the strongest levels: the app and nginx send them as they are to browsers that accept
 * them, spending no CPU per request.
 */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    closeBundle() {
      for (const name of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
        if (!/\.(js|css|html|svg)$/.test(name)) continue;
        const file = join(outDir, name);
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/web'),
  publicDir: false,
  plugins: [precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    rollupOptions: { input: Object.fromEntries(pages.map((p) => [p, resolve(import.meta.dirname, `src/web/${p}.html`)])) },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' } },
});
