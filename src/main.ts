// Start-up: provide the real actors (token source, OpenVidu) to the call machine, start the one
// call actor, and mount the views on it.
import { mount } from 'svelte';
import { createActor, fromPromise } from 'xstate';
import { RECONNECT_WINDOW_MS } from '../machines/call.errors.ts';
import { callChart } from '../machines/call.chart.ts';
import { withReconnectWindow } from '../machines/call.reconnect-wait.ts';
import type { FetchTokenInput } from '../machines/call.types.ts';
import type { ScreenTokenInput } from '../machines/screen-share.types.ts';
import './app.css';
import type { PageConfig } from './config.ts';
import { sessionFromLink } from './session-link.ts';
import { inspectRequested, linkAsksInspect } from './inspect/gate.ts';
import { deferredLogic } from './deferred-logic.ts';
import { loadOnce } from './load-once.ts';
import { followRoom } from './room-location.ts';
import type { AttachVideo } from './openvidu/index.ts';
import type { TokenSource } from './token/index.ts';
import { rememberedOnOff } from './openvidu/device-choice.ts';
import { loadPreview, previewActor } from './openvidu/preview.actor.ts';
import App from './views/App.svelte';
import { loadCallScreens } from './views/call-screens.ts';

// config.json (and the code that reads it) loads in parallel with everything else: the form does
// not need it, only Join (and the inspector) does. A failed load is retried at the next Join; a
// bad config is said on the page at once, and again by Join.
// The reconnection window it sets is read by the call actor, which starts before config.json
// arrives: it reaches `reconnecting` only through fetchingToken, which waits for the config.
let reconnectWindowMs = RECONNECT_WINDOW_MS;
const loadConfig = loadOnce(() =>
  import('./config.ts').then(({ loadRuntimeConfig, resolvePageConfig }) =>
    loadRuntimeConfig(new URL('config.json', document.baseURI).href)
      .then((runtime) => resolvePageConfig(runtime, location.search, location.href))
      .then((config) => {
        reconnectWindowMs = config.reconnectWindowMs;
        return config;
      }),
  ),
);
const configReady: Promise<PageConfig | undefined> = loadConfig().then(
  (config) => {
    showConfigProblem(undefined);
    return config;
  },
  (error: unknown) => {
    showConfigProblem(error instanceof Error ? error.message : String(error));
    return undefined;
  },
);

/** A notice above the page while config.json is missing or wrong (the form stays usable). */
function showConfigProblem(message: string | undefined): void {
  document.getElementById('config-problem')?.remove();
  if (message === undefined) return;
  const notice = document.createElement('p');
  notice.id = 'config-problem';
  notice.className = 'card form-error';
  notice.setAttribute('role', 'alert');
  notice.textContent = message;
  document.body.prepend(notice);
}

// The token code, the OpenVidu actors and the call's child machines are needed only from Join
// on: they load then (or earlier, once the page is idle), not with the form. Every way into the
// states that use them passes through fetchingToken, which waits for them, so the deferred logic
// below always finds them loaded.
type OpenViduActors = ReturnType<typeof import('./openvidu/index.ts').createOpenViduActors>;
let openvidu: OpenViduActors | undefined;
const loadOpenVidu = loadOnce(() => import('./openvidu/index.ts').then((module) => (openvidu = module.createOpenViduActors())));
const loadTokenSource = loadOnce(() =>
  Promise.all([loadConfig(), import('./token/index.ts')]).then(([config, token]): TokenSource => token.createTokenSource(config.token)),
);
type CallChildren = typeof import('../machines/call.children.ts').callChildren;
let children: CallChildren | undefined;
const loadChildren = loadOnce(() =>
  import('../machines/call.children.ts').then(({ callChildren }) => {
    children = {
      stream: callChildren.stream.provide({ actors: { subscriber: deferredLogic(() => openvidu?.subscriber) } }),
      devices: callChildren.devices,
      // Your screen: a token of its own from the same token source, and a second OpenVidu Session.
      screenShare: callChildren.screenShare.provide({
        actors: {
          fetchScreenToken: fromPromise<string, ScreenTokenInput>(async ({ input, signal }) => (await loadTokenSource())(input.sessionName, signal)),
          screenConnection: deferredLogic(() => openvidu?.screenConnection),
        },
      }),
    };
    return children;
  }),
);

