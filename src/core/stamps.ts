// The stamp rules: clocks that are not the node's vector of named entries (docs/clocks.md,
// "The clock-rule interface"). Everything one such rule is lives in one object here: its
// stamp, what a send and a receive do to a node's stamp, how two stamps compare, the stamp's
// text on the wire and its size in bytes, and the checker's view of it.
//
// Theory of operation. A node under a stamp rule keeps its membership in the ordinary way
// (src/core/node.ts) and, beside it, one `StampClock`: the rule's per-node state. A send
// ticks it and attaches `encode(stamp)` after the `@@` of the chat datagram; a receive
// decodes the attached text and merges it. Stamps are immutable values: a clock replaces its
// stamp, so a snapshot is the stamp itself. The checker never calls a rule: it reads the
// rule's `view`, a vector whose componentwise order is exactly the rule's `compare`
// (docs/clocks.md, "How the checker reads a stamp").

import type { ClockSnapshot, VectorSnapshot } from './clock.js';
import { decodeEv, decodeId, encodeEv, encodeId, evSize, eventEv, joinEv, leqEv, serializeEv, split, sumId, type Ev, type Id } from './itc.js';
import { parseClockRule, type ClockRuleName } from './rules.js';

/** What two stamps claim: `before` means "a happened before b" (for Bloom clocks: possibly). */
export type StampRelation = 'before' | 'after' | 'concurrent' | 'equal';

/**
 * How a rule's claims are meant. `exact`: before/after/concurrent are the truth when the
 * rule's conditions hold. `plausible`: a true order is never missed or reversed, but some
 * concurrent pairs are called ordered. `possibly`: as plausible, and "before" reads "possibly
 * before", with a false-positive rate the rule can estimate.
 */
export type ClaimKind = 'exact' | 'plausible' | 'possibly';

/** Who a node is, for rules whose behaviour depends on it. */
export interface NodeIdentity {
  readonly name: string;
  /** The node's index in the run's node list (plausible clocks count in index mod R). */
  readonly index: number;
  /** The node's physical clock (hybrid logical clocks only): reading = now + offset + drift. */
  readonly physical?: PhysicalClock;
  /** Interval tree clocks: the node's share of the id space at start (absent: a newcomer, id 0). */
  readonly itcId?: Id;
}

/** A node's physical clock: it reads `now + offset + trunc(now * drift_ppm / 1e6)`, never below 0. */
export interface PhysicalClock {
  readonly offset: number;
  readonly driftPpm: number;
}

export function physicalTime(p: PhysicalClock | undefined, now: number): number {
  if (p === undefined) return now;
  const t = now + p.offset + Math.trunc((now * p.driftPpm) / 1e6);
  return t < 0 ? 0 : t;
}

/** One node's clock under a stamp rule: its stamp now, and the two inputs that change it. */
export interface StampClock<S> {
  readonly stamp: S;
  /** A send (a local event): the stamp ticks; the new stamp is attached to the message. */
  send(now: number): void;
  /** A chat message with stamp `m` arrived: merge it, and count the receive as an event. */
  receive(m: S, now: number): void;
  /** Handshake hooks (interval tree clocks): text after `==` on the node's announcement, or null. */
  announce?(): string | null;
  /** An announcement from `peer` with its extra text: the extra text of this node's reply, or null. */
  answer?(peer: string, extra: string | null): string | null;
  /** A reply with extra text arrived. */
  replied?(extra: string | null): void;
}

/** A stamp rule (docs/clocks.md, "The clock-rule interface"). */
export interface StampRule<S> {
  readonly name: ClockRuleName;
  readonly claims: ClaimKind;
  /** A node's clock when it (re)starts. */
  start(id: NodeIdentity): StampClock<S>;
  /** What a and b claim about each other. */
  compare(a: S, b: S): StampRelation;
  /** The stamp as attached after `@@` (ASCII). */
  encode(s: S): string;
  /** The attached text back to a stamp, or null (the datagram is ignored as unparsable). */
  decode(text: string): S | null;
  /** Bytes of `encode(s)` on the wire, from the documented formula (tested against encode). */
  size(s: S): number;
  /** The checker's view: componentwise order on it is exactly `compare`. */
  view(s: S): ClockSnapshot;
}

