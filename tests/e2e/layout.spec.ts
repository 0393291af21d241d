// A layout that fits, and a speaker view that follows who speaks, through the real page and the
// local server. Geometry, not screenshots: tile sizes, what lies inside the viewport, whether the
// page or the grid scrolls, touch targets. To stay cheap, one page resizes its viewport through
// the sizes, and the other people are light: Node clients on the server's JSON-RPC with no media
// (the page shows them as name cards), and one that publishes a stream with no media in it.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { RpcClient, publish } from '../server/helpers.ts';
import { TEST_SECRET, TEST_SERVER_URL } from '../support/ports.ts';
import { join, joinAndWaitForCall, mainVideo, openParticipant, tileOf } from './call-page.ts';

const uniqueSession = (name: string) => `${name}_${Date.now()}`;
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const LONG_NAME = 'Maximiliana Fernández-Oyelaran de la Cruz';
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe finds nothing in either colour scheme (the Layout buttons, a grid that scrolls, name cards). */
async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${what}, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Someone in the call with no camera and no microphone: a JSON-RPC client of the server, kept alive by pings. */
async function lightParticipant(session: string, nickname: string) {
  const auth = { Authorization: `Basic ${Buffer.from(`OPENVIDUAPP:${TEST_SECRET}`).toString('base64')}`, 'Content-Type': 'application/json' };
  const created = await fetch(`${TEST_SERVER_URL}/openvidu/api/sessions`, { method: 'POST', headers: auth, body: JSON.stringify({ customSessionId: session }) });
  expect([200, 409]).toContain(created.status);
  const connection = await fetch(`${TEST_SERVER_URL}/openvidu/api/sessions/${session}/connection`, { method: 'POST', headers: auth, body: '{}' });
  expect(connection.status).toBe(200);
  const { token } = (await connection.json()) as { token: string };
  const client = await RpcClient.open(`${new URL(token).origin.replace(/^http/, 'ws')}/openvidu`);
  await client.join(token, nickname);
  const pings = setInterval(() => void client.call('ping', { interval: 5000 }).catch(() => undefined), 4000);
  return {
    client,
    close: () => {
      clearInterval(pings);
      client.close();
    },
  };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the call looks like now, in numbers. */
function measure(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element | null): Box => {
      const r = el?.getBoundingClientRect() ?? { x: NaN, y: NaN, width: NaN, height: NaN };
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const grid = document.querySelector('.tiles') as HTMLElement;
    const scroller = document.scrollingElement as HTMLElement;
    const buttons = [...document.querySelectorAll<HTMLButtonElement>('.call button')].filter((b) => b.getClientRects().length > 0);
    return {
      viewport: { width: innerWidth, height: innerHeight },
      page: { scrollHeight: scroller.scrollHeight, scrollWidth: scroller.scrollWidth },
      tiles: [...document.querySelectorAll('.tiles > li')].map(box),
      grid: { ...box(grid), scrollHeight: grid.scrollHeight, clientHeight: grid.clientHeight },
      main: document.querySelector('.stage .video-tile.main') ? box(document.querySelector('.stage .video-tile.main')) : null,
      leave: box([...buttons].find((b) => b.textContent?.trim() === 'Leave') ?? null),
      buttons: buttons.map((b) => ({ name: b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '', ...box(b) })),
      ownTiles: document.querySelectorAll('[data-media-key="self"].video-tile').length,
    };
  });
}
type Measures = Awaited<ReturnType<typeof measure>>;

const inside = (b: Box, area: { x?: number; y?: number; width: number; height: number }) =>
  b.x >= (area.x ?? 0) - 0.5 &&
  b.y >= (area.y ?? 0) - 0.5 &&
  b.x + b.width <= (area.x ?? 0) + area.width + 0.5 &&
  b.y + b.height <= (area.y ?? 0) + area.height + 0.5;

