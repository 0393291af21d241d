// The screens after the join form load on their own: a first visit shows only the form, which
// should not wait for them (nor count them in the JS it needs). App.svelte asks for them once the
// page is idle and, at the latest, when the machine leaves the form.
export type CallScreens = typeof import('./CallScreens.ts');

let loading: Promise<CallScreens> | undefined;

export function loadCallScreens(): Promise<CallScreens> {
  loading ??= import('./CallScreens.ts').catch((error: unknown) => {
    loading = undefined; // a failed fetch (network) may be tried again
    throw error;
  });
  return loading;
}
