// The browser tests' page server: `vite preview` of the production build (dist/), with a
// config.json for the tests in place of the build's own: the test server's URL and secret, and
// link overrides on, so each test can point the page elsewhere (a wrong secret, a server that is
// down). dist/ itself is not touched: tests/e2e/production.spec.ts serves it as it was built.
import { preview, type Plugin } from 'vite';
import { TEST_PAGE_PORT, TEST_SECRET, TEST_SERVER_URL } from './ports.ts';

export const TEST_PAGE_CONFIG = {
  tokenMode: 'openvidu',
  openviduUrl: TEST_SERVER_URL,
  openviduSecret: TEST_SECRET,
  applicationServerUrl: TEST_SERVER_URL,
  allowLinkOverrides: true,
};

const testConfig: Plugin = {
  name: 'test-page-config',
  configurePreviewServer(server) {
    server.middlewares.use('/config.json', (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
      res.end(JSON.stringify(TEST_PAGE_CONFIG));
    });
  },
};

const server = await preview({ plugins: [testConfig], preview: { port: TEST_PAGE_PORT, strictPort: true } });
server.printUrls();
