// Browser tests: the real page (the production build, served by `vite preview`) and the unmodified
// openvidu-browser, in real Chromium with a fake camera and microphone, against the real local
// OpenVidu server started here with loopback-only ICE and its test controls on.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './tests/support/chromium.ts';
import { TEST_PAGE_URL, TEST_SECRET, TEST_SERVER_PORT, TEST_SERVER_URL } from './tests/support/ports.ts';

const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: './tests',
  testMatch: /(e2e|conformance|model)\/.*\.spec\.ts$/,
  globalSetup: './tests/support/global-setup.ts',
  outputDir: process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results',
  // Media is heavy on a 2-core machine: one test file at a time keeps frame rates honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: TEST_PAGE_URL,
    permissions: ['camera', 'microphone'],
    trace: 'retain-on-failure',
    launchOptions: {
      args: CHROMIUM_ARGS,
      ...(executablePath ? { executablePath } : {}),
    },
  },
  webServer: [
    {
      command: `npx tsx server/main.ts --port ${TEST_SERVER_PORT} --secret ${TEST_SECRET} --loopback-only --test-controls`,
      url: `${TEST_SERVER_URL}/openvidu/api/config/openvidu-publicurl`,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      timeout: 30_000,
    },
    {
      // `vite preview` of dist/, serving a config.json that points at the server above.
      command: 'npx tsx tests/support/test-page-server.ts',
      url: TEST_PAGE_URL,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
