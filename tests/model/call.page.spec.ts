// The model's paths against the real page: Chromium with a fake camera, the real local server,
// the unmodified openvidu-browser. Rather than every path (each join costs seconds), a covering
// set: a few long paths, each checked against the model step by step, that together take every
// transition of the machine.
// The two 20 s timeouts run side by side, in two pages.
import { chromium, test, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium.ts';
import { fixture as f, walkModel, type ModelEvent } from './call.model.ts';
import { readCoverage, writeCoverage } from './coverage.ts';
import { runPagePath, type Browsers, type PageRunResult } from './page-driver.ts';
import type { ScreenPlan } from './screen-share.model.ts';

// The steps every join starts with, named once: the paths below read as what happens after them.
const tokenGot: ModelEvent[] = [f('user.join'), f('xstate.done.actor.fetchToken')];
const connected: ModelEvent[] = [...tokenGot, f('xstate.done.actor.connect')];
const joined: ModelEvent[] = [...connected, f('xstate.done.actor.publish')];
const left: ModelEvent[] = [f('user.leave'), f('xstate.done.actor.leave')];

/** The covering set, as events; walkModel checks each against the model before anything runs. */
export const PAGE_PATHS = {
  // The socket is dropped last, once no media flows: reconnecting with live peer connections
  // on a loaded machine may add real ICE warnings (as notices) the path did not ask for.
  'a call with another person: tiles, speaking, chat, main video and layout, notices, a forced unpublish, a dropped socket, leave': [
    ...joined,
    f('session.connectionCreated'),
    f('session.streamCreated'),
    f('session.speakingChanged'),
    f('user.openChat'),
    f('user.sendChat'),
    f('session.chatReceived'),
    f('user.closeChat'),
    f('session.chatReceived'),
    // Bob turns his microphone, then his camera off; Alice turns hers off and on again.
    f('session.streamPropertyChanged', 0),
    f('session.streamPropertyChanged', 1),
    f('user.toggleMicrophone'),
    f('user.toggleCamera'),
    f('user.toggleMicrophone'),
    f('user.toggleCamera'),
    // Bob is large by default; Alice pins Bob, then herself, unpins, looks at the grid (a click
    // there pins Bob and opens the speaker view), and goes back to the speaker view.
    f('user.selectMain', 0),
    f('user.selectMain', 2),
    f('user.selectMain', 1),
    f('user.setLayout', 0),
    f('user.selectMain', 0),
    f('user.setLayout', 0),
    f('user.selectMain', 1),
    f('user.setLayout', 1),
    f('session.exception'),
    f('user.dismissNotice'),
    f('session.streamDestroyed'),
    f('session.connectionDestroyed'),
    f('publisher.streamDestroyed'),
    f('user.dismissNotice'),
    f('session.reconnecting'),
    f('session.reconnected'),
    ...left,
  ],
  // On the form: the camera off, on and off again, the microphone off; the call starts with both
  // off (the devices actor's regions start there), the camera is turned on in the call; back on
  // the form both are still off as chosen, and the microphone is turned on again.
  'camera and microphone off before joining: the call starts with both off, the camera turned on in it; the form keeps the choice': [
    f('user.toggleCamera'),
    f('user.toggleMicrophone'),
    f('user.toggleCamera'),
    f('user.toggleCamera'),
    ...joined,
    f('user.toggleCamera'),
    ...left,
    f('user.toggleMicrophone'),
  ],
  'joins that fail: a bad form, a refused secret, a cancelled token request, a revoked token': [
    f('user.join', 1),
    f('user.join'),
    f('xstate.error.actor.fetchToken'),
    f('user.retry'),
    f('user.leave'),
    ...tokenGot,
    f('xstate.error.actor.connect'),
    f('user.dismiss'),
  ],
  // Evicted and closed while publishing nothing: with a camera published, openvidu-browser
  // first reports the publisher's stream destroyed (reason forceDisconnectByServer), which the
  // session actor passes on as publisher.streamDestroyed (reported on issue 4).
  'refused devices: retry, join without the camera; evicted, rejoin; join with nothing, evicted, rejoin, closed': [
    ...connected,
    f('xstate.error.actor.publish', 0),
    f('user.retryPublish'),
    f('xstate.error.actor.publish', 0),
    f('user.continueWithoutDevice'),
    f('xstate.done.actor.publish'),
    ...left,
    ...connected,
    f('xstate.error.actor.publish', 1),
    f('session.disconnected', 1),
    f('user.retry'),
    f('xstate.done.actor.fetchToken'),
    f('xstate.done.actor.connect'),
    f('xstate.done.actor.publish'),
    ...left,
    ...connected,
    f('xstate.error.actor.publish', 1),
    f('user.continueWithoutDevice'),
    f('session.disconnected', 1),
    f('user.retry'),
    f('xstate.done.actor.fetchToken'),
    // Nothing to publish: straight into the call.
    f('xstate.done.actor.connect'),
    f('session.disconnected', 2),
    f('user.dismiss'),
  ],
  // The server is slow to answer joinRoom, then publishVideo: the person leaves at each step.
  'leaving at every step of a join: connecting, publishing, with a refused camera': [
    ...tokenGot,
    ...left,
    ...connected,
    ...left,
    ...connected,
    f('xstate.error.actor.publish', 0),
    ...left,
  ],
  // The server stays away longer than the reconnection window: the page gives up by itself.
  // Meanwhile Alice's own media connection reports that it falters (ICE disconnected): the
  // reconnecting banner already says so, so no notice is added.
  // First, Alice's devices (the page has a second fake camera and microphone): she picks
  // another, it is unplugged, she picks again, a pick fails, the toggle tries the default one.
  'your devices switched, unplugged and failing; then a server gone for good: the reconnection window runs out': [
    ...joined,
    f('user.selectDevice', 0),
    f('device.switched', 0),
    f('device.lost', 0),
    f('user.selectDevice', 0),
    f('device.switched', 0),
    f('user.selectDevice', 0),
    f('device.lost', 0),
    f('user.toggleCamera'),
    f('device.switched', 0),
    f('user.toggleMicrophone'),
    f('device.lost', 1),
    f('user.selectDevice', 1),
    f('device.switched', 1),
    f('device.lost', 1),
    f('user.selectDevice', 1),
    f('device.switched', 1),
    f('user.selectDevice', 1),
    f('device.lost', 1),
    f('user.toggleMicrophone'),
    f('device.switched', 1),
    f('session.reconnecting'),
    f('session.exception'),
    f('xstate.after.reconnectWindow.call.session.inCall.reconnecting'),
    f('user.dismiss'),
  ],
  // Alice shares her screen every way the screen-share actor can go; SCREEN_PLANS says how each
  // Share screen goes (the picker, the server, the browser's own Stop sharing).
  'screen share: shared and stopped, ended by the browser, cancelled, refused, a refused token, stopped while starting, left while sharing': [
    ...joined,
    f('user.shareScreen'),
    f('user.stopScreenShare'),
    f('user.shareScreen'),
    f('user.shareScreen'),
    f('user.shareScreen'),
    f('user.shareScreen'),
    f('user.dismissScreenShareError'),
    f('user.shareScreen'),
    f('user.stopScreenShare'),
    f('user.shareScreen'),
    ...left,
  ],
  'a token request that is never answered': [f('user.join'), f('xstate.after.stepTimeout.call.fetchingToken')],
  'a server that refuses the WebSocket': [
    f('user.join'),
    f('xstate.done.actor.fetchToken'),
    f('xstate.after.stepTimeout.call.session.connecting'),
  ],
} satisfies Record<string, ModelEvent[]>;

type PathName = keyof typeof PAGE_PATHS;

/** How each Share screen of a path goes, in order (tests/model/screen-share.model.ts ScreenPlan). */
const SCREEN_PLANS: Partial<Record<PathName, ScreenPlan[]>> = {
  'screen share: shared and stopped, ended by the browser, cancelled, refused, a refused token, stopped while starting, left while sharing': [
    'share',
    'shareThenEnd',
    'cancel',
    'refuse',
    'tokenError',
    'holdToken',
    'share',
  ],
};
const model = Object.fromEntries(Object.entries(PAGE_PATHS).map(([name, events]) => [name, walkModel(events)])) as Record<
  PathName,
  ReturnType<typeof walkModel>
>;

let refusing: Browser;
test.beforeAll(async () => {
  // A browser that answers permission prompts with "no": a camera not granted is refused.
  const executablePath = chromiumExecutable();
  refusing = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
  });
});
test.afterAll(async () => {
  await refusing?.close();
});

