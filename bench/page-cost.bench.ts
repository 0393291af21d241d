import type { Benchmark } from './context.ts';
export const pageCostBench: Benchmark = { name: 'page-cost', async run() { return { rows: [] }; } };
