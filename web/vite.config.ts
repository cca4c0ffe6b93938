import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { initialScriptSize } from './build/initial-size';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.PARLEY_API_URL ?? 'http://127.0.0.1:3000';

/**
 * The agent app. No React plugin: esbuild compiles JSX (automatic runtime), which is all the build needs; the
 * dev server reloads the page on change instead of hot-swapping components.
 */
export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The server serves the app only when this manifest exists (src/http/web-app.ts).
    manifest: true,
    // No inline modulepreload polyfill: the CSP allows only 'self' scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      // React Server Components' "use client" markers mean nothing in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [initialScriptSize({ limitBytes: 300 * 1024 })],
  server: {
    proxy: {
      '/api': api,
      '/sandbox': api,
      '/media': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
