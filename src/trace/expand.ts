// Reading a trace of either format as format 1 (docs/outputs.md, "Reading a trace"): node
// names instead of ids, every node event's clocks whole. Format 2 writes a clock as the
// entries that changed against the node's previous clock; the expander keeps each node's
// last clock (names in insertion order, values) and applies each line's changes to it, so
// it holds one clock per node, never the trace.
//
// Each line expands to a value (a plain object, as JSON.parse of a format-1 line gives)
// and, on demand, its format-1 text (clock keys in the node's insertion order, which a JS
// object loses for keys that look like integers). A format-1 line passes through as is.

import type { TraceHeader } from './events.js';

/** A clock value as written: a number, or a non-finite value's text ("NaN", "Infinity"). */
type Value = number | string;

/** One node's clock: names in insertion order and their values; or a Lamport number. */
interface Clock {
  readonly names: string[];
  readonly values: Value[];
  /** name -> slot */
  readonly slots: Map<string, number>;
}
type LaneClock = Clock | Value;

export interface ExpandedLine {
  /** The line as format 1 would have it, parsed (header: as written, `format` included). */
  readonly value: Record<string, unknown>;
  /** The line's text as format 1 wrote it (the header keeps its own `format`). */
  text(): string;
  /** A clock's JSON text as format 1 wrote it (keys in insertion order); undefined if the line has none. */
  clockText(which: 'before' | 'after'): string | undefined;
}

const emptyClock = (): Clock => ({ names: [], values: [], slots: new Map() });

/** A clock at one event: a copy of the lane's names and values (or a Lamport number). */
type Snap = { readonly names: readonly string[]; readonly values: readonly Value[] } | Value;

function copyClock(c: LaneClock): Snap {
  if (typeof c !== 'object') return c;
  return { names: c.names.slice(), values: c.values.slice() };
}

function clockJson(c: Snap): string {
  if (typeof c !== 'object') return typeof c === 'number' ? String(c) : JSON.stringify(c);
  let s = '{';
  for (let i = 0; i < c.values.length; i++) {
    if (i > 0) s += ',';
    s += JSON.stringify(c.names[i]) + ':' + (typeof c.values[i] === 'number' ? String(c.values[i]) : JSON.stringify(c.values[i]));
  }
  return s + '}';
}

function clockObject(c: Snap): number | string | Record<string, Value> {
  if (typeof c !== 'object') return c;
  const o: Record<string, Value> = {};
  for (let i = 0; i < c.values.length; i++) o[c.names[i]] = c.values[i];
  return o;
}

/** Expands the lines of one trace, in order, from its header on. */
export class TraceExpander {
  /** The trace's format (from its header), once the header is seen. */
  format: number | null = null;
  header: TraceHeader | null = null;
  private names: string[] = [];
  private readonly lanes = new Map<string, LaneClock>();
  private line = 0;

  constructor(private readonly where = 'trace') {}

