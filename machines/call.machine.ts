// The call machine, whole: its chart (call.chart.ts) with its child machines (call.children.ts).
// Tests, the diagram and the types use this one. The page builds the same machine from the chart
// and gives it the children once their code has loaded (src/main.ts), so that the join form does
// not wait for code only a call runs.
import { callChart } from './call.chart.ts';
import { callChildren } from './call.children.ts';

export const callMachine = callChart.provide({ actors: callChildren });

export type CallMachine = typeof callMachine;
