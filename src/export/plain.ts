// Trace events in their plain form, as trace.jsonl holds them: clocks are JSON objects (or
// numbers, for Lamport clocks) instead of the simulator's shared snapshots. The diagram, the
// report and the ShiViz export read this form, so they work the same on a live run (events
// converted as they stream past) and on a run folder read back from its trace.jsonl.

import type { ClockSnapshot } from '../core/clock.js';
import type { TraceEvent } from '../trace/events.js';

/** A clock as the trace writes it: `{"n0":2,"n1":1}` (insertion order) or a Lamport number. */
export type PlainClock = number | Readonly<Record<string, number>>;

type Plainify<E> = E extends unknown ? { readonly [K in keyof E]: K extends 'before' | 'after' ? PlainClock : E[K] } : never;

/** A trace event with plain clocks. */
export type PlainEvent = Plainify<TraceEvent>;

export function plainClock(c: ClockSnapshot): PlainClock {
  if (typeof c === 'number') return c;
  const o: Record<string, number> = {};
  for (let i = 0; i < c.values.length; i++) o[c.names[i]] = c.values[i];
  return o;
}

/** Converts a live trace event (snapshot clocks) to its plain form. */
export function toPlain(e: TraceEvent): PlainEvent {
  if (!('after' in e)) return e as PlainEvent;
  const o: Record<string, unknown> = { ...e };
  o.after = plainClock(e.after);
  if ('before' in e) o.before = plainClock(e.before);
  return o as PlainEvent;
}

/** The value a plain clock holds for `name` (missing counts as 0). */
export function clockGet(c: PlainClock, name: string): number {
  if (typeof c === 'number') return c;
  return c[name] ?? 0;
}

/** The clock's text as the trace writes it. */
export function clockText(c: PlainClock): string {
  return typeof c === 'number' ? String(c) : JSON.stringify(c);
}

/**
 * `a <= b` according to the clocks themselves: vectors componentwise with a missing entry
 * counting as 0; Lamport clocks as numbers.
 */
export function clockLeq(a: PlainClock, b: PlainClock): boolean {
  if (typeof a === 'number' || typeof b === 'number') return clockGet(a, '') <= clockGet(b, '');
  for (const k in a) if (a[k] > (b[k] ?? 0)) return false;
  return true;
}

/** `a < b` according to the clocks: `a <= b` and not equal. */
export function clockLess(a: PlainClock, b: PlainClock): boolean {
  return clockLeq(a, b) && !clockLeq(b, a);
}

