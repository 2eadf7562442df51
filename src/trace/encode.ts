// The trace's text form: JSON Lines, one header line then one line per event. Keys keep
// the order in which the producer built the event (which is fixed), clocks are JSON
// objects with keys in the node's insertion order. Encoding is pure and deterministic.

import { snapshotJson } from '../core/clock.js';
import type { TraceEvent, TraceHeader } from './events.js';

export function encodeHeader(h: TraceHeader): string {
  return JSON.stringify(h);
}

const CLOCK_KEYS = new Set(['before', 'after']);

export function encodeEvent(e: TraceEvent): string {
  let s = '{';
  let first = true;
  for (const k in e) {
    const v = (e as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (!first) s += ',';
    first = false;
    s += '"' + k + '":' + (CLOCK_KEYS.has(k) ? snapshotJson(v as never) : JSON.stringify(v));
  }
  return s + '}';
}
