// The call's chart: one machine owns every OpenVidu transition and exception, and the order of them.
// Its child machines (your devices, your screen, each remote stream) are placeholders here and
// given in call.machine.ts (whole, as tests and the diagram use it) or later by the page, which
// loads their code with the OpenVidu code on Join, not with the form.
//
//   idle → fetchingToken → session.connecting → session.publishing → session.inCall → session.leaving → idle
//
// `session` is the parent of every state in which an OpenVidu Session exists: it invokes the one
// actor that holds that Session, so leaving `session` by any path (the person leaves, a step fails,
// the server ends the call) stops that actor, and stopping it disconnects. Each step of the way in
// and out is a state that invokes the actor doing it (`connect`, `publish`, `leave`): a leave at any
// moment exits the step's state, which stops its actor. Nothing can be orphaned.
//
// The actions and guards are named in call.joining.ts and call.in-session.ts; the messages a
// person reads are written once, in call.errors.ts.
import {
  CONNECT_TIMED_OUT,
  CONNECTION_UNSTABLE_NOTICE,
  disconnectError,
  JOINED_WITHOUT_DEVICES_NOTICE,
  TOKEN_TIMED_OUT,
  UNPUBLISHED_BY_SERVER_NOTICE,
} from './call.errors.ts';
import { inSessionSetup } from './call.in-session.ts';
import { emptyChat } from './call.chat.ts';

