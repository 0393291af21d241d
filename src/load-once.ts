// A dynamic import (or any load) made once and shared by every caller; a failed one (network) is
// forgotten, so the next caller tries again and gets the error itself if it fails again.
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
