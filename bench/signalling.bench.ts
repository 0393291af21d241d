import type { Benchmark } from './context.ts';
export const signallingBench: Benchmark = { name: 'signalling', async run() { return { rows: [] }; } };
