// Start-up: build the real actors (token source, OpenVidu), provide them to the call machine,
// start the one call actor, and mount the views on it.
import { mount } from 'svelte';
import { createActor, fromPromise } from 'xstate';
import { callMachine } from '../machines/call.machine.ts';
import type { FetchTokenInput } from '../machines/call.types.ts';
import { streamMachine } from '../machines/stream.machine.ts';
import './app.css';
import { readConfig } from './config.ts';
import { inspectRequested } from './inspect/gate.ts';
import { createOpenViduActors } from './openvidu/index.ts';
import { createTokenSource } from './token/index.ts';
import App from './views/App.svelte';

const config = readConfig(location.search, import.meta.env);
const tokenSource = createTokenSource(config.token);
const openvidu = createOpenViduActors();

const machine = callMachine.provide({
  actors: {
    fetchToken: fromPromise<string, FetchTokenInput>(({ input, signal }) => tokenSource(input.sessionName, signal)),
    openviduSession: openvidu.openviduSession,
    stream: streamMachine.provide({ actors: { subscriber: openvidu.subscriber } }),
  },
});

// `?inspect` (or VITE_INSPECT=true): stream every actor to the Stately inspector from the first
// event. Loaded only then, and ready before the actor exists, so the machine definition is sent.
const inspect = inspectRequested(location.search, import.meta.env)
  ? (await import('./inspect.ts')).startInspector(config.token.mode === 'openvidu' ? [config.token.secret] : [])
  : undefined;

const actor = createActor(machine, {
  ...(inspect ? { inspect } : {}),
  input: {
    sessionName: config.sessionName ?? 'SessionA',
    nickname: `Participant${Math.floor(Math.random() * 100)}`,
  },
});
actor.start();

// Closing or reloading the tab leaves the call properly (leaveRoom), so no ghost stays behind.
addEventListener('pagehide', () => actor.send({ type: 'user.leave' }));

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks <div id="app">');
mount(App, { target, props: { actor, attachVideo: openvidu.attachVideo } });

// The form is usable now: fetch openvidu-browser while the person types, so Join does not wait.
if ('requestIdleCallback' in window) requestIdleCallback(openvidu.preload, { timeout: 1000 });
else setTimeout(openvidu.preload, 0);
