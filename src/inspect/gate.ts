// Whether the page streams its machine to the Stately inspector. Kept apart from src/inspect.ts
// so that deciding costs nothing: the inspector itself is imported only when this says yes.
/** Whether the page was asked to stream its machine to the inspector. */
export function inspectRequested(search: string, env: Record<string, string | undefined>): boolean {
  return new URLSearchParams(search).has('inspect') || env.VITE_INSPECT === 'true';
}