/** Adds what a run covered to the page's coverage file (a failed test restarts the worker). */
function record(results: PageRunResult[], ms: number): void {
  const before = readCoverage('page');
  writeCoverage({
    runner: 'page',
    states: [...new Set([...(before?.states ?? []), ...results.flatMap((r) => [...r.states])])].sort(),
    transitions: [...new Set([...(before?.transitions ?? []), ...results.flatMap((r) => [...r.transitions])])].sort(),
    paths: (before?.paths ?? 0) + results.length,
    steps: (before?.steps ?? 0) + results.reduce((n, r) => n + r.steps, 0),
    ms: (before?.ms ?? 0) + ms,
  });
}

const step = <T>(title: string, body: () => Promise<T>) => test.step(title, body);

test.describe('the model\'s paths on the real page', () => {
  for (const name of [
    'camera and microphone off before joining: the call starts with both off, the camera turned on in it; the form keeps the choice',
    'a call with another person: tiles, speaking, chat, main video and layout, notices, a forced unpublish, a dropped socket, leave',
    'joins that fail: a bad form, a refused secret, a cancelled token request, a revoked token',
    'refused devices: retry, join without the camera; evicted, rejoin; join with nothing, evicted, rejoin, closed',
    'leaving at every step of a join: connecting, publishing, with a refused camera',
    'screen share: shared and stopped, ended by the browser, cancelled, refused, a refused token, stopped while starting, left while sharing',
    'your devices switched, unplugged and failing; then a server gone for good: the reconnection window runs out',
  ] as const satisfies PathName[]) {
    test(name, async ({ browser }) => {
      test.setTimeout(240_000);
      const started = performance.now();
      const browsers: Browsers = { normal: browser, refusing };
      const result = await runPagePath(browsers, model[name], step, SCREEN_PLANS[name]);
      record([result], Math.round(performance.now() - started));
    });
  }

  test('the 20 s step timeouts: a token request never answered, and a refused WebSocket, side by side', async ({ browser }) => {
    test.setTimeout(120_000);
    const started = performance.now();
    const browsers: Browsers = { normal: browser, refusing };
    const results = await Promise.all([
      runPagePath(browsers, model['a token request that is never answered'], (title, body) => step(`token: ${title}`, body)),
      runPagePath(browsers, model['a server that refuses the WebSocket'], (title, body) => step(`websocket: ${title}`, body)),
    ]);
    record(results, Math.round(performance.now() - started));
  });
});
