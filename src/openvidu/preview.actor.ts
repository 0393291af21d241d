// The pre-join preview as an actor: the call machine invokes it in `idle` (the form), so it runs
// exactly while the form is shown. On start it turns the preview on (if the page may use the
// camera already, on the first visit); on stop (Join) it hands the tracks over for publishing.
// The machine starts it with the camera and microphone chosen on or off and tells it each change
// (`preview.turn`): the preview stops or opens the camera, mutes or unmutes the microphone, and
// the choice is remembered for the next visit. Its code loads on its own, so the form never waits.
import { fromCallback } from 'xstate';
import type { DevicesAtJoin, PreviewCommand } from '../../machines/call.types.ts';
import { loadOnce } from '../load-once.ts';
import { rememberDevices } from './device-choice.ts';
import type { Preview } from './preview.ts';

/** The page's one preview, loaded on first use; the views read and drive it. */
export const loadPreview: () => Promise<Preview> = loadOnce(() => import('./preview.ts').then((m) => new m.Preview()));

export const previewActor = fromCallback<PreviewCommand, DevicesAtJoin>(({ input, receive }) => {
  let stopped = false;
  let wanted = { ...input };
  const preview = loadPreview();
  preview.then(
    (p) => {
      if (!stopped) void p.activate(wanted);
    },
    () => undefined, // the form works without it
  );
  receive((command) => {
    wanted = { ...wanted, [command.kind]: command.to };
    rememberDevices({ [command.kind]: command.to });
    preview.then((p) => (stopped ? undefined : p.turn(command.kind, command.to === 'on')), () => undefined);
  });
  return () => {
    stopped = true;
    preview.then((p) => p.deactivate(), () => undefined);
  };
});