// ---------------------------------------------------------------------------------------
// Fixed-length counter vectors: plausible clocks and Bloom clocks.

/** The stamp of plausible and Bloom clocks: R (or m) counters. */
export type Counters = readonly number[];

const cellNames = new Map<number, readonly string[]>();

/** `#0 .. #(n-1)`: the entry names of a fixed-length stamp's view (shared, one list per n). */
export function cellNamesOf(n: number): readonly string[] {
  let names = cellNames.get(n);
  if (names === undefined) {
    names = Array.from({ length: n }, (_, i) => `#${i}`);
    cellNames.set(n, names);
  }
  return names;
}

/** Componentwise comparison of two equal-length counter vectors. */
export function compareCounters(a: Counters, b: Counters): StampRelation {
  let le = true;
  let ge = true;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) ge = false;
    else if (a[i] > b[i]) le = false;
  }
  if (le) return ge ? 'equal' : 'before';
  return ge ? 'after' : 'concurrent';
}

/** `[3,0,12]`: decimal integers, no spaces. */
export function encodeCounters(s: Counters): string {
  return '[' + s.join(',') + ']';
}

/** Bytes of encodeCounters: 2 brackets, n-1 commas, and each value's decimal digits. */
export function countersSize(s: Counters): number {
  let n = 2 + Math.max(0, s.length - 1);
  for (const v of s) n += digits(v);
  return n;
}

export function digits(v: number): number {
  let d = 1;
  let x = v < 0 ? -v : v;
  while (x >= 10) {
    x = Math.floor(x / 10);
    d++;
  }
  return v < 0 ? d + 1 : d;
}

/** Exactly `n` whole numbers from 0 to 2^53-1 in encodeCounters' form, or null. */
export function decodeCounters(text: string, n: number): Counters | null {
  if (!/^\[(0|[1-9][0-9]{0,15})(,(0|[1-9][0-9]{0,15}))*\]$/.test(text)) return null;
  const out = text.slice(1, -1).split(',').map(Number);
  if (out.length !== n || !out.every(Number.isSafeInteger)) return null;
  return out;
}

const viewMemo = new WeakMap<Counters, VectorSnapshot>();

function countersView(s: Counters): VectorSnapshot {
  let v = viewMemo.get(s);
  if (v === undefined) {
    v = { names: cellNamesOf(s.length), values: s };
    viewMemo.set(s, v);
  }
  return v;
}

/** A counter vector whose own events each add 1 to the cells `cells(eventNumber)` gives. */
class CounterClock implements StampClock<Counters> {
  stamp: Counters;
  private events = 0;

  constructor(n: number, private readonly cells: (event: number) => readonly number[]) {
    this.stamp = new Array<number>(n).fill(0);
  }

  private tick(base: number[]): void {
    this.events++;
    for (const c of this.cells(this.events)) base[c]++;
    this.stamp = base;
  }

  send(): void {
    this.tick(this.stamp.slice());
  }

  receive(m: Counters): void {
    const next = this.stamp.slice();
    for (let i = 0; i < next.length; i++) if (m[i] > next[i]) next[i] = m[i];
    this.tick(next);
  }
}

/**
 * Plausible clocks (Torres-Rojas and Ahamad 1999, the "R-entries vector"): node i counts its
 * events in entry i mod R; a receive merges by maximum and counts. Nodes sharing an entry
 * make concurrent events look ordered, never the reverse of the truth.
 */
export function plausibleRule(r: number): StampRule<Counters> {
  return {
    name: `plausible:${r}`,
    claims: 'plausible',
    start: (id) => {
      const own = [id.index % r];
      return new CounterClock(r, () => own);
    },
    compare: compareCounters,
    encode: encodeCounters,
    decode: (text) => decodeCounters(text, r),
    size: countersSize,
    view: countersView,
  };
}

