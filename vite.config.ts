// One config for the page (vite), its build, and the unit tests (vitest).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * openvidu-browser calls only `uuid.v4()`, but a CommonJS `require('uuid')` keeps every export of
 * uuid's browser build (v1, v3, v5, MD5, SHA-1: 3.3 kB gzip). Give it the same package's own v4
 * and nothing else.
 */
function uuidV4Only(): Plugin {
  const v4 = join(dirname(createRequire(import.meta.url).resolve('uuid/package.json')), 'dist/esm-browser/v4.js');
  const id = '\0uuid-v4-only';
  return {
    name: 'uuid-v4-only',
    apply: 'build',
    enforce: 'pre',
    resolveId: (source) => (source === 'uuid' ? id : undefined),
    load: (loading) => (loading === id ? `export { default as v4 } from ${JSON.stringify(v4)};` : undefined),
  };
}

/** The page's runtime settings (src/config.ts reads them from config.json beside index.html). */
export interface PageRuntimeConfig {
  tokenMode: string;
  openviduUrl?: string;
  openviduSecret?: string;
  applicationServerUrl?: string;
  allowLinkOverrides: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * `npm run dev` / `npm start`: the local server (npm start sets VITE_OPENVIDU_URL and
 * VITE_OPENVIDU_SECRET to the one it runs), in the tutorial's mode, and links may reconfigure it.
 */
export function devPageConfig(env: Env): PageRuntimeConfig {
  const openviduUrl = env.VITE_OPENVIDU_URL || 'http://localhost:4443';
  return {
    tokenMode: env.VITE_TOKEN_MODE || 'openvidu',
    openviduUrl,
    openviduSecret: env.VITE_OPENVIDU_SECRET || 'MY_SECRET',
    applicationServerUrl: env.VITE_APPLICATION_SERVER_URL || openviduUrl,
    allowLinkOverrides: true,
  };
}

/**
 * `npm run build`: only the named VITE_ settings. By default the secure mode against the page's
 * own origin (the application server, `npm run serve`, serves the page), links may not override
 * anything, and no secret: one is written only for the insecure mode, when asked for.
 */
export function buildPageConfig(env: Env): PageRuntimeConfig {
  const tokenMode = env.VITE_TOKEN_MODE || 'application-server';
  const allowLinkOverrides = env.VITE_ALLOW_LINK_OVERRIDES === 'true';
  if (tokenMode === 'openvidu') {
    return {
      tokenMode,
      openviduUrl: env.VITE_OPENVIDU_URL || 'http://localhost:4443',
      openviduSecret: env.VITE_OPENVIDU_SECRET || 'MY_SECRET',
      allowLinkOverrides,
    };
  }
  return { tokenMode, applicationServerUrl: env.VITE_APPLICATION_SERVER_URL || '', allowLinkOverrides };
}

/** Serves config.json in development and writes it into the build (dist/config.json). */
function runtimeConfig(): Plugin {
  // Vite's own view of the environment: the process's and .env files' VITE_ variables.
  let env: Env = process.env;
  return {
    name: 'runtime-config',
    configResolved(config) {
      env = config.env;
    },
    configureServer(server) {
      server.middlewares.use('/config.json', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-store');
        res.end(JSON.stringify(devPageConfig(env)));
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'config.json', source: `${JSON.stringify(buildPageConfig(env), null, 2)}\n` });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), uuidV4Only(), runtimeConfig()],
  publicDir: 'static',
  server: { port: 8080, strictPort: true },
  preview: { port: 8080, strictPort: true },
  // Pre-bundle the lazily imported library at start-up, so the first join in `npm start` does not
  // make the dev server discover it late and reload the page mid-join.
  optimizeDeps: { include: ['openvidu-browser'] },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Every browser that runs es2022 supports <link rel="modulepreload">: no polyfill.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The page's entry is one chunk: the form's own code (main.ts, the form's views, the
          // call's chart) and what it shares with every later screen (Svelte, XState), rather than
          // two or three that each pay their own compression overhead (0.8 kB gzip). The rest
          // splits by itself: the call screens, the call's child machines and selectors, the config
          // reader, the token code, the OpenVidu actors, openvidu-browser and the inspector each
          // load when needed. Left out of the group, so they load with the screens that use them
          // (the lazy barrel below lets them): Svelte's list and size-binding code, which the form
          // does not use. (Svelte's select-value and style helpers would stay in the entry whatever
          // the group says, because a module the form needs imports them: DeviceSelect.svelte and
          // CallView.svelte write those two properties themselves.)
          groups: [
            {
              name: 'app',
              test: (id: string) =>
                !/svelte[\\/]src[\\/]internal[\\/]client[\\/]dom[\\/](blocks[\\/](each|key)|elements[\\/]bindings[\\/]size)\.js$/.test(id) &&
                /node_modules[\\/](svelte|xstate|@xstate[\\/]svelte)[\\/]|vite[\\/]preload-helper|[\\/]machines[\\/](?!call\.(children|selectors)\.|devices\.|screen-share\.|stream\.)|[\\/]src[\\/](main|load-once|session-link|deferred-logic|room-location|inspect[\\/]gate|openvidu[\\/](device-choice|preview\.actor)|views[\\/]call-screens)\.ts$|[\\/]src[\\/]views[\\/](App|JoinForm|DeviceToggle)\.svelte$/.test(id),
            },
          ],
        },
      },
      // Imports through a side-effect-free barrel go straight to the module that defines the
      // name, so a module only the call screens use is not loaded with the form because the
      // barrel (Svelte's internal/client index, marked side-effect free below) re-exports it.
      experimental: { lazyBarrel: true },
      treeshake: {
        // @statelyai/inspect's index also holds its Sky and WebSocket inspectors, which we never
        // use; these dependencies of theirs have no side effects of their own to keep
        // (6.5 kB gzip of the ?inspect chunk). Svelte's internal/client index only re-exports
        // (see lazyBarrel above).
        moduleSideEffects: (id: string) =>
          !/svelte[\\/]src[\\/]internal[\\/]client[\\/]index\.js$/.test(id) &&
          !/node_modules[\\/](superjson|safe-stable-stringify|copy-anything|is-what|partysocket|isomorphic-ws)[\\/]/.test(id),
      },
    },
  },
  resolve: {
    // openvidu-browser uses `mime` once, for the file extension of a LocalRecorder download
    // (video/webm, video/mp4): the package's own standard-types build answers that in 2.8 kB
    // gzip instead of 10.4.
    alias: [{ find: /^mime$/, replacement: 'mime/lite' }],
    // Under vitest, Svelte must resolve to its browser build (not the server one) for components.
    ...(process.env.VITEST ? { conditions: ['module', 'browser', 'development|production'] } : {}),
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Server tests start real servers on free ports; keep files from starving each other.
    fileParallelism: true,
    testTimeout: 20_000,
  },
});