/** What is wrong with the layout on screen: [] when all is well. */
function problems(m: Measures, layout: 'grid' | 'speaker', people: number, phone: boolean): string[] {
  const found: string[] = [];
  const vp = m.viewport;
  if (m.page.scrollHeight > vp.height) found.push(`the page scrolls: ${m.page.scrollHeight} > ${vp.height}`);
  if (m.page.scrollWidth > vp.width) found.push(`the page scrolls sideways: ${m.page.scrollWidth} > ${vp.width}`);
  if (!inside(m.leave, vp)) found.push(`Leave is not inside the viewport: ${JSON.stringify(m.leave)}`);
  if (m.tiles.length !== people) found.push(`${m.tiles.length} tiles for ${people} people`);
  if (phone) {
    for (const b of m.buttons) {
      if (b.width < 44 || b.height < 44) found.push(`"${b.name}" is ${b.width}×${b.height}, under 44 px`);
    }
  }
  if (layout === 'grid') {
    if (m.main) found.push('a video is large in the grid');
    if (m.ownTiles !== 1) found.push(`your own video is shown ${m.ownTiles} times`);
    const [first] = m.tiles;
    for (const t of m.tiles) {
      if (first && (Math.abs(t.width - first.width) > 1 || Math.abs(t.height - first.height) > 1)) {
        found.push(`tiles differ in size: ${t.width}×${t.height} and ${first.width}×${first.height}`);
      }
      if (t.x < m.grid.x - 0.5 || t.x + t.width > m.grid.x + m.grid.width + 0.5) found.push(`a tile is outside the grid sideways: ${JSON.stringify(t)}`);
    }
    if (!inside(m.grid, vp)) found.push(`the grid is not inside the viewport: ${JSON.stringify(m.grid)}`);
    const scrolls = m.grid.scrollHeight > m.grid.clientHeight + 1;
    if (phone && people > 4) {
      if (!scrolls) found.push(`${people} people on a phone: the grid does not scroll inside itself`);
      if (first && first.width < 150) found.push(`tiles shrank to ${first.width} px wide instead of scrolling`);
    } else {
      if (scrolls) found.push(`the grid scrolls with ${people} people`);
      for (const t of m.tiles) if (!inside(t, vp)) found.push(`a tile is outside the viewport: ${JSON.stringify(t)}`);
    }
  } else {
    if (!m.main) found.push('no video is large in the speaker view');
    else {
      if (!inside(m.main, vp)) found.push(`the large video is not inside the viewport: ${JSON.stringify(m.main)}`);
      const strip = m.tiles[0];
      if (strip && m.main.width * m.main.height <= strip.width * strip.height) found.push('the large video is not larger than the strip tiles');
    }
    if (!(m.grid.x >= -0.5 && m.grid.x + m.grid.width <= vp.width + 0.5 && m.grid.y + m.grid.height <= vp.height + 0.5)) {
      found.push(`the strip is not inside the viewport: ${JSON.stringify(m.grid)}`);
    }
  }
  return found;
}