/**
 * Bloom clocks (Ramabaja 2019; Kshemkalyani and Misra 2020): m cells; each event of a node
 * adds 1 to k cells chosen by hashing (node name, its event number, j) for j < k; a receive
 * merges by maximum and counts. `before` means "possibly before": a true order is never
 * missed, and a concurrent pair is called ordered with a probability m and k bound.
 */
export function bloomRule(m: number, k: number): StampRule<Counters> {
  return {
    name: `bloom:${m}x${k}`,
    claims: 'possibly',
    start: (id) => {
      const h = fnv1a(id.name);
      return new CounterClock(m, (event) => bloomCells(h, event, m, k));
    },
    compare: compareCounters,
    encode: encodeCounters,
    decode: (text) => decodeCounters(text, m),
    size: countersSize,
    view: countersView,
  };
}

/** The k cells an event increments: cell j = mix(hash(name), event, j) mod m. */
export function bloomCells(nameHash: number, event: number, m: number, k: number): number[] {
  const out = new Array<number>(k);
  for (let j = 0; j < k; j++) out[j] = mix32(nameHash ^ mix32(Math.imul(event, 0x9e3779b1) ^ mix32(j + 0x632be5ab))) % m;
  return out;
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** MurmurHash3's 32-bit finalizer: an unsigned 32-bit result. */
function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b);
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------
// Hybrid logical clocks.

/** An HLC stamp: `l`, the largest physical time heard of (microseconds), and the counter `c`. */
export interface Hlc {
  readonly l: number;
  readonly c: number;
}

/** Counter values at or above this cannot be viewed as one number (never seen in practice). */
export const HLC_C_LIMIT = 2 ** 20;

class HlcClock implements StampClock<Hlc> {
  stamp: Hlc = { l: 0, c: 0 };

  constructor(private readonly physical: PhysicalClock | undefined) {}

  send(now: number): void {
    const pt = physicalTime(this.physical, now);
    const { l, c } = this.stamp;
    this.stamp = pt > l ? { l: pt, c: 0 } : { l, c: c + 1 };
  }

  receive(m: Hlc, now: number): void {
    const pt = physicalTime(this.physical, now);
    const { l, c } = this.stamp;
    const l2 = Math.max(l, m.l, pt);
    let c2: number;
    if (l2 === l && l2 === m.l) c2 = Math.max(c, m.c) + 1;
    else if (l2 === l) c2 = c + 1;
    else if (l2 === m.l) c2 = m.c + 1;
    else c2 = 0;
    this.stamp = { l: l2, c: c2 };
  }
}

/**
 * Hybrid logical clocks (Kulkarni, Demirbas, Madappa, Avva, Leone 2014): `l` follows the
 * largest physical time the node has read or heard of, `c` breaks ties. Ordered
 * lexicographically by (l, c): like Lamport's clock it never reverses a true order and never
 * says concurrent; unlike it, l stays within the clocks' skew of physical time.
 */
export function hlcRule(): StampRule<Hlc> {
  return {
    name: 'hlc',
    claims: 'plausible',
    start: (id) => new HlcClock(id.physical),
    compare: (a, b) => (a.l !== b.l ? (a.l < b.l ? 'before' : 'after') : a.c !== b.c ? (a.c < b.c ? 'before' : 'after') : 'equal'),
    encode: (s) => `[${s.l},${s.c}]`,
    decode: (text) => {
      const v = decodeCounters(text, 2);
      return v === null ? null : { l: v[0], c: v[1] };
    },
    size: (s) => 3 + digits(s.l) + digits(s.c),
    view: hlcView,
  };
}

/** The HLC view: the one number l * 2^20 + c (lexicographic order as a 1-entry vector). */
export function hlcView(s: Hlc): number {
  if (s.c >= HLC_C_LIMIT) throw new Error(`bug: HLC counter ${s.c} reached 2^20`);
  return s.l * HLC_C_LIMIT + s.c;
}

// ---------------------------------------------------------------------------------------
// Interval tree clocks.

/** What a newcomer's announcement carries after `==`: a request for a share of an id. */
export const ITC_ID_REQUEST = 'itc-id';

