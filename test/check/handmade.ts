// Test helper: hand-drawn runs as trace events. A run is written as steps, one per event in
// program order: ['send', node, msg] or ['recv', node, msg]; clocks are made up by the test.

import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';

export type Step = readonly ['send' | 'recv' | 'die', string, number];

export function header(nodes: readonly string[], clock: 'seed' | 'fidge-mattern' | 'lamport' = 'fidge-mattern'): TraceHeader {
  return { type: 'header', vcsim: 'test', format: 1, transport: 'sim', replayable: false, seed: 0, clock, nodes, scenario: {}, faults: [] };
}

/** Trace events for the steps; `clockOf(i)` gives event i's clock (default: a Lamport-ish counter). */
export function trace(steps: readonly Step[], clockOf: (i: number) => Record<string, number> | number = (i) => i + 1): TraceEvent[] {
  const sender = new Map<number, string>();
  return steps.map(([kind, node, msg], ev): TraceEvent => {
    const after = clockOf(ev) as never;
    if (kind === 'send') {
      sender.set(msg, node);
      return { type: 'send', ev, t: ev, node, msg, text: '', bytes: 0, before: after, after };
    }
    const d = { msg, from: sender.get(msg) ?? '?', sent: 0, copy: 0, dg: 'chat' as const };
    if (kind === 'die') return { type: 'receiver_died', ev, t: ev, node, ...d, cause: 'unknown_key', detail: '', before: after, after };
    return { type: 'receive', ev, t: ev, node, ...d, before: after, after };
  });
}

/** Happened-before by construction: the transitive closure of program order and send -> receive. */
export function closure(steps: readonly Step[]): boolean[][] {
  const n = steps.length;
  const hb = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  const sendAt = new Map<number, number>();
  const last = new Map<string, number>();
  steps.forEach(([kind, node, msg], i) => {
    const p = last.get(node);
    if (p !== undefined) hb[p][i] = true;
    last.set(node, i);
    if (kind === 'send') sendAt.set(msg, i);
    else hb[sendAt.get(msg)!][i] = true;
  });
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) if (hb[i][k]) for (let j = 0; j < n; j++) if (hb[k][j]) hb[i][j] = true;
  return hb;
}