export const callChart = inSessionSetup.createMachine({
  id: 'call',
  context: ({ input }) => ({
    sessionName: input?.sessionName ?? '',
    nickname: input?.nickname ?? '',
    formError: null,
    media: { audio: true, video: true },
    atJoin: { camera: input?.atJoin?.camera ?? 'on', microphone: input?.atJoin?.microphone ?? 'on' },
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
    // The join form, with its camera preview. A second join cannot start here while one is under
    // way, because no other state accepts `user.join`.
    // The camera and microphone can be turned off here, before joining: one region each, whose
    // state the call starts with (context.atJoin keeps it while the form is not shown, so coming
    // back here, or a reload, shows the same choice).
    idle: {
      type: 'parallel',
      invoke: { id: 'preview', src: 'preview', input: ({ context }) => context.atJoin },
      on: {
        'user.join': [
          { guard: 'joinIsValid', target: 'fetchingToken', actions: 'rememberJoin' },
          { actions: 'refuseJoin' },
        ],
      },
      states: {
        camera: {
          initial: 'on',
          states: {
            // The preview shows your camera; the call starts with it published.
            on: {
              always: { guard: 'cameraOffAtJoin', target: 'off' },
              on: { 'user.toggleCamera': { target: 'off', actions: { type: 'turnAtJoin', params: { kind: 'camera', to: 'off' } } } },
            },
            // Not even open (its light is out); the call starts with it off, and others see your name.
            off: {
              on: { 'user.toggleCamera': { target: 'on', actions: { type: 'turnAtJoin', params: { kind: 'camera', to: 'on' } } } },
            },
          },
        },
        microphone: {
          initial: 'on',
          states: {
            on: {
              always: { guard: 'microphoneOffAtJoin', target: 'off' },
              on: {
                'user.toggleMicrophone': { target: 'off', actions: { type: 'turnAtJoin', params: { kind: 'microphone', to: 'off' } } },
              },
            },
            // Muted: the level meter says so, and the call starts with it muted (others see the mark).
            off: {
              on: {
                'user.toggleMicrophone': { target: 'on', actions: { type: 'turnAtJoin', params: { kind: 'microphone', to: 'on' } } },
              },
            },
          },
        },
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
        onError: { target: 'failed', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
      },
      after: {
        stepTimeout: { target: 'failed', actions: { type: 'recordError', params: { error: TOKEN_TIMED_OUT } } },
      },
      on: { 'user.leave': 'idle' },
    },
    session: {
      invoke: {
        id: 'openvidu',
        src: 'openviduSession',
        input: ({ context }) => ({ sessionName: context.sessionName, nickname: context.nickname }),
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
          actions: { type: 'recordError', params: ({ event }) => ({ error: disconnectError(event.reason) }) },
        },
      },
      states: {
        // session.connect(token): the server checks the token and lets us in. The camera starts
        // meanwhile. A connect that succeeds after this state was left is disconnected by its actor.
        connecting: {
          invoke: {
            id: 'connect',
            src: 'connect',
            // The token arrives with the event that entered this state and is handed straight to the
            // actor: it never sits in context, where the inspector would show it.
            input: ({ context, event }) => ({
              token: tokenFrom(event),
              nickname: context.nickname,
              media: context.media,
              atJoin: context.atJoin,
            }),
            onDone: [
              {
                // A rejoin after "join without camera and microphone" keeps that choice: there is
                // nothing to start, and publishing nothing would only fail (NO_INPUT_SOURCE_SET).
                guard: 'nothingToPublish',
                target: 'inCall',
                actions: [
                  { type: 'rememberConnection', params: ({ event }) => ({ connectionId: event.output }) },
                  { type: 'notify', params: { notice: JOINED_WITHOUT_DEVICES_NOTICE } },
                ],
              },
              {
                target: 'publishing',
                actions: { type: 'rememberConnection', params: ({ event }) => ({ connectionId: event.output }) },
              },
            ],
            onError: { target: '#call.failed', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
          },
          after: {
            stepTimeout: { target: '#call.failed', actions: { type: 'recordError', params: { error: CONNECT_TIMED_OUT } } },
          },
          on: { 'user.leave': 'leaving' },
        },
        // Starting the camera and microphone (the ones started while connecting) and publishing them.
        publishing: {
          invoke: {
            id: 'publish',
            src: 'publish',
            input: ({ context }) => ({ media: context.media, atJoin: context.atJoin }),
            onDone: {
              target: 'inCall',
              actions: { type: 'rememberOwnStream', params: ({ event }) => ({ streamId: event.output }) },
            },
            onError: { target: 'publishFailed', actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) } },
          },
          on: { 'user.leave': 'leaving' },
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
                actions: ['dropFailedDevice', { type: 'notify', params: { notice: JOINED_WITHOUT_DEVICES_NOTICE } }],
              },
              { target: 'publishing', actions: 'dropFailedDevice' },
            ],
          },
        },
        inCall: {
          initial: 'live',
          invoke: [
            // Your microphone and camera while in the call (machines/devices.machine.ts), starting
            // as they were chosen on the form.
            { id: 'devices', src: 'devices', input: ({ context }) => context.atJoin },
            // Your screen, on a second connection (machines/screen-share.machine.ts).
            {
              id: 'screenShare',
              src: 'screenShare',
              input: ({ context }) => ({ sessionName: context.sessionName, nickname: context.nickname }),
            },
          ],
          on: {
            'user.toggleMicrophone': { actions: 'forwardToDevices' },
            'user.toggleCamera': { actions: 'forwardToDevices' },
            'user.shareScreen': { actions: 'forwardToScreenShare' },
            'user.stopScreenShare': { actions: 'forwardToScreenShare' },
            'user.dismissScreenShareError': { actions: 'forwardToScreenShare' },
            'user.selectDevice': { actions: 'forwardToDevices' },
            'device.switched': { actions: 'forwardToDevices' },
            'device.lost': { actions: 'forwardToDevices' },
            'user.leave': 'leaving',
            'user.selectMain': { actions: 'selectMain' },
            'user.setLayout': { actions: 'setLayout' },
            'user.dismissNotice': { actions: 'dismissNotice' },
            // Only in the call: the Session can send signals once connected.
            'user.sendChat': { guard: 'chatMessageIsValid', actions: 'sendChatMessage' },
            // The server unpublished our stream (forceUnpublish): we stay in the call.
            'publisher.streamDestroyed': {
              actions: [
                { type: 'rememberOwnStream', params: { streamId: null } },
                { type: 'notify', params: { notice: UNPUBLISHED_BY_SERVER_NOTICE } },
              ],
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
                  actions: { type: 'dismissNoticeOf', params: { notice: CONNECTION_UNSTABLE_NOTICE } },
                },
              },
              after: {
                reconnectWindow: { target: '#call.ended', actions: 'recordReconnectTimedOut' },
              },
            },
          },
        },
        // session.disconnect(): the `leave` actor says goodbye to the server, then back to the
        // form. Every state of `session` but this one offers leave, so a second leave cannot start
        // a second goodbye. No timer: the library says goodbye at once (and a Session that never
        // got in has nobody to say it to; its connect actor disconnects it if it ever does).
        leaving: {
          invoke: { id: 'leave', src: 'leave', onDone: '#call.idle' },
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

function tokenFrom(event: { type: string }): string {
  const output = (event as { output?: unknown }).output;
  return typeof output === 'string' ? output : '';
}
