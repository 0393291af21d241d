// Whether the page streams its machine to the Stately inspector. Kept apart from src/inspect.ts
// so that deciding costs nothing: the inspector itself is imported only when this says yes.

/** The link asks for the inspector; honoured only where config.json allows link overrides. */
export function linkAsksInspect(search: string): boolean {
  return new URLSearchParams(search).has('inspect');
}

/**
 * On when the build asked for it (VITE_INSPECT=true, the operator's choice), or when the link
 * asks and the configuration lets links change the page (`allowLinkOverrides`).
 */
export function inspectRequested(search: string, allowLinkOverrides: boolean, buildFlag: string | undefined): boolean {
  return buildFlag === 'true' || (allowLinkOverrides && linkAsksInspect(search));
}
