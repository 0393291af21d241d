// The vocabulary of the screen share (machines/screen-share.machine.ts): what the person asks,
// what its OpenVidu actor reports, and what the machine tells that actor. Plain data only: the
// screen's Session, Publisher and MediaStream live in src/openvidu/screen-share.actor.ts.

/** Given by the call machine when it invokes the screen share from `inCall`. */
export interface ScreenShareInput {
  sessionName: string;
  nickname: string;
}

export interface ScreenShareContext extends ScreenShareInput {
  /** Our screen's stream, once the server accepted it. */
  streamId: string | null;
  /** Why the last share did not start or stopped by itself, in words a person can act on. */
  error: string | null;
}

/** The person's own controls, forwarded by the call machine. */
export type ScreenShareUserEvent =
  | { type: 'user.shareScreen' }
  | { type: 'user.stopScreenShare' }
  | { type: 'user.dismissScreenShareError' };

/** Sent by the screen's OpenVidu actor (src/openvidu/screen-share.actor.ts). */
export type ScreenActorEvent =
  /** The person picked what to share in the browser's picker. */
  | { type: 'screen.picked' }
  /** The person closed the picker without picking: nothing to say. */
  | { type: 'screen.pickCancelled' }
  | { type: 'screen.connected'; connectionId: string }
  | { type: 'screen.published'; streamId: string }
  /** The shared surface went away: the browser's own "Stop sharing", or the shared app closed. */
  | { type: 'screen.ended' }
  /** Unpublished and disconnected. */
  | { type: 'screen.stopped' }
  /** Any step failed, or the screen's connection was lost: `message` says what happened. */
  | { type: 'screen.failed'; message: string };

export type ScreenShareEvent = ScreenShareUserEvent | ScreenActorEvent;

/** What the machine asks of the screen's OpenVidu actor. */
export type ScreenCommand = { type: 'connect'; token: string } | { type: 'publish' } | { type: 'stop' };

export interface ScreenActorInput {
  nickname: string;
}

export interface ScreenTokenInput {
  sessionName: string;
}
