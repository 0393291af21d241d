// The vocabulary of the call machine: what it remembers (context), what can happen to it
// (events) and how a failure is recorded. Everything here is plain, serialisable data: the
// OpenVidu objects themselves live inside the actors in src/openvidu/, never here, so the Stately
// inspector and the graph tools can serialise every snapshot.
import type { ScreenShareUserEvent } from './screen-share.types.ts';

/** Grid: every tile the same size. Speaker: one video large, everyone in a strip. */
export type Layout = 'grid' | 'speaker';

/** What a person chose on the join form. */
export interface JoinRequest {
  sessionName: string;
  nickname: string;
}

/** Which devices the publisher asks for. Turning one off is how "join without camera" works. */
export interface MediaChoice {
  audio: boolean;
  video: boolean;
}

/** A device the person turned on or off. */
export type DeviceSwitch = 'on' | 'off';

/**
 * Whether the camera and microphone are on when the call starts: chosen on the join form (the
 * machine's `idle.camera` / `idle.microphone` states), remembered for the next visit, and honoured
 * at join (published off, the camera not even open) and by the call's devices actor.
 */
export interface DevicesAtJoin {
  camera: DeviceSwitch;
  microphone: DeviceSwitch;
}

/** What the call machine is started with: the form's fields, and the on/off choice remembered. */
export type CallInput = Partial<JoinRequest> & { atJoin?: Partial<DevicesAtJoin> };

/** What the call machine tells the pre-join preview actor: a device turned on or off on the form. */
export type PreviewCommand = { type: 'preview.turn'; kind: DeviceKind; to: DeviceSwitch };

/** Which field of the join form a problem is about. */
export type JoinField = 'sessionName' | 'nickname';

/** Why the join form cannot be sent as it is: the field to fix, and what to do. */
export interface JoinFormProblem {
  field: JoinField;
  message: string;
}

/** Why a step failed, in words a person can act on. `kind` is stable; `message` is for people. */
export interface CallError {
  kind: CallErrorKind;
  message: string;
  /** The device a publisher error is about, when OpenVidu tells us. */
  device?: 'camera' | 'microphone' | 'camera and microphone';
  /** An https address to open and accept its certificate, when that may be what went wrong. */
  certificateUrl?: string;
}

/** Every kind of failure, grouped by the step it comes from: the one list the type and the checks derive from. */
export const CALL_ERROR_KINDS = [
  // Getting a token (see src/token/token-error.ts for where these come from).
  'unreachable',
  'secretRefused',
  'badSessionName',
  'sessionGone',
  'unexpected',
  // Connecting with the token.
  'tokenRefused',
  'connectFailed',
  // Starting the camera and microphone (OpenVidu's OpenViduErrorName values, grouped).
  'deviceAccessDenied',
  'deviceInUse',
  'deviceNotFound',
  'deviceError',
  'publishFailed',
  // The call ended without the person asking for it.
  'networkDisconnect',
  'forceDisconnectByServer',
  'forceDisconnectByUser',
  'sessionClosedByServer',
  'reconnectTimedOut',
  'disconnected',
] as const;

export type CallErrorKind = (typeof CALL_ERROR_KINDS)[number];

/** Someone else in the session, whether or not they publish anything. */
export interface ParticipantInfo {
  connectionId: string;
  /** Already parsed from the connection data; a fallback label when there was none. */
  nickname: string;
}

/** One chat message, as shown: who sent it, when it arrived, the text (always shown as text). */
export interface ChatMessage {
  /** Increasing within a call: a stable key for the list. */
  id: number;
  fromConnectionId: string;
  nickname: string;
  text: string;
  /** When it arrived, in ms since the epoch. */
  at: number;
  /** Sent by us (the server echoes every message to its sender too). */
  mine: boolean;
}

/** The chat of a call: its messages (the latest ones), how many arrived unseen, whether it is open. */
export interface ChatState {
  messages: ChatMessage[];
  unread: number;
  open: boolean;
}

/** A remote participant's published stream, as the tiles need it. */
export interface RemoteStreamInfo {
  streamId: string;
  connectionId: string;
  /** Already parsed from the connection data; a fallback label when there was none. */
  nickname: string;
  hasAudio: boolean;
  hasVideo: boolean;
  /** Whether their microphone is on (false when muted, or when they publish no audio). */
  audioActive: boolean;
  /** Whether their camera is on (false when turned off, or when they publish no video). */
  videoActive: boolean;
  /**
   * A shared screen (its connection says `type: "SCREEN"`): shown as "<nickname> (screen)",
   * large by default, and not a person of its own.
   */
  screen?: boolean;
  /** Groups a person's camera and screen (openvidu-call's participantId), when their data has one. */
  participantId?: string;
}

