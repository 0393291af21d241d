// The Stately inspector, offline: https://stately.ai/** is routed to a stub that answers
// `@statelyai.connected` and records what the page sends it (see inspector-stub.ts).
import { expect, test, type Request } from '@playwright/test';
import { callPageUrl, joinAndWaitForCall, leave, openParticipant, tileOf } from '../e2e/call-page.ts';
import { TEST_SECRET } from '../support/ports.ts';
import { callActorId, callActorSnapshots, received, stubInspector, type InspectorMessage } from './inspector-stub.ts';

const uniqueSession = (name: string) => `${name}${Date.now()}`;

test('?inspect streams the call machine, its snapshots through a join and leave, and each stream actor, with no token or secret', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const session = uniqueSession('Inspect');
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await stubInspector(context);
  const alice = await context.newPage();
  const popupOpened = alice.waitForEvent('popup');
  await alice.goto(callPageUrl({ inspect: '' }));
  const popup = await popupOpened;
  expect(popup.url()).toBe('https://stately.ai/inspect');

  await joinAndWaitForCall(alice, session, 'Alice');
  const bob = await openParticipant(browser);
  await joinAndWaitForCall(bob, session, 'Bob');
  await expect(tileOf(alice, 'Bob')).toBeVisible();
  await leave(alice);

  // The form's state: its camera and microphone regions (both on here).
  const FORM = '{"idle":{"camera":"on","microphone":"on"}}';
  let messages: InspectorMessage[] = [];
  await expect
    .poll(async () => {
      messages = await received(popup);
      return callActorSnapshots(messages).some((s) => JSON.stringify(s.value) === FORM && messages.indexOf(messages.find((m) => m.snapshot === s)!) > 0)
        ? callActorSnapshots(messages).map((s) => JSON.stringify(s.value)).join(' → ')
        : 'waiting';
    })
    .toContain(FORM);
  messages = await received(popup);

  await test.step('the call machine is registered first, with its definition', () => {
    const first = messages.find((m) => m.type === '@xstate.actor');
    expect(first?.name).toBe('call');
    expect(first?.parentId).toBeUndefined();
    const definition = JSON.parse(first?.definition ?? '{}') as { id: string; initial: string; states: Record<string, { states?: Record<string, unknown> }> };
    expect(definition.id).toBe('call');
    expect(definition.initial).toBe('idle');
    expect(Object.keys(definition.states).sort()).toEqual(['ended', 'failed', 'fetchingToken', 'idle', 'session']);
    expect(Object.keys(definition.states.session?.states ?? {}).sort()).toEqual([
      'connecting',
      'inCall',
      'leaving',
      'publishFailed',
      'publishing',
    ]);
  });

  await test.step('its snapshots follow the join and the leave', () => {
    const values = callActorSnapshots(messages).map((s) => JSON.stringify(s.value));
    const expected = [
      FORM,
      '"fetchingToken"',
      '{"session":"connecting"}',
      '{"session":"publishing"}',
      '{"session":{"inCall":"live"}}',
      '{"session":"leaving"}',
      FORM,
    ];
    // In this order, with nothing else between them but the call's own updates (Bob's stream).
    const distinct = values.filter((v, i) => v !== values[i - 1]);
    expect(distinct).toEqual(expected);
    const inCall = callActorSnapshots(messages).find((s) => (s.context?.remoteStreams as unknown[] | undefined)?.length === 1);
    expect(inCall?.context).toMatchObject({ sessionName: session, nickname: 'Alice' });
  });

  await test.step("Bob's stream gets an actor of its own, registered under the call", () => {
    const callId = callActorId(messages);
    const stream = messages.find((m) => m.type === '@xstate.actor' && m.parentId === callId && m.name?.startsWith('stream:'));
    expect(stream, 'a stream actor registration').toBeDefined();
    expect(JSON.parse(stream?.definition ?? '{}')).toMatchObject({ id: 'stream', initial: 'active' });
    const streamSnapshots = messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === stream?.sessionId);
    expect(streamSnapshots.some((m) => JSON.stringify(m.snapshot?.value) === '{"active":"playing"}')).toBe(true);
    expect(streamSnapshots.at(0)?.snapshot?.context).toMatchObject({ nickname: 'Bob' });
  });

  await test.step('what was sent is plain JSON, and carries no token and no secret', () => {
    for (const message of messages) expect(JSON.parse(JSON.stringify(message))).toEqual(message);
    const text = JSON.stringify(messages);
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toMatch(/tok_[A-Za-z0-9]/);
    expect(text).not.toMatch(/token=(?!\*\*\*)/);
    // Masked where they were: the token the fetch returned, and the one the connect step got.
    const done = messages.find((m) => m.type === '@xstate.event' && m.event?.type === 'xstate.done.actor.fetchToken');
    expect(String(done?.event?.output)).toMatch(/[?&]token=\*\*\*$/);
    const connectActor = messages.find((m) => m.type === '@xstate.actor' && m.name === 'connect');
    expect(connectActor?.snapshot).toMatchObject({ input: { token: '***', nickname: 'Alice' } });
  });

  await bob.context().close();
  await context.close();
});

test('without ?inspect nothing opens, nothing loads, and nothing is sent', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  // What the inspector would use, watched where it would go: the same recording stub as above at
  // stately.ai (every request to it counted), every window the page opens (window.open and any
  // page of the context besides this one), and every postMessage to a window it opened: the
  // inspector's adapter posts through the popup's window, never the page's own.
  const toInspector: string[] = [];
  await stubInspector(context);
  context.on('request', (request) => {
    if (request.url().startsWith('https://stately.ai/')) toInspector.push(request.url());
  });
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  const otherPages: string[] = [];
  context.on('page', (opened) => otherPages.push(opened.url()));
  const opened: { url: string; posted: unknown[] }[] = [];
  await page.exposeFunction('__recordOpen', (url: string) => opened.push({ url, posted: [] }));
  await page.exposeFunction('__recordPost', (index: number, data: unknown) => opened[index]?.posted.push(data));
  await page.addInitScript(() => {
    const w = window as unknown as { __recordOpen: (url: string) => void; __recordPost: (i: number, m: unknown) => void };
    const open = window.open.bind(window);
    let count = 0;
    window.open = ((...args: Parameters<typeof window.open>) => {
      const index = count++;
      void w.__recordOpen(String(args[0] ?? ''));
      const child = open(...args);
      if (child) {
        const post = child.postMessage.bind(child);
        child.postMessage = ((message: unknown, ...rest: [string]) => {
          void w.__recordPost(index, message);
          return post(message, ...rest);
        }) as typeof child.postMessage;
      }
      return child;
    }) as typeof window.open;
  });
  await page.goto(callPageUrl());
  const session = uniqueSession('NoInspect');
  await joinAndWaitForCall(page, session, 'Alice');
  await leave(page);

  expect(opened).toEqual([]);
  expect(otherPages).toEqual([]);
  expect(toInspector).toEqual([]);
  expect(requests.map((r) => r.url()).filter((url) => /\/assets\/inspect-/.test(url))).toEqual([]);
  await context.close();
});
