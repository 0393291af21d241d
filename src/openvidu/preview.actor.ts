// The pre-join preview as an actor: the call machine invokes it in `idle` (the form), so it runs
// exactly while the form is shown. On start it turns the preview on (if the page may use the
// camera already, on the first visit); on stop (Join) it hands the tracks over for publishing.
// Its code loads on its own, so the form never waits for it.
import { fromCallback } from 'xstate';
import { loadOnce } from '../load-once.ts';
import type { Preview } from './preview.ts';

/** The page's one preview, loaded on first use; the views read and drive it. */
export const loadPreview: () => Promise<Preview> = loadOnce(() => import('./preview.ts').then((m) => new m.Preview()));

export const previewActor = fromCallback(() => {
  let stopped = false;
  const preview = loadPreview();
  preview.then(
    (p) => {
      if (!stopped) void p.activate();
    },
    () => undefined, // the form works without it
  );
  return () => {
    stopped = true;
    preview.then((p) => p.deactivate(), () => undefined);
  };
});