const machine = withReconnectWindow(callChart, () => reconnectWindowMs).provide({
  actors: {
    fetchToken: fromPromise<string, FetchTokenInput>(async ({ input, signal }) => {
      const [tokenSource] = await Promise.all([loadTokenSource(), loadOpenVidu(), loadChildren()]);
      return tokenSource(input.sessionName, signal);
    }),
    openviduSession: deferredLogic(() => openvidu?.openviduSession),
    connect: deferredLogic(() => openvidu?.connect),
    publish: deferredLogic(() => openvidu?.publish),
    leave: deferredLogic(() => openvidu?.leave),
    stream: deferredLogic(() => children?.stream),
    devices: deferredLogic(() => children?.devices),
    screenShare: deferredLogic(() => children?.screenShare),
    preview: previewActor,
  },
});
// Videos exist only in the joining and call screens, which come after fetchingToken.
const attachVideo: AttachVideo = (video, key) => openvidu?.attachVideo(video, key) ?? (() => {});

// `?inspect` (where config.json allows link overrides) or a build with VITE_INSPECT=true: stream
// every actor to the Stately inspector from the first event. Loaded only then, and ready before
// the actor exists, so the machine definition is sent. Only then does start-up wait for the config.
// Only this named build setting is read: never the whole import.meta.env, which would inline every
// VITE_ variable (a secret among them) into the bundle.
// No top-level await: this module is in the chunk that the lazily loaded ones (config, inspector)
// import, so awaiting them here would wait for itself.
const buildInspect = import.meta.env.VITE_INSPECT as string | undefined;
type Inspect = ReturnType<typeof import('./inspect.ts').startInspector>;
if (buildInspect === 'true' || linkAsksInspect(location.search)) {
  void configReady
    .then(async (config): Promise<Inspect | undefined> => {
      if (!inspectRequested(location.search, config?.allowLinkOverrides ?? false, buildInspect)) return undefined;
      return (await import('./inspect.ts')).startInspector(config?.token.mode === 'openvidu' ? [config.token.secret] : []);
    })
    .catch(() => undefined) // no inspector (its chunk did not load): the page works without it
    .then(start);
} else {
  start(undefined);
}

/** The one call actor, the views on it, and the preloader. */
function start(inspect: Inspect | undefined): void {
  const actor = createActor(machine, {
    ...(inspect ? { inspect } : {}),
    input: {
      sessionName: sessionFromLink(location.search) ?? 'SessionA',
      nickname: `Participant${Math.floor(Math.random() * 100)}`,
      // Camera or microphone turned off on the last visit's form: off again.
      atJoin: rememberedOnOff(),
    },
  });
  actor.start();
  followRoom(actor);

  // Closing or reloading the tab leaves the call properly (leaveRoom), so no ghost stays behind.
  addEventListener('pagehide', () => actor.send({ type: 'user.leave' }));

  const target = document.getElementById('app');
  if (!target) throw new Error('index.html lacks <div id="app">');
  mount(App, { target, props: { actor, attachVideo, loadPreview } });

  // The form is usable now: the page's one preloader fetches the rest (OpenVidu actors and
  // openvidu-browser, token code, the screens after the form) while the person types, so Join
  // does not wait.
  const preload = () => {
    loadOpenVidu().then((actors) => actors.preload(), () => undefined);
    loadTokenSource().catch(() => undefined);
    loadChildren().catch(() => undefined);
    loadCallScreens().catch(() => undefined); // App.svelte says so if it is still missing when needed
  };
  if ('requestIdleCallback' in window) requestIdleCallback(preload, { timeout: 1000 });
  else setTimeout(preload, 0);
}
