import type { Benchmark } from './context.ts';
export const firstFrameBench: Benchmark = { name: 'first-frame', async run() { return { rows: [] }; } };
