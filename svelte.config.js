import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  // TypeScript in <script lang="ts"> blocks.
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
    // Not the `window.__svelte.v` version stamp: nothing reads it, and the form's code is kept small.
    discloseVersion: false,
  },
};
