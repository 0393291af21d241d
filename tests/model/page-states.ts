// States: what the page shows in each state of the model, and what must hold at the server and
// on the page once an event was taken.
import { expect } from '@playwright/test';
import { openPeerConnections } from '../e2e/call-page.ts';
import { testServer } from '../support/local-server.ts';
import type { CallSnapshot, ModelEventType, StatePath } from './call.model.ts';
import type { DeviceStatePath } from './devices.model.ts';
import type { ScreenShareStatePath } from './screen-share.model.ts';
import { NOT_PAINTED_ON_PAGE } from './not-painted.ts';
import type { PageView } from './page-views.ts';
import type { World } from './world.ts';

export interface PageStateCheck {
  /** Whether the page shows this state in `view`, given the model's snapshot. */
  shows?: (view: PageView, model: CallSnapshot) => boolean;
  /** Why the page never paints this state; it is then checked through the inspector only. */
  notPainted?: string;
}

const nickname = 'Alice';
/** Who is large: nobody in the grid; else the pinned one, else a remote person (Bob), else Alice. */
function expectedMain(model: CallSnapshot): string {
  const { mainStreamId, ownStreamId, remoteStreams, layout } = model.context;
  if (layout === 'grid') return '';
  if (mainStreamId !== null) return mainStreamId === ownStreamId ? nickname : 'Bob';
  if (remoteStreams.length) return 'Bob';
  return ownStreamId ? nickname : '';
}
function expectedPinned(model: CallSnapshot): string {
  const { mainStreamId, ownStreamId } = model.context;
  if (mainStreamId === null) return '';
  return mainStreamId === ownStreamId ? nickname : 'Bob';
}

export const PAGE_STATES = {
  idle: {
    shows: (v, m) => v.screen === 'form' && (v.formError !== '') === (m.context.formError !== null),
  },
  'idle.camera': { shows: (v) => v.prejoinCamera !== '' },
  'idle.camera.on': { shows: (v) => v.prejoinCamera === 'true' },
  'idle.camera.off': { shows: (v) => v.prejoinCamera === 'false' },
  'idle.microphone': { shows: (v) => v.prejoinMicrophone !== '' },
  'idle.microphone.on': { shows: (v) => v.prejoinMicrophone === 'true' },
  'idle.microphone.off': { shows: (v) => v.prejoinMicrophone === 'false' },
  fetchingToken: { shows: (v) => v.screen === 'joining' && v.step === 'Getting a token…' },
  session: { shows: (v) => v.screen === 'joining' || v.screen === 'call' },
  'session.connecting': { shows: (v) => v.screen === 'joining' && v.step === 'Connecting…' },
  'session.publishing': { shows: (v) => v.screen === 'joining' && v.step === 'Starting your camera…' },
  'session.publishFailed': {
    shows: (v, m) => v.screen === 'call' && v.publishFailed === m.context.error?.kind && v.leave === 'Leave',
  },
  'session.inCall': {
    shows: (v, m) =>
      v.screen === 'call' &&
      v.publishFailed === '' &&
      v.leave === 'Leave' &&
      v.ownTile === (m.context.ownStreamId !== null) &&
      v.remoteTiles === m.context.remoteStreams.length &&
      (v.notice !== '') === (m.context.notice !== null) &&
      v.main === expectedMain(m) &&
      v.pinned === expectedPinned(m) &&
      v.layout === (m.context.layout === 'grid' ? 'Grid' : 'Speaker') &&
      v.mutedMarks === m.context.remoteStreams.filter((s) => !s.audioActive).length &&
      v.nameCards === m.context.remoteStreams.filter((s) => !s.videoActive).length,
  },
  'session.inCall.live': { shows: (v) => v.screen === 'call' && !v.reconnecting },
  'session.inCall.reconnecting': { shows: (v) => v.screen === 'call' && v.reconnecting },
  'session.leaving': { notPainted: NOT_PAINTED_ON_PAGE['session.leaving'] },
  failed: {
    shows: (v, m) => v.screen === 'failed' && v.errorTitle === 'Could not join' && v.errorKind === m.context.error?.kind,
  },
  ended: {
    shows: (v, m) => v.screen === 'ended' && v.errorTitle === 'The call ended' && v.errorKind === m.context.error?.kind,
  },
} satisfies Record<StatePath, PageStateCheck>;

/**
 * What the page shows in each state of the devices actor: the buttons' aria-pressed and state,
 * and, for a device gone, the notice that says so.
 */
export const DEVICE_PAGE_STATES: Record<DeviceStatePath, (view: PageView) => boolean> = {
  'devices.microphone': (v) => v.microphone !== '',
  'devices.microphone.on': (v) => v.microphone === 'true' && v.microphoneState === 'on',
  'devices.microphone.off': (v) => v.microphone === 'false' && v.microphoneState === 'off',
  'devices.microphone.switching': (v) => v.microphone === 'false' && v.microphoneState === 'switching',
  'devices.microphone.unavailable': (v) =>
    v.microphone === 'false' && v.microphoneState === 'unavailable' && /^Your (microphone|camera)\b.*Pick another/.test(v.deviceNotice),
  'devices.camera': (v) => v.camera !== '',
  'devices.camera.on': (v) => v.camera === 'true' && v.cameraState === 'on',
  'devices.camera.off': (v) => v.camera === 'false' && v.cameraState === 'off',
  'devices.camera.switching': (v) => v.camera === 'false' && v.cameraState === 'switching',
  'devices.camera.unavailable': (v) =>
    v.camera === 'false' && v.cameraState === 'unavailable' && /^Your (microphone|camera)\b.*Pick another/.test(v.deviceNotice),
};

/**
 * What the page shows where the screen-share actor comes to rest: the Share screen button's
 * aria-pressed, the "Sharing your screen" mark, and the error. The steps in between (picking,
 * connecting, publishing, stopping) pass by themselves: they are recorded from the inspector.
 */
export const SCREEN_SHARE_PAGE_STATES: Partial<Record<ScreenShareStatePath, (view: PageView) => boolean>> = {
  'screenShare.idle': (v) => v.screenShare === 'false' && !v.sharing && v.screenError === '',
  'screenShare.active.fetchingToken': (v) => v.screenShare === 'true' && !v.sharing,
  'screenShare.active.sharing': (v) => v.screenShare === 'true' && v.sharing && v.screenError === '',
  'screenShare.failed': (v) => v.screenShare === 'false' && v.screenError !== '',
};

/**
 * What must hold once an event was taken, beyond what the page shows: after a leave, at whatever
 * step it came, the server holds no participant for Alice and her page no open peer connection.
 */
export const SERVER_CHECKS: Partial<Record<ModelEventType, (world: World) => Promise<void>>> = {
  'xstate.done.actor.leave': async (world) => {
    await expect
      .poll(async () => (await testServer.connectionsBy(world.session)).has('Alice'), {
        message: 'the server still holds Alice after she left',
        timeout: 15_000,
      })
      .toBe(false);
    await expect.poll(() => openPeerConnections(world.alice), { message: 'peer connections open after leaving' }).toBe(0);
  },
};

