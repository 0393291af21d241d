// Where the pre-join preview leaves its tracks on Join, for the connect actor to publish: the
// camera is opened once per join. Unclaimed tracks (the join never reached the session, and the
// form did not take them back) are stopped after a while, so the camera light goes out.
const UNCLAIMED_MS = 30_000;

let left: { stream: MediaStream; timer: ReturnType<typeof setTimeout> } | null = null;

const live = (stream: MediaStream) => stream.getTracks().some((t) => t.readyState === 'live');

export function handOffPreview(stream: MediaStream): void {
  releaseHandOff();
  const timer = setTimeout(releaseHandOff, UNCLAIMED_MS);
  left = { stream, timer };
}

/** The tracks the preview left, if any are still live; the caller owns them from now on. */
export function takePreview(): MediaStream | null {
  if (!left) return null;
  const { stream, timer } = left;
  clearTimeout(timer);
  left = null;
  if (live(stream)) return stream;
  for (const track of stream.getTracks()) track.stop();
  return null;
}

export function releaseHandOff(): void {
  const stream = takePreview();
  for (const track of stream?.getTracks() ?? []) track.stop();
}
