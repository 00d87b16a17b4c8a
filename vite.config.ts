import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// One HTML entry per page, each with its own small bundle.
const pages = ['index', 'login', 'budget', 'obligations', 'settings', 'dashboard'];

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/web'),
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    rollupOptions: { input: Object.fromEntries(pages.map((p) => [p, resolve(import.meta.dirname, `src/web/${p}.html`)])) },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' } },
});
