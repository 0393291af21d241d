// The screens after the join form load on their own: a first visit shows only the form, which
// should not wait for them (nor count them in the JS it needs). main.ts's preloader asks for them
// once the page is idle, and App.svelte at the latest when the machine leaves the form.
import { loadOnce } from '../load-once.ts';

export type CallScreens = typeof import('./CallScreens.ts');

export const loadCallScreens: () => Promise<CallScreens> = loadOnce(() => import('./CallScreens.ts'));
