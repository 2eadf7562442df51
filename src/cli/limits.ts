// Limits checked before a run starts (docs/errors.md, "Limits"): a run whose event queue
// cannot fit in this process's memory is refused with an estimate and what to change; a
// large one starts with a warning that says how large.

import { getHeapStatistics } from 'node:v8';
import { estimateRun, type Scenario } from '../api/index.js';
import { userError } from '../util/errors.js';

/** Above this many estimated trace events a run starts with a warning. */
export const WARN_EVENTS = 20_000_000;
/** Bytes of trace.jsonl per event, roughly (for the warning's disk estimate). */
const TRACE_BYTES_PER_EVENT = 150;

const num = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
const big = (x: number): string => (x >= 1e12 ? `${num(x / 1e12)} trillion` : x >= 1e9 ? `${num(x / 1e9)} billion` : x >= 1e6 ? `${num(x / 1e6)} million` : Math.round(x).toLocaleString('en-US'));
const bytes = (b: number): string => (b >= 1e12 ? `${num(b / 1e12)} TB` : b >= 1e9 ? `${num(b / 1e9)} GB` : `${Math.ceil(b / 1e6)} MB`);

/**
 * Refuses (UserError naming `where`) a simulated run that cannot fit in memory; returns the
 * warning line for a large one, or null.
 */
export function checkRunSize(sc: Scenario, where: string, outputs: 'all' | 'none'): string | null {
  const e = estimateRun(sc);
  const heap = getHeapStatistics().heap_size_limit;
  const how = sc.membership === 'handshake' && sc.nodes > 200
    ? 'join: {membership: static} (no N^3 handshake), fewer nodes, a longer workload.interval or a shorter --duration'
    : 'fewer nodes or senders, a longer workload.interval or a shorter --duration';
  if (e.peakBytes > heap) {
    throw userError(where, `too large to run: about ${big(e.deliveries)} delivery attempts, with up to ${big(e.peakQueue)} in the event queue at once (about ${bytes(e.peakBytes)}), more than this process may use (${bytes(heap)}); use ${how}`);
  }
  if (e.events < WARN_EVENTS) return null;
  return `vcsim: warning: a large run: about ${big(e.events)} trace events (${big(e.deliveries)} delivery attempts), up to ${bytes(e.peakBytes)} of event queue${outputs === 'all' ? `, about ${bytes(e.events * TRACE_BYTES_PER_EVENT)} of trace.jsonl` : ''}; it may take a long time (Ctrl-C stops it and removes its files). Lighter: ${outputs === 'all' ? '--outputs none --checker off, or ' : ''}${how}`;
}
