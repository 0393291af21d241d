// The call: one machine owns every OpenVidu transition and exception.
//
//   idle → fetchingToken → session.connecting → session.publishing → session.inCall → session.leaving → idle
//
// `session` is the parent of every state in which an OpenVidu Session exists: it invokes the one
// actor that owns that Session, so leaving `session` by any path (the person leaves, a step fails,
// the server ends the call) stops that actor, and stopping it disconnects. Nothing can be orphaned.
import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup } from 'xstate';
import { closeChat, emptyChat, openChat, receiveChat, setSpeaking } from './call.chat.ts';
import { forgetSpeaker, noteActiveSpeaker, pin, setLayout } from './call.layout.ts';
import {
  chatMessageProblem,
  CONNECTION_UNSTABLE_NOTICE,
  disconnectError,
  exceptionNotice,
  joinFormProblem,
  RECONNECT_TIMED_OUT,
  RECONNECT_WINDOW_MS,
  toCallError,
} from './call.errors.ts';
import type {
  CallContext,
  CallEvent,
  FetchTokenInput,
  JoinRequest,
  PublisherEvent,
  SessionActorInput,
  SessionCommand,
  SessionEvent,
} from './call.types.ts';
import { streamActorId } from './call.types.ts';
import { devicesMachine } from './devices.machine.ts';
import { streamMachine } from './stream.machine.ts';

/**
 * How long a join step may take before the person is told. Neither step can hang forever:
 * an HTTP request has no timeout of its own, and the OpenVidu library's connect() never settles when its first
 * WebSocket cannot open (it keeps retrying).
 */
const STEP_TIMEOUT_MS = 20_000;

/**
 * The most people the call keeps track of. The server decides who is in a session, but what
 * arrives over the network is bounded all the same: past this, newcomers are not listed.
 */
