// The trace's text form: JSON Lines, one header line then one line per event. Keys keep
// the order in which the producer built the event (which is fixed). Encoding is
// deterministic: the same events give the same bytes.
//
// Format 2 (docs/outputs.md, "The trace format") is what runs write: node names are written
// once (the header's `nodes`, then `new` on the line that first uses another name) and
// `node`, `from` and `to` are integer ids into that list; a clock is written as the entries
// that changed against the same node's previous clock (`a`, `b`), or whole when it does not
// extend it (`A`, `B`); a clock-before equal to the node's previous clock-after is left out.
// Format 1 (`encodeEventV1`) wrote every clock whole as a JSON object and names as text; it
// stays here so that `vcsim replay` can recompute a format-1 trace byte for byte.

import { snapshotJson, type ClockSnapshot, type VectorSnapshot } from '../core/clock.js';
import type { TraceEvent, TraceHeader } from './events.js';

export function encodeHeader(h: TraceHeader): string {
  return JSON.stringify(h);
}

const CLOCK_KEYS = new Set(['before', 'after']);

/** An event as format 1 wrote it: clocks as whole JSON objects, names as text. */
export function encodeEventV1(e: TraceEvent): string {
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

/** A clock value as JSON: a number, or (a hostile peer's non-finite value) its text. */
function valueJson(v: number): string {
  return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
}

/** `{"key":` and `,"key":` for every field name seen (few, and the same in every line). */
const KEYS = new Map<string, readonly [string, string]>();

function keyJson(k: string, first: boolean): string {
  let t = KEYS.get(k);
  if (t === undefined) KEYS.set(k, (t = ['{"' + k + '":', ',"' + k + '":']));
  return first ? t[0] : t[1];
}

/** JSON of short texts that recur (event types, datagram kinds, reasons), kept up to a bound. */
const TEXTS = new Map<string, string>();
const TEXTS_KEPT = 4096;

function stringJson(v: string): string {
  if (v.length > 32) return JSON.stringify(v);
  let t = TEXTS.get(v);
  if (t === undefined) {
    if (TEXTS.size >= TEXTS_KEPT) TEXTS.clear();
    TEXTS.set(v, (t = JSON.stringify(v)));
  }
  return t;
}

/** What the encoder remembers of one node: its last clock as written, and its names' ids. */
interface Lane {
  /** The last clock written for this node (its clock-after, or its clock-before). */
  clock: ClockSnapshot;
  /** ids[slot]: the name id of the clock's slot (vector clocks; valid while `names` is the same list). */
  ids: number[];
}

/**
 * Format-2 encoder of one trace: stateful (names seen, each node's last clock), so one
 * instance encodes one trace from its header on, in order.
 */
export class TraceEncoder {
  private readonly ids = new Map<string, number>();
  private readonly lanes = new Map<string, Lane>();
  /** Names first used by the line being encoded (written as its `new`). */
  private fresh: string[] = [];
  /** The line being encoded, piece by piece: `used` pieces now, `filled` after the last line. */
  private readonly parts: string[] = [];
  private used = 0;
  private filled = 0;

  header(h: TraceHeader): string {
    for (const n of h.nodes) this.id(n);
    return encodeHeader(h);
  }

  private id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.ids.size;
      this.ids.set(name, i);
      this.fresh.push(name);
    }
    return i;
  }

  event(e: TraceEvent): string {
    if (this.fresh.length > 0) this.fresh = [];
    const o = e as unknown as Record<string, unknown>;
    const node = typeof o.node === 'string' ? o.node : null;
    // The line's pieces go into one kept array, joined once: no string per field.
    this.used = 0;
    for (const k in o) {
      const v = o[k];
      if (v === undefined) continue;
      if (k === 'before' || k === 'after') {
        const t = this.clock(node as string, v as ClockSnapshot, k === 'before');
        if (t === '') continue;
        this.put(this.used === 0 ? '{' : ',');
        this.put(t);
        continue;
      }
      this.put(keyJson(k, this.used === 0));
      if ((k === 'node' || k === 'from' || k === 'to') && typeof v === 'string') this.put(String(this.id(v)));
      else this.put(typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? stringJson(v) : JSON.stringify(v));
    }
    if (this.fresh.length > 0) {
      this.put(keyJson('new', this.used === 0));
      this.put(JSON.stringify(this.fresh));
    }
    this.put(this.used === 0 ? '{}' : '}');
    const parts = this.parts;
    // Pieces past this line's, left from a longer one, are emptied: they join as nothing.
    for (let i = this.used; i < this.filled; i++) parts[i] = '';
    this.filled = this.used;
    return parts.join('');
  }

  private put(piece: string): void {
    this.parts[this.used++] = piece;
  }

  /**
   * The field for a clock of `node`: `"b":[id,value,...]` / `"a":[...]` for the entries that
   * changed against the node's last clock or are new (appended in order); `"B"` / `"A"` for a
   * whole clock (a Lamport number, or a vector that does not extend the last one: the node
   * restarted); '' for a clock-before equal to the node's last clock.
   */
  private clock(node: string, c: ClockSnapshot, before: boolean): string {
    const lane = this.lanes.get(node);
    if (typeof c === 'number') {
      if (lane !== undefined && before && lane.clock === c) return '';
      if (lane === undefined) this.lanes.set(node, { clock: c, ids: [] });
      else lane.clock = c;
      return (before ? '"B":' : '"A":') + valueJson(c);
    }
    const prev = lane === undefined || typeof lane.clock === 'number' ? null : lane.clock;
    if (prev !== null && lane !== undefined && prev.names === c.names && c.values.length >= prev.values.length) {
      if (before && c === prev) return '';
      let s = '';
      const pv = prev.values;
      const cv = c.values;
      for (let i = 0; i < pv.length; i++) {
        if (cv[i] !== pv[i]) s += (s === '' ? '' : ',') + lane.ids[i] + ',' + valueJson(cv[i]);
      }
      if (before && s === '' && cv.length === pv.length) {
        lane.clock = c;
        return '';
      }
      for (let i = pv.length; i < cv.length; i++) {
        const id = this.id(c.names[i]);
        lane.ids.push(id);
        s += (s === '' ? '' : ',') + id + ',' + valueJson(cv[i]);
      }
      lane.clock = c;
      return (before ? '"b":[' : '"a":[') + s + ']';
    }
    // No previous clock, or one this does not extend: the clock whole, as id/value pairs.
    const ids: number[] = [];
    let s = '';
    const v = c as VectorSnapshot;
    for (let i = 0; i < v.values.length; i++) {
      const id = this.id(v.names[i]);
      ids.push(id);
      s += (i === 0 ? '' : ',') + id + ',' + valueJson(v.values[i]);
    }
    if (lane === undefined) this.lanes.set(node, { clock: c, ids });
    else {
      lane.clock = c;
      lane.ids = ids;
    }
    return (before ? '"B":[' : '"A":[') + s + ']';
  }
}
