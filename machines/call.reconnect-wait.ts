// How long the call waits for a lost connection, as an operator sets it (config.json's
// `reconnectWindowSeconds`): the call actor is created before that setting arrives, so the wait
// is read when reconnecting starts, and the message that ends the call names that same wait.
import { assign } from 'xstate';
import { reconnectTimedOut } from './call.errors.ts';
import type { callChart } from './call.chart.ts';

/** The chart or the whole machine: both have the same type. */
type CallChart = typeof callChart;

/** The machine with its reconnection timer and its message following `waitMs()`. */
export function withReconnectWindow(machine: CallChart, waitMs: () => number): CallChart {
  return machine.provide({
    delays: { reconnectWindow: () => waitMs() },
    actions: { recordReconnectTimedOut: assign({ error: () => reconnectTimedOut(waitMs()) }) },
  });
}