  /** Expands one line of text (the header first). */
  expand(text: string): ExpandedLine {
    this.line++;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`${this.where}:${this.line}: expected a JSON trace line`);
    }
    return this.expandValue(v, text);
  }

  /**
   * Expands one parsed line; `text` is its text when at hand (format 1 passes it through).
   * `clocks` false: a format-2 line's clocks are applied to the node's lane but not copied
   * out (its value has no `before`/`after`; text() and clockText() must not be asked), for a
   * reader that skips most lines' clocks (a picture of one window reads the trace from its start).
   */
  expandValue(v: Record<string, unknown>, text?: string, clocks = true): ExpandedLine {
    if (this.header === null) {
      if (v.type !== 'header') throw new Error(`${this.where}:1: expected a trace header {"type":"header",...}`);
      this.header = v as unknown as TraceHeader;
      this.format = typeof v.format === 'number' ? v.format : 1;
      this.names = Array.isArray(v.nodes) ? (v.nodes as string[]).slice() : [];
      return { value: v, text: () => text ?? JSON.stringify(v), clockText: () => undefined };
    }
    if (this.format === 1) return { value: v, text: () => text ?? JSON.stringify(v), clockText: (k) => clockText1(v, k, text) };
    return this.expand2(v, clocks);
  }

  private name(id: unknown): unknown {
    if (typeof id !== 'number') return id;
    const n = this.names[id];
    if (n === undefined) throw new Error(`${this.where}:${this.line}: name id ${id} is not defined by the header's nodes or an earlier "new"`);
    return n;
  }

  private apply(node: string, full: boolean, written: unknown): LaneClock {
    if (typeof written === 'number' || typeof written === 'string') {
      this.lanes.set(node, written);
      return written;
    }
    if (!Array.isArray(written) || written.length % 2 !== 0) throw new Error(`${this.where}:${this.line}: expected a clock as [id, value, ...]`);
    let c = this.lanes.get(node);
    if (full || c === undefined || typeof c !== 'object') {
      c = emptyClock();
      this.lanes.set(node, c);
    }
    for (let i = 0; i < written.length; i += 2) {
      const name = this.name(written[i]) as string;
      const value = written[i + 1] as Value;
      const slot = c.slots.get(name);
      if (slot === undefined) {
        c.slots.set(name, c.values.length);
        c.names.push(name);
        c.values.push(value);
      } else c.values[slot] = value;
    }
    return c;
  }

  /** `clocks` false: the lane's clock is brought up to date, but no clock is copied out. */
  private expand2(v: Record<string, unknown>, clocks: boolean): ExpandedLine {
    if (Array.isArray(v.new)) for (const n of v.new as string[]) this.names.push(n);
    const out: Record<string, unknown> = {};
    // Clock texts by key, for text(): built from the ordered clocks, not from `out`.
    let before: Snap | null = null;
    let after: Snap | null = null;
    const node = typeof v.node === 'number' ? (this.name(v.node) as string) : (v.node as string);
    const hasAfter = 'a' in v || 'A' in v;
    for (const k in v) {
      const x = v[k];
      switch (k) {
        case 'new': break;
        case 'node': case 'from': case 'to':
          out[k] = this.name(x);
          break;
        case 'b': case 'B':
          if (!clocks) { this.apply(node, k === 'B', x); break; }
          before = copyClock(this.apply(node, k === 'B', x));
          out.before = null;
          break;
        case 'a': case 'A':
          if (!clocks) { this.apply(node, k === 'A', x); break; }
          // No b/B: the clock-before equals the node's last clock (every node event but join has one).
          if (before === null && v.type !== 'join') {
            before = copyClock(this.lanes.get(node) ?? emptyClock());
            out.before = null;
          }
          after = copyClock(this.apply(node, k === 'A', x));
          out.after = null;
          break;
        default:
          out[k] = x;
      }
    }
    if (!clocks && hasAfter) {
      const none = (): never => { throw new Error(`${this.where}:${this.line}: the line was read without its clocks`); };
      return { value: out, text: none, clockText: none };
    }
    if (!hasAfter) return { value: out, text: () => JSON.stringify(out), clockText: () => undefined };
    const b = before;
    const a = after as Snap;
    if (b !== null) out.before = clockObject(b);
    out.after = clockObject(a);
    return {
      value: out,
      text: () => {
        let s = '{';
        let first = true;
        for (const k in out) {
          s += (first ? '"' : ',"') + k + '":' + (k === 'before' && b !== null ? clockJson(b) : k === 'after' ? clockJson(a) : JSON.stringify(out[k]));
          first = false;
        }
        return s + '}';
      },
      clockText: (k) => (k === 'after' ? clockJson(a) : b === null ? undefined : clockJson(b)),
    };
  }
}

/**
 * A format-1 line's clock text: cut from the line itself when at hand (a clock is the last
 * or next-to-last field of a line, an object or a number), else re-encoded from the value.
 */
function clockText1(v: Record<string, unknown>, k: 'before' | 'after', text: string | undefined): string | undefined {
  const c = v[k];
  if (c === undefined) return undefined;
  if (text !== undefined) {
    const at = text.lastIndexOf(`"${k}":`);
    if (at >= 0) {
      const from = at + k.length + 3;
      const end = k === 'after' ? text.length - 1 : text.indexOf(',"after":', from);
      if (end > from) return text.slice(from, end);
    }
  }
  return JSON.stringify(c);
}

/** Expands a whole trace's text (either format) to format-1 text. */
export function expandTraceText(text: string, where = 'trace'): string {
  const x = new TraceExpander(where);
  let s = '';
  for (const line of text.split('\n')) if (line !== '') s += x.expand(line).text() + '\n';
  return s;
}