export interface CallContext {
  sessionName: string;
  nickname: string;
  /** Why the last join attempt was refused before any request was made. */
  formError: JoinFormProblem | null;
  media: MediaChoice;
  /** The camera and microphone chosen on or off on the form: the `idle` regions' states, kept while the form is not shown. */
  atJoin: DevicesAtJoin;
  /** Our own connection, once OpenVidu accepted the token. */
  connectionId: string | null;
  /** Our own published stream, once the server answered publishVideo. */
  ownStreamId: string | null;
  /**
   * Everyone else in the session, in arrival order, from connectionCreated / connectionDestroyed:
   * someone who publishes nothing still gets a tile, so nobody is in the call unseen.
   */
  participants: ParticipantInfo[];
  /** Remote streams in arrival order; each has a stream actor `stream:<streamId>`. */
  remoteStreams: RemoteStreamInfo[];
  /** Grid (every tile the same size) or speaker (one video large, everyone in a strip). */
  layout: Layout;
  /**
   * The stream the person pinned (your own or a remote one): shown large whoever speaks. `null`:
   * nothing pinned, the large video follows the active speaker (machines/call.layout.ts).
   */
  mainStreamId: string | null;
  /** The remote person (connection id) who most recently started speaking, while in the call. */
  activeSpeaker: string | null;
  chat: ChatState;
  /** Connection ids of those speaking now (ours included), from the library's speech detection. */
  speaking: string[];
  error: CallError | null;
  /** A non-fatal message shown in the call (e.g. the server stopped your camera). */
  notice: string | null;
}

/** The stream actor id for a remote stream: derived, so views and tests can find it. */
export const streamActorId = (streamId: string): string => `stream:${streamId}`;

export type UserEvent =
  | { type: 'user.join'; sessionName: string; nickname: string }
  | { type: 'user.leave' }
  | { type: 'user.retry' }
  | { type: 'user.dismiss' }
  /** A click on a tile pins it (a click on the pinned one, or `null`, unpins). */
  | { type: 'user.selectMain'; streamId: string | null }
  | { type: 'user.setLayout'; layout: Layout }
  | { type: 'user.continueWithoutDevice' }
  | { type: 'user.retryPublish' }
  | { type: 'user.dismissNotice' }
  | { type: 'user.openChat' }
  | { type: 'user.closeChat' }
  | { type: 'user.sendChat'; text: string }
  | DevicesEvent
  | ScreenShareUserEvent;

/** Which of your own devices an event is about. */
export type DeviceKind = 'camera' | 'microphone';

/**
 * Your own devices in the call (handled by machines/devices.machine.ts): the person's toggles and
 * choices, and what the session actor reports of them (a switch done, a device gone).
 */
export type DevicesEvent =
  | { type: 'user.toggleMicrophone' }
  | { type: 'user.toggleCamera' }
  /** The person picked another camera or microphone in the call's menus. */
  | { type: 'user.selectDevice'; kind: DeviceKind; deviceId: string }
  /** The new device's track replaced the old one (Publisher.replaceTrack). */
  | { type: 'device.switched'; kind: DeviceKind; deviceId: string; label: string }
  /**
   * The device stopped: unplugged (its track ended, or it left the device list), or the one
   * picked could not start. `label` names it when the browser does.
   */
  | { type: 'device.lost'; kind: DeviceKind; label: string; why: 'disconnected' | 'failed' };

/**
 * Sent by the OpenVidu session actor (src/openvidu/session.actor.ts) while the Session exists. How
 * connecting, publishing and leaving end is not here: those are the results of the actors the
 * machine's `connecting`, `publishing` and `leaving` states invoke (`xstate.done.actor.connect`, ...).
 */
export type SessionEvent =
  | { type: 'session.connectionCreated'; connection: ParticipantInfo }
  | { type: 'session.connectionDestroyed'; connectionId: string }
  | { type: 'session.streamCreated'; stream: RemoteStreamInfo }
  | { type: 'session.streamDestroyed'; streamId: string; reason: string }
  | { type: 'session.disconnected'; reason: string }
  | { type: 'session.reconnecting' }
  | { type: 'session.reconnected' }
  | { type: 'session.exception'; name: string; message: string; streamId?: string }
  | { type: 'session.chatReceived'; message: Omit<ChatMessage, 'id' | 'mine'> }
  | { type: 'session.speakingChanged'; connectionId: string; speaking: boolean }
  /** A remote person turned their microphone or camera on or off (streamPropertyChanged). */
  | { type: 'session.streamPropertyChanged'; streamId: string; property: 'audioActive' | 'videoActive'; value: boolean }
  /** The server unpublished our camera and microphone (forceUnpublish): we stay in the call without them. */
  | { type: 'publisher.streamDestroyed'; reason: string }
  /** A device switch done, or a device gone (passed on to the devices actor). */
  | Extract<DevicesEvent, { type: 'device.switched' | 'device.lost' }>;

export type CallEvent = UserEvent | SessionEvent;

/** Commands the machine (and the devices actor) send the session actor while in the call. */
export type SessionCommand =
  | { type: 'sendChat'; text: string }
  | { type: 'publishAudio'; enabled: boolean }
  | { type: 'publishVideo'; enabled: boolean }
  /** Open `deviceId` ('' for the default) and put its track in the published stream. */
  | { type: 'switchDevice'; kind: DeviceKind; deviceId: string };

/** The actor that holds the Session for as long as the `session` state lasts. */
export interface SessionActorInput {
  sessionName: string;
  nickname: string;
}

/** `connecting`'s actor: connects the Session with the token; its output is our connection id. */
export interface ConnectInput {
  token: string;
  nickname: string;
  /**
   * What the first publish will ask for: the actor starts these devices while it connects, so
   * the camera is warm (and its preview showing) by the time `publishing` comes.
   */
  media: MediaChoice;
  /** A device chosen off on the form starts off: published inactive, the camera not opened. */
  atJoin: DevicesAtJoin;
}

/** `publishing`'s actor: starts the camera and microphone and publishes them; its output is our stream id. */
export interface PublishInput {
  media: MediaChoice;
  atJoin: DevicesAtJoin;
}

export interface FetchTokenInput {
  sessionName: string;
}