test('grid and speaker views fit a desktop and a phone with 1, 2, 4 and 9 people', async ({ browser }) => {
  test.setTimeout(150_000);
  const session = uniqueSession('Layout');
  const page = await openParticipant(browser);
  const others: Awaited<ReturnType<typeof lightParticipant>>[] = [];
  try {
    await joinAndWaitForCall(page, session, 'Alice');
    const names = [LONG_NAME, 'Bea', 'Cy', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal'];
    const checked: string[] = [];
    for (const people of [1, 2, 4, 9]) {
      while (others.length < people - 1) others.push(await lightParticipant(session, names[others.length] as string));
      await expect(page.getByText(people === 1 ? 'Only you are in the call' : `${people} people in the call`)).toBeVisible({ timeout: 20_000 });
      for (const [sizeName, size] of Object.entries(SIZES)) {
        await page.setViewportSize(size);
        for (const layout of ['grid', 'speaker'] as const) {
          await page.getByRole('group', { name: 'Layout' }).getByRole('button', { name: layout === 'grid' ? 'Grid' : 'Speaker' }).click();
          await expect(page.getByRole('button', { name: layout === 'grid' ? 'Grid' : 'Speaker' })).toHaveAttribute('aria-pressed', 'true');
          await expect
            .poll(async () => problems(await measure(page), layout, people, sizeName === 'phone'), {
              message: `${layout} view, ${sizeName}, ${people} people`,
              timeout: 10_000,
            })
            .toEqual([]);
          checked.push(`${sizeName} ${size.width}x${size.height} | ${people} | ${layout}`);
          if (people === 9) await expectAccessible(page, `${layout} view, ${sizeName}, 9 people`);
        }
        if (people === 9 && sizeName === 'phone') {
          // The grid scrolls inside itself: the last person can be scrolled into view, the page stays put.
          await page.getByRole('button', { name: 'Grid' }).click();
          const last = page.locator('.tiles > li').last();
          await last.scrollIntoViewIfNeeded();
          await expect.poll(() => last.evaluate((li) => {
            const r = li.getBoundingClientRect();
            return r.bottom <= innerHeight && r.top >= 0 && document.scrollingElement!.scrollTop === 0;
          })).toBe(true);
        }
      }
      if (people >= 2) {
        // The long name is cut with an ellipsis, never to uselessness: a good part shows, and all of it is there to read.
        const name = page.locator('.tiles .person-tile .nickname', { hasText: LONG_NAME });
        await expect(name).toHaveAttribute('title', LONG_NAME);
        expect(await name.evaluate((el) => (el.closest('figcaption') as HTMLElement).clientWidth)).toBeGreaterThanOrEqual(100);
      }
    }
    console.log(`\nlayout checks: size | people | view\n${checked.join('\n')}`);
  } finally {
    for (const other of others) other.close();
    await page.context().close();
  }
});

/** An init script: the browser refuses camera and microphone (the person joins to watch). */
function refuseDevices(): void {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
}

test('the speaker view follows who speaks, unless someone is pinned', async ({ browser }) => {
  test.setTimeout(120_000);
  const session = uniqueSession('Follow');
  // Bob watches without camera and microphone.
  const bob = await openParticipant(browser);
  await bob.context().addInitScript(refuseDevices);
  await bob.reload();
  await join(bob, session, 'Bob');
  await bob.locator('.publish-failed').getByRole('button', { name: /^Join without/ }).click();
  await expect(bob.getByRole('heading', { name: session, exact: true })).toBeVisible({ timeout: 30_000 });
  // Carol publishes a stream with no sound in it: the first remote video on Bob's page.
  const carol = await lightParticipant(session, 'Carol');
  const carolStream = await publish(carol.client);
  await expect(tileOf(bob, 'Carol')).toBeVisible({ timeout: 20_000 });
  await expect(mainVideo(bob).locator('.nickname')).toHaveText('Carol');
  // Alice's fake microphone plays a steady tone: she speaks, and comes after Carol.
  const alice = await openParticipant(browser);
  try {
    await joinAndWaitForCall(alice, session, 'Alice');
    await expect(tileOf(bob, 'Alice').getByText('Speaking', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Alice');

    // Pinned: Carol stays large while Alice goes on speaking.
    const pinCarol = tileOf(bob, 'Carol').getByRole('button', { name: 'Show Carol as the main video' });
    await pinCarol.click();
    await expect(pinCarol).toHaveAttribute('aria-pressed', 'true');
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Carol');
    await expect(tileOf(bob, 'Alice').getByText('Speaking', { exact: true })).toBeVisible();
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Carol');
    // Unpinned: the large video follows the speaker again.
    await pinCarol.click();
    await expect(pinCarol).toHaveAttribute('aria-pressed', 'false');
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Alice');

    // In the grid, nobody is large; a click on a tile pins it and opens the speaker view.
    await bob.getByRole('button', { name: 'Grid', exact: true }).click();
    await expect(mainVideo(bob)).toHaveCount(0);
    await pinCarol.click();
    await expect(bob.getByRole('button', { name: 'Speaker', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(mainVideo(bob).locator('.nickname')).toHaveText('Carol');
  } finally {
    await carolStream.pc.close();
    carol.close();
    await alice.context().close();
    await bob.context().close();
  }
});