const MAX_PARTICIPANTS = 500;

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    input: {} as Partial<JoinRequest> | undefined,
  },
  actors: {
    // These are placeholders: src/main.ts provides the real ones (src/token, src/openvidu) and the
    // unit tests provide fakes, both through `callMachine.provide(...)`.
    fetchToken: fromPromise<string, FetchTokenInput>(async () => {
      throw { kind: 'unexpected', message: 'No token source was provided.' };
    }),
    openviduSession: fromCallback<SessionCommand, SessionActorInput, SessionEvent | PublisherEvent>(() => undefined),
    stream: streamMachine,
    devices: devicesMachine,
    // The pre-join preview (src/openvidu/preview.actor.ts): runs while the form is shown, and
    // hands its tracks to the session actor on Join.
    preview: fromCallback(() => undefined),
  },
  guards: {
    joinIsValid: ({ event }) =>
      event.type === 'user.join' && joinFormProblem(event.sessionName, event.nickname) === null,
    chatMessageIsValid: ({ event }) => event.type === 'user.sendChat' && chatMessageProblem(event.text) === null,
    nothingToPublish: ({ context }) => !context.media.audio && !context.media.video,
    // "Join without it" with nothing left to publish means joining to watch and listen only.
    nothingLeftToPublish: ({ context }) => {
      const device = context.error?.device;
      const audio = context.media.audio && device !== 'microphone' && device !== 'camera and microphone';
      const video = context.media.video && device !== 'camera' && device !== 'camera and microphone';
      return !audio && !video;
    },
  },
  actions: {
    rememberJoin: assign(({ event }) => {
      if (event.type !== 'user.join') return {};
      return {
        sessionName: event.sessionName.trim(),
        nickname: event.nickname.trim(),
        formError: null,
        media: { audio: true, video: true },
      };
    }),
    // The form keeps exactly what was typed, and says which field to fix.
    refuseJoin: assign(({ event }) => {
      if (event.type !== 'user.join') return {};
      return {
        sessionName: event.sessionName,
        nickname: event.nickname,
        formError: joinFormProblem(event.sessionName, event.nickname),
      };
    }),
    clearError: assign({ error: null, notice: null }),
    addParticipant: assign({
      participants: ({ context, event }) => {
        if (event.type !== 'session.connectionCreated') return context.participants;
        const { connection } = event;
        if (context.participants.length >= MAX_PARTICIPANTS) return context.participants;
        if (context.participants.some((p) => p.connectionId === connection.connectionId)) return context.participants;
        return [...context.participants, { connectionId: connection.connectionId, nickname: connection.nickname }];
      },
    }),
    removeParticipant: assign(({ context, event }) =>
      event.type === 'session.connectionDestroyed'
        ? {
            participants: context.participants.filter((p) => p.connectionId !== event.connectionId),
            activeSpeaker: forgetSpeaker(context.activeSpeaker, event.connectionId),
          }
        : {},
    ),
    receiveChatMessage: assign({
      chat: ({ context, event }) =>
        event.type === 'session.chatReceived' ? receiveChat(context.chat, event.message, context.connectionId) : context.chat,
    }),
    sendChatMessage: sendTo('openvidu', ({ event }) =>
      ({ type: 'sendChat', text: event.type === 'user.sendChat' ? event.text.trim() : '' }) satisfies SessionCommand,
    ),
    openChat: assign({ chat: ({ context }) => openChat(context.chat) }),
    closeChat: assign({ chat: ({ context }) => closeChat(context.chat) }),
    noteSpeaking: assign(({ context, event }) =>
      event.type === 'session.speakingChanged'
        ? {
            speaking: setSpeaking(context.speaking, event.connectionId, event.speaking),
            activeSpeaker: noteActiveSpeaker(context, event.connectionId, event.speaking),
          }
        : {},
    ),
    // Spawned, not invoked: a stream's life is bounded by streamCreated / streamDestroyed, not by
    // a state. The id is derived from the stream id so the stream can be found again.
    addRemoteStream: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'session.streamCreated') return;
      const { stream } = event;
      if (context.remoteStreams.some((s) => s.streamId === stream.streamId)) return;
      enqueue.spawnChild('stream', { id: streamActorId(stream.streamId), input: stream });
      enqueue.assign({ remoteStreams: [...context.remoteStreams, stream] });
    }),
    removeRemoteStream: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'session.streamDestroyed') return;
      if (!context.remoteStreams.some((s) => s.streamId === event.streamId)) return;
      enqueue.stopChild(streamActorId(event.streamId));
      enqueue.assign({
        remoteStreams: context.remoteStreams.filter((s) => s.streamId !== event.streamId),
        // The person pinned left: the large video follows the speaker again (the tutorial froze here).
        mainStreamId: context.mainStreamId === event.streamId ? null : context.mainStreamId,
      });
    }),
    // Leaving the session in any way: no tile may outlive the call.
    forgetSession: enqueueActions(({ context, enqueue }) => {
      for (const stream of context.remoteStreams) enqueue.stopChild(streamActorId(stream.streamId));
      enqueue.assign({
        remoteStreams: [],
        participants: [],
        connectionId: null,
        ownStreamId: null,
        mainStreamId: null,
        activeSpeaker: null,
        chat: emptyChat(),
        speaking: [],
      });
    }),
    // An exception about a remote stream belongs to that stream's actor; any other is shown as a
    // notice (unless `quiet`: while reconnecting, the banner already says the connection is
    // lost), and the call goes on.
    routeException: enqueueActions(({ context, event, enqueue }, params: { quiet: boolean }) => {
      if (event.type !== 'session.exception') return;
      const { streamId, name, message } = event;
      if (streamId && context.remoteStreams.some((s) => s.streamId === streamId)) {
        enqueue.sendTo(streamActorId(streamId), { type: 'stream.exception', name, message });
      } else if (!params.quiet) {
        enqueue.assign({ notice: exceptionNotice(name, message) });
      }
    }),
    // The person's toggles of their own microphone and camera go to the actor that owns them.
    forwardToDevices: sendTo('devices', ({ event }) => event),
    // A remote person's microphone or camera went on or off: their tile shows it.
    updateRemoteStream: assign({
      remoteStreams: ({ context, event }) => {
        if (event.type !== 'session.streamPropertyChanged') return context.remoteStreams;
        const { streamId, property, value } = event;
        return context.remoteStreams.map((s) => (s.streamId === streamId ? { ...s, [property]: value } : s));
      },
    }),
    selectMain: assign(({ context, event }) => (event.type === 'user.selectMain' ? pin(context, event.streamId) : {})),
    setLayout: assign({
      layout: ({ context, event }) => (event.type === 'user.setLayout' ? setLayout(context.layout, event.layout) : context.layout),
    }),
    dropFailedDevice: assign({
      media: ({ context }) => {
        const device = context.error?.device ?? 'camera and microphone';
        return {
          audio: context.media.audio && device === 'camera',
          video: context.media.video && device === 'microphone',
        };
      },
      error: null,
    }),
  },
  delays: {
    stepTimeout: STEP_TIMEOUT_MS,
    reconnectWindow: RECONNECT_WINDOW_MS,
  },
}).createMachine({
  id: 'call',
  context: ({ input }) => ({
    sessionName: input?.sessionName ?? '',
    nickname: input?.nickname ?? '',
    formError: null,
    media: { audio: true, video: true },
    connectionId: null,
    ownStreamId: null,
    participants: [],
    remoteStreams: [],
    layout: 'speaker',
    mainStreamId: null,
    activeSpeaker: null,
    chat: emptyChat(),
    speaking: [],
    error: null,
    notice: null,
  }),
  initial: 'idle',
  states: {
    // The join form. A second join cannot start here while one is under way, because no other
    // state accepts `user.join`.
    idle: {
      invoke: { id: 'preview', src: 'preview' },
      on: {
        'user.join': [
          { guard: 'joinIsValid', target: 'fetchingToken', actions: 'rememberJoin' },
          { actions: 'refuseJoin' },
        ],
      },
    },
    // Asking for a fresh token: tokens are single use, so every join (and rejoin) fetches one.
    // Leaving here stops the request (the actor's AbortSignal fires).
    fetchingToken: {
      entry: 'clearError',
      invoke: {
        id: 'fetchToken',
        src: 'fetchToken',
        input: ({ context }) => ({ sessionName: context.sessionName }),
        onDone: 'session',
        onError: {
          target: 'failed',
          actions: assign({ error: ({ event }) => toCallError(event.error) }),
        },
      },
      after: {
        stepTimeout: {
          target: 'failed',
          actions: assign({
            error: {
              kind: 'unreachable',
              message: 'The OpenVidu server did not answer in time. Check that it is running and try again.',
            },
          }),
        },
      },
      on: { 'user.leave': 'idle' },
    },
    session: {
      invoke: {
        id: 'openvidu',
        src: 'openviduSession',
        // The token arrives with the event that entered this state and is handed straight to the
        // actor: it never sits in context, where the inspector would show it.
        input: ({ context, event }) => ({
          token: tokenFrom(event),
          sessionName: context.sessionName,
          nickname: context.nickname,
          media: context.media,
        }),
      },
      exit: 'forgetSession',
      initial: 'connecting',
      on: {
        'session.connectionCreated': { actions: 'addParticipant' },
        'session.connectionDestroyed': { actions: 'removeParticipant' },
        'session.streamCreated': { actions: 'addRemoteStream' },
        'session.streamDestroyed': { actions: 'removeRemoteStream' },
        'session.exception': { actions: { type: 'routeException', params: { quiet: false } } },
        // The chat is there from the moment the Session is: messages can arrive while joining.
        'session.chatReceived': { actions: 'receiveChatMessage' },
        'session.speakingChanged': { actions: 'noteSpeaking' },
        'user.openChat': { actions: 'openChat' },
        'user.closeChat': { actions: 'closeChat' },
        'session.streamPropertyChanged': { actions: 'updateRemoteStream' },
        'session.disconnected': {
          target: 'ended',
          actions: assign({ error: ({ event }) => disconnectError(event.reason) }),
        },
      },
      states: {
        // session.connect(token): the server checks the token and lets us in.
        connecting: {
          on: {
            'user.leave': 'leaving',
            'session.connected': [
              {
                // A rejoin after "join without camera and microphone" keeps that choice: there is
                // nothing to start, and publishing nothing would only fail (NO_INPUT_SOURCE_SET).
                guard: 'nothingToPublish',
                target: 'inCall',
                actions: [
                  assign({ connectionId: ({ event }) => event.connectionId }),
                  assign({ notice: 'You joined without camera and microphone.' }),
                ],
              },
              {
                target: 'publishing',
                actions: assign({ connectionId: ({ event }) => event.connectionId }),
              },
            ],
            'session.connectFailed': {
              target: '#call.failed',
              actions: assign({ error: ({ event }) => event.error }),
            },
          },
          after: {
            stepTimeout: {
              target: '#call.failed',
              actions: assign({
                error: {
                  kind: 'connectFailed',
                  message: 'Could not connect to the call: the server did not answer in time. Try again.',
                },
              }),
            },
          },
        },
        // Starting the camera and microphone and publishing them.
        publishing: {
          entry: sendTo('openvidu', ({ context }) => ({ type: 'publish', media: context.media }) satisfies SessionCommand),
          on: {
            'user.leave': 'leaving',
            'publisher.published': {
              target: 'inCall',
              actions: assign({ ownStreamId: ({ event }) => event.streamId }),
            },
            'publisher.failed': {
              target: 'publishFailed',
              actions: assign({ error: ({ event }) => event.error }),
            },
          },
        },
        // Connected, but the camera or microphone could not start. The person chooses: try
        // again, stay in the call without that device, or leave. Others are already visible.
        publishFailed: {
          on: {
            'user.leave': 'leaving',
            'user.retryPublish': { target: 'publishing', actions: 'clearError' },
            'user.continueWithoutDevice': [
              {
                guard: 'nothingLeftToPublish',
                target: 'inCall',
                actions: ['dropFailedDevice', assign({ notice: 'You joined without camera and microphone.' })],
              },
              { target: 'publishing', actions: 'dropFailedDevice' },
            ],
          },
        },
        inCall: {
          initial: 'live',
          // Your microphone and camera while in the call (machines/devices.machine.ts).
          invoke: { id: 'devices', src: 'devices' },
          on: {
            'user.toggleMicrophone': { actions: 'forwardToDevices' },
            'user.toggleCamera': { actions: 'forwardToDevices' },
            'user.leave': 'leaving',
            'user.selectMain': { actions: 'selectMain' },
            'user.setLayout': { actions: 'setLayout' },
            'user.dismissNotice': { actions: assign({ notice: null }) },
            // Only in the call: the session actor can send signals once connected.
            'user.sendChat': { guard: 'chatMessageIsValid', actions: 'sendChatMessage' },
            // The server unpublished our stream (forceUnpublish): we stay in the call.
            'publisher.streamDestroyed': {
              actions: assign({
                ownStreamId: null,
                // Your own video, if pinned, is gone: the large video follows the speaker again.
                mainStreamId: ({ context }) => (context.mainStreamId === context.ownStreamId ? null : context.mainStreamId),
                notice: 'The server stopped publishing your camera and microphone.',
              }),
            },
          },
          states: {
            live: {
              on: { 'session.reconnecting': 'reconnecting' },
            },
            // The library lost the server's socket and is trying again. It either comes back, or
            // the server tells it the participant is gone (sessionDisconnected), or, when the
            // server cannot be reached at all, the library would retry for over an hour: the
            // machine bounds the wait, and leaving `session` disconnects.
            reconnecting: {
              on: {
                // Our own media connections falter too while the server is away: one banner says it.
                'session.exception': { actions: { type: 'routeException', params: { quiet: true } } },
                'session.reconnected': {
                  target: 'live',
                  // The "unstable connection" notice told of what the call just recovered from.
                  actions: assign({
                    notice: ({ context }) => (context.notice === CONNECTION_UNSTABLE_NOTICE ? null : context.notice),
                  }),
                },
              },
              after: {
                reconnectWindow: { target: '#call.ended', actions: assign({ error: RECONNECT_TIMED_OUT }) },
              },
            },
          },
        },
        // session.disconnect(): say goodbye to the server, then back to the form. Every state of
        // `session` but this one offers leave, so a second leave cannot start a second goodbye.
        // No timer: the session actor answers each leave with exactly one session.left, at once
        // (the library confirms synchronously, and the actor confirms itself when it cannot).
        leaving: {
          entry: sendTo('openvidu', { type: 'leave' } satisfies SessionCommand),
          on: { 'session.left': '#call.idle' },
        },
      },
    },
    // A join step failed. The form keeps what was typed; retry fetches a fresh token.
    failed: {
      on: {
        'user.retry': 'fetchingToken',
        'user.dismiss': { target: 'idle', actions: 'clearError' },
      },
    },
    // The call ended without the person asking (network, server, moderator): say why, offer
    // one click to rejoin.
    ended: {
      on: {
        'user.retry': 'fetchingToken',
        'user.dismiss': { target: 'idle', actions: 'clearError' },
      },
    },
  },
});

export type CallMachine = typeof callMachine;

function tokenFrom(event: { type: string }): string {
  const output = (event as { output?: unknown }).output;
  return typeof output === 'string' ? output : '';
}