/**
 * One node's interval tree clock. Its id is forked at start into an active part, where its
 * events are counted, and a spare part it never counts in: every stamp is 0 over the spare,
 * so a share of it can be given to a newcomer with no causal information attached.
 */
class ItcClock implements StampClock<Ev> {
  stamp: Ev = 0;
  private id: Id;
  private spare: Id;

  constructor(private readonly name: string, id: Id) {
    [this.id, this.spare] = split(id);
  }

  /** The parts of the id space the node counts in, and keeps to give away. */
  get ids(): { active: Id; spare: Id } {
    return { active: this.id, spare: this.spare };
  }

  send(): void {
    this.stamp = eventEv(this.id, this.stamp);
  }

  receive(m: Ev): void {
    this.stamp = eventEv(this.id, joinEv(this.stamp, m));
  }

  announce(): string | null {
    return this.id === 0 ? ITC_ID_REQUEST : null;
  }

  answer(peer: string, extra: string | null): string | null {
    if (extra !== ITC_ID_REQUEST || this.spare === 0) return null;
    const [keep, given] = split(this.spare);
    this.spare = keep;
    return `${peer} ${encodeId(given)}`;
  }

  replied(extra: string | null): void {
    if (extra === null) return;
    const parts = extra.split(' ');
    if (parts.length !== 2 || parts[0] !== this.name) return;
    const given = decodeId(parts[1]);
    if (given === null || given === 0) return;
    const [active, spare] = split(given);
    this.id = sumId(this.id, active);
    this.spare = sumId(this.spare, spare);
  }
}

const itcViewMemo = new WeakMap<object, VectorSnapshot>();

function itcView(e: Ev): VectorSnapshot {
  if (typeof e === 'number') return { names: cellNamesOf(1), values: [2 * e] };
  let v = itcViewMemo.get(e);
  if (v === undefined) {
    const values = serializeEv(e);
    v = { names: cellNamesOf(values.length), values };
    itcViewMemo.set(e, v);
  }
  return v;
}

/**
 * Interval tree clocks (Almeida, Baquero and Fonte 2008): the initial nodes split the id
 * space; a newcomer asks for a share in its announcement and each node that answers forks
 * its spare id, giving half in its reply. A chat message carries the sender's event tree (an
 * anonymous stamp); a receive joins it and counts an event.
 */
export function itcRule(): StampRule<Ev> {
  return {
    name: 'itc',
    claims: 'exact',
    start: (id) => new ItcClock(id.name, id.itcId ?? 0),
    compare: (a, b) => {
      const le = leqEv(a, b);
      const ge = leqEv(b, a);
      return le ? (ge ? 'equal' : 'before') : ge ? 'after' : 'concurrent';
    },
    encode: encodeEv,
    decode: decodeEv,
    size: evSize,
    view: itcView,
  };
}

// ---------------------------------------------------------------------------------------

/** The stamp rule a name stands for, or null for the vector rules (and names of none). */
export function stampRule(name: ClockRuleName): StampRule<unknown> | null {
  const p = parseClockRule(name);
  if (p === null) return null;
  switch (p.kind) {
    case 'plausible': return plausibleRule(p.entries) as StampRule<unknown>;
    case 'bloom': return bloomRule(p.cells, p.hashes) as StampRule<unknown>;
    case 'hlc': return hlcRule() as StampRule<unknown>;
    case 'itc': return itcRule() as StampRule<unknown>;
    default: return null;
  }
}

/**
 * An upper bound on the probability that a Bloom clock calls a truly concurrent pair ordered
 * (docs/clocks.md, "bloom:MxK"): a is called before b only if every one of a's own k cells
 * is non-zero in B(b), and a's cells are hashed independently of b's history, so
 * P(a before b) <= (z(b) / m)^k, z the non-zero cells; the pair's bound adds both ways.
 */
export function bloomFalseOrderBound(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number): number {
  const nz = (x: ArrayLike<number>): number => {
    let z = 0;
    for (let i = 0; i < x.length; i++) if (x[i] > 0) z++;
    return z;
  };
  return (nz(b) / m) ** k + (nz(a) / m) ** k;
}
