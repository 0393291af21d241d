// Who we are across our own connections. openvidu-call groups a person's camera and screen
// connections by one `participantId` in their connection data; the session actor makes a new one
// per join and the screen actor sends the same one, so others show our screen as ours, and our
// camera session knows which screen stream is our own (and never subscribes to it).
import { newParticipantId } from './connection-data.ts';

export class OwnIdentity {
  participantId = newParticipantId();

  /** A new join: a new id, as openvidu-call makes one per participant. */
  renew(): string {
    this.participantId = newParticipantId();
    return this.participantId;
  }
}
