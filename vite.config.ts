// One config for the page (vite), its build, and the unit tests (vitest).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  publicDir: 'static',
  server: { port: 8080, strictPort: true },
  preview: { port: 8080, strictPort: true },
  // Pre-bundle the lazily imported library at start-up, so the first join in `npm start` does not
  // make the dev server discover it late and reload the page mid-join.
  optimizeDeps: { include: ['openvidu-browser'] },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
  // Under vitest, Svelte must resolve to its browser build (not the server one) for components.
  resolve: process.env.VITEST ? { conditions: ['module', 'browser', 'development|production'] } : {},
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Server tests start real servers on free ports; keep files from starving each other.
    fileParallelism: true,
    testTimeout: 20_000,
  },
});
