// The production build as deployed: dist/ with the config.json `npm run build` wrote (secure
// mode, this origin, no link overrides), served by the application server (`npm run serve`),
// which holds the secret and asks the local OpenVidu server behind it for tokens.
import { expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { startAppServer, type RunningAppServer } from '../../server/app/app-server.ts';
import { TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';
import { countPeerConnections, expectDecodingFrames, joinAndWaitForCall, leave, openPeerConnections, tileOf } from './call-page.ts';

let app: RunningAppServer;

test.beforeAll(async () => {
  app = await startAppServer({ openviduUrl: TEST_SERVER_URL, openviduSecret: TEST_SECRET, port: 0, host: '127.0.0.1', pageDir: 'dist', logger: () => {} });
});
test.afterAll(async () => {
  await app?.close();
});

/** A crafted link: another server, another secret, the insecure mode, and the inspector. */
const HOSTILE = new URLSearchParams({
  openviduUrl: 'http://localhost:9',
  openviduSecret: 'CRAFTED',
  tokenMode: 'openvidu',
  applicationServerUrl: 'http://localhost:9',
  inspect: '',
});

async function participant(browser: Browser, query: URLSearchParams): Promise<{ page: Page; requests: Request[]; popups: Page[] }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(countPeerConnections);
  const page = await context.newPage();
  const requests: Request[] = [];
  const popups: Page[] = [];
  page.on('request', (request) => requests.push(request));
  page.on('popup', (popup) => popups.push(popup));
  await page.goto(`${app.url}/?${query}`);
  return { page, requests, popups };
}

test('a production build ignores openviduUrl, openviduSecret, tokenMode, applicationServerUrl and ?inspect; ?session= still works', async ({ browser }) => {
  const query = new URLSearchParams(HOSTILE);
  query.set('session', 'ProdLink');
  const { page, requests, popups } = await participant(browser, query);

  await expect(page.getByLabel('Session')).toHaveValue('ProdLink');
  await joinAndWaitForCall(page, 'ProdLink', 'Alice');

  // Tokens came from this page's own application server, without any secret in the browser.
  const origin = new URL(app.url).origin;
  const api = requests.filter((r) => r.url().startsWith(`${origin}/api/`)).map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
  expect(api).toEqual(['POST /api/sessions', 'POST /api/sessions/ProdLink/connections']);
  for (const request of requests) {
    expect(request.url()).not.toContain('localhost:9');
    expect(await request.headerValue('authorization')).toBeNull();
  }
  // No inspector: no popup, and its chunk never loaded.
  expect(popups).toEqual([]);
  expect(requests.filter((r) => /\/assets\/inspect-/.test(r.url()))).toEqual([]);

  await leave(page);
  expect(await openPeerConnections(page)).toBe(0);
  await page.context().close();
});

test('secure mode end to end: two people join through the application server and see each other', async ({ browser }) => {
  const alice = (await participant(browser, new URLSearchParams())).page;
  const bob = (await participant(browser, new URLSearchParams())).page;
  await joinAndWaitForCall(alice, 'ProdCall', 'Alice');
  await joinAndWaitForCall(bob, 'ProdCall', 'Bob');
  await expectDecodingFrames(tileOf(alice, 'Bob'));
  await expectDecodingFrames(tileOf(bob, 'Alice'));
  await leave(bob);
  await leave(alice);
  await alice.context().close();
  await bob.context().close();
});

test('OpenVidu down behind the application server: the person is told the service is not available', async ({ browser }) => {
  const down = await startAppServer({ openviduUrl: 'http://127.0.0.1:9', openviduSecret: TEST_SECRET, port: 0, host: '127.0.0.1', pageDir: 'dist', logger: () => {} });
  try {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    await page.goto(down.url);
    await page.getByRole('button', { name: 'Join' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('You cannot join right now: the call service is not available. Try again in a moment.');
    await expect(alert).toContainText(`For the site's operator: the application server at ${down.url} answered 503`);
    await expect(alert).not.toContainText(TEST_SECRET);
    await context.close();
  } finally {
    await down.close();
  }
});

test('a config.json with an unknown tokenMode: a clear message on the page at once, and on Join', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"tokenMode":"applicaton-server"}' }));
  await page.goto(app.url);
  const notice = page.locator('#config-problem');
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('This call page is not set up correctly, so you cannot join a call from it yet.');
  await expect(notice).toContainText('tokenMode is "applicaton-server"');
  // The form is there and usable; Join says the same, and nothing was asked of any server.
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.locator('[data-error-kind]')).toContainText('tokenMode is "applicaton-server"');
  await context.close();
});

test('no config.json at all: a clear message, not a blank page', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await page.goto(app.url);
  await expect(page.locator('#config-problem')).toContainText('config.json answered with status 404');
  await expect(page.getByRole('button', { name: 'Join' })).toBeEnabled();
  await context.close();
});
