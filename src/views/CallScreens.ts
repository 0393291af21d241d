// Every screen after the join form, gathered so that they build into one chunk of their own
// (with the Svelte internals only they use). Import it only through call-screens.ts.
export { default as CallView } from './CallView.svelte';
export { default as ErrorPanel } from './ErrorPanel.svelte';
export { default as JoiningProgress } from './JoiningProgress.svelte';
