// The actions of everything that happens while an OpenVidu Session exists: who is there, their
// streams (one spawned actor each), the chat, who speaks, exceptions, the main video, your own
// devices, and forgetting it all when the Session ends.
import { assertEvent, assign, enqueueActions, sendTo } from 'xstate';
import { closeChat, emptyChat, openChat, receiveChat, setSpeaking } from './call.chat.ts';
import { exceptionNotice, RECONNECT_TIMED_OUT } from './call.errors.ts';
import { forgetSpeaker, noteActiveSpeaker, pin, setLayout } from './call.layout.ts';
import { joiningSetup } from './call.joining.ts';
import { streamActorId, type SessionCommand } from './call.types.ts';

/**
 * The most people the call keeps track of. The server decides who is in a session, but what
 * arrives over the network is bounded all the same: past this, newcomers are not listed.
 */
const MAX_PARTICIPANTS = 500;

export const inSessionSetup = joiningSetup.extend({
  actions: {
    // The connection did not come back in time. The page provides its own when config.json sets
    // another wait (call.reconnect-wait.ts, with the `reconnectWindow` delay), so the message names it.
    recordReconnectTimedOut: assign({ error: RECONNECT_TIMED_OUT }),
    addParticipant: assign(({ context, event }) => {
      assertEvent(event, 'session.connectionCreated');
      const { connection } = event;
      const { participants } = context;
      if (participants.length >= MAX_PARTICIPANTS) return {};
      if (participants.some((p) => p.connectionId === connection.connectionId)) return {};
      return { participants: [...participants, { connectionId: connection.connectionId, nickname: connection.nickname }] };
    }),
    removeParticipant: assign(({ context, event }) => {
      assertEvent(event, 'session.connectionDestroyed');
      return {
        participants: context.participants.filter((p) => p.connectionId !== event.connectionId),
        activeSpeaker: forgetSpeaker(context.activeSpeaker, event.connectionId),
      };
    }),
    receiveChatMessage: assign(({ context, event }) => {
      assertEvent(event, 'session.chatReceived');
      return { chat: receiveChat(context.chat, event.message, context.connectionId) };
    }),
    sendChatMessage: sendTo('openvidu', ({ event }) => {
      assertEvent(event, 'user.sendChat');
      return { type: 'sendChat', text: event.text.trim() } satisfies SessionCommand;
    }),
    openChat: assign({ chat: ({ context }) => openChat(context.chat) }),
    closeChat: assign({ chat: ({ context }) => closeChat(context.chat) }),
    noteSpeaking: assign(({ context, event }) => {
      assertEvent(event, 'session.speakingChanged');
      return {
        speaking: setSpeaking(context.speaking, event.connectionId, event.speaking),
        activeSpeaker: noteActiveSpeaker(context, event.connectionId, event.speaking),
      };
    }),
    // Spawned, not invoked: a stream's life is bounded by streamCreated / streamDestroyed, not by
    // a state. The id is derived from the stream id so the stream can be found again.
    addRemoteStream: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'session.streamCreated');
      const { stream } = event;
      if (context.remoteStreams.some((s) => s.streamId === stream.streamId)) return;
      enqueue.spawnChild('stream', { id: streamActorId(stream.streamId), input: stream });
      // A shared screen is shown large unless something is pinned (call.selectors.ts mainVideoOf).
      enqueue.assign({ remoteStreams: [...context.remoteStreams, stream] });
    }),
    removeRemoteStream: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'session.streamDestroyed');
      if (!context.remoteStreams.some((s) => s.streamId === event.streamId)) return;
      enqueue.stopChild(streamActorId(event.streamId));
      enqueue.assign({
        remoteStreams: context.remoteStreams.filter((s) => s.streamId !== event.streamId),
        // The person pinned left: the large video follows the speaker again (the tutorial froze here).
        mainStreamId: context.mainStreamId === event.streamId ? null : context.mainStreamId,
      });
    }),
    // A remote person's microphone or camera went on or off: their tile shows it.
    updateRemoteStream: assign(({ context, event }) => {
      assertEvent(event, 'session.streamPropertyChanged');
      const { streamId, property, value } = event;
      return { remoteStreams: context.remoteStreams.map((s) => (s.streamId === streamId ? { ...s, [property]: value } : s)) };
    }),
    // A click on a tile pins it; on the pinned one, unpins (machines/call.layout.ts).
    selectMain: assign(({ context, event }) => {
      assertEvent(event, 'user.selectMain');
      return pin(context, event.streamId);
    }),
    setLayout: assign(({ context, event }) => {
      assertEvent(event, 'user.setLayout');
      return { layout: setLayout(context.layout, event.layout) };
    }),
    // An exception about a remote stream belongs to that stream's actor; any other is shown as a
    // notice (unless `quiet`: while reconnecting, the banner already says the connection is
    // lost), and the call goes on.
    routeException: enqueueActions(({ context, event, enqueue }, params: { quiet: boolean }) => {
      assertEvent(event, 'session.exception');
      const { streamId, name, message } = event;
      if (streamId && context.remoteStreams.some((s) => s.streamId === streamId)) {
        enqueue.sendTo(streamActorId(streamId), { type: 'stream.exception', name, message });
      } else if (!params.quiet) {
        enqueue.assign({ notice: exceptionNotice(name, message) });
      }
    }),
    // The person's toggles of their own microphone and camera go to the actor that owns them.
    forwardToDevices: sendTo('devices', ({ event }) => event),
    // Sharing the screen, stopping it, dismissing its error: the screen-share actor's business.
    forwardToScreenShare: sendTo('screenShare', ({ event }) => event),
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
  },
});
