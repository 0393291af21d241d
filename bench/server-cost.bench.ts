import type { Benchmark } from './context.ts';
export const serverCostBench: Benchmark = { name: 'server-cost', async run() { return { rows: [] }; } };
