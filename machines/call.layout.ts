// The layout of the call as pure updates of the call's context: which view (grid or speaker),
// which video the person pinned, and who spoke last. The call machine names the transitions; these
// say what each does to the data. Which video is shown large follows from them (call.selectors.ts
// mainVideoOf): the pinned one, else a shared screen, else the active speaker, else a remote person,
// else your own camera.
import type { CallContext, Layout } from './call.types.ts';

export const LAYOUTS: readonly Layout[] = ['grid', 'speaker'];

type LayoutContext = Pick<CallContext, 'layout' | 'mainStreamId' | 'activeSpeaker' | 'ownStreamId' | 'remoteStreams' | 'connectionId'>;

/**
 * A click on a tile pins it (your own included); a click on the pinned tile, or `null`, unpins, and
 * the large video follows the speaker again. Pinning from the grid opens the speaker view: a click
 * asks for that person large. An unknown stream changes nothing.
 */
export function pin(context: LayoutContext, streamId: string | null): Pick<CallContext, 'mainStreamId' | 'layout'> {
  const { mainStreamId, layout } = context;
  if (streamId === null || streamId === mainStreamId) return { mainStreamId: null, layout };
  const known = streamId === context.ownStreamId || context.remoteStreams.some((s) => s.streamId === streamId);
  return known ? { mainStreamId: streamId, layout: 'speaker' } : { mainStreamId, layout };
}

/** Only the two layouts there are: anything else leaves the layout as it was. */
export const setLayout = (current: Layout, wanted: string): Layout => (LAYOUTS.includes(wanted as Layout) ? (wanted as Layout) : current);

/**
 * The active speaker: the remote person who most recently started speaking. It stays when they
 * stop (the large video does not jump back at every pause) and moves when someone else starts.
 * Your own voice never makes your own camera large.
 */
export function noteActiveSpeaker(context: LayoutContext, connectionId: string, speaking: boolean): string | null {
  if (!speaking || connectionId === context.connectionId) return context.activeSpeaker;
  return connectionId;
}

/** The person left: they are no longer the active speaker. */
export const forgetSpeaker = (activeSpeaker: string | null, connectionId: string): string | null =>
  activeSpeaker === connectionId ? null : activeSpeaker;
