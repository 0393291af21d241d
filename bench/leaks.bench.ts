import type { Benchmark } from './context.ts';
export const leaksBench: Benchmark = { name: 'leaks', async run() { return { rows: [] }; } };
