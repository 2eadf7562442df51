// Interval tree clocks (Almeida, Baquero and Fonte 2008): the id and event trees, their
// normal forms, and the operations the rule needs (split, sum, join, leq, fill, grow, event),
// written from the paper's definitions (docs/clocks.md, "itc").
//
// An id tree says which part of [0, 1) a node owns: 0 (nothing), 1 (all), or a pair of
// halves. An event tree maps [0, 1) to counts: a leaf n, or (n, left, right) with the
// halves' values added to n. Every function here takes and returns normal forms.

export type Id = 0 | 1 | readonly [Id, Id];
export type Ev = number | readonly [number, Ev, Ev];

export function normId(a: Id, b: Id): Id {
  if (a === 0 && b === 0) return 0;
  if (a === 1 && b === 1) return 1;
  return [a, b];
}

export function normEv(n: number, l: Ev, r: Ev): Ev {
  if (typeof l === 'number' && typeof r === 'number' && l === r) return n + l;
  const m = Math.min(minEv(l), minEv(r));
  return [n + m, sink(l, m), sink(r, m)];
}

function lift(e: Ev, m: number): Ev {
  return typeof e === 'number' ? e + m : [e[0] + m, e[1], e[2]];
}

function sink(e: Ev, m: number): Ev {
  return typeof e === 'number' ? e - m : [e[0] - m, e[1], e[2]];
}

export function minEv(e: Ev): number {
  return typeof e === 'number' ? e : e[0] + Math.min(minEv(e[1]), minEv(e[2]));
}

export function maxEv(e: Ev): number {
  return typeof e === 'number' ? e : e[0] + Math.max(maxEv(e[1]), maxEv(e[2]));
}

/** Splits an id into two disjoint ids whose sum is the original (fork's id part). */
export function split(i: Id): [Id, Id] {
  if (i === 0) return [0, 0];
  if (i === 1) return [[1, 0], [0, 1]];
  const [l, r] = i;
  if (l === 0) {
    const [a, b] = split(r);
    return [normId(0, a), normId(0, b)];
  }
  if (r === 0) {
    const [a, b] = split(l);
    return [normId(a, 0), normId(b, 0)];
  }
  return [normId(l, 0), normId(0, r)];
}

/** The union of two disjoint ids. */
export function sumId(a: Id, b: Id): Id {
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === 1 || b === 1) return 1; // disjointness makes this the whole interval only if both were halves of it
  return normId(sumId(a[0], b[0]), sumId(a[1], b[1]));
}

/** The pointwise maximum of two event trees. */
export function joinEv(a: Ev, b: Ev): Ev {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  if (typeof a === 'number') return joinEv([a, 0, 0], b);
  if (typeof b === 'number') return joinEv(a, [b, 0, 0]);
  if (a[0] > b[0]) return joinEv(b, a);
  const d = b[0] - a[0];
  return normEv(a[0], joinEv(a[1], lift(b[1], d)), joinEv(a[2], lift(b[2], d)));
}

/** a <= b pointwise. */
export function leqEv(a: Ev, b: Ev): boolean {
  if (typeof a === 'number') return a <= (typeof b === 'number' ? b : b[0]);
  if (typeof b === 'number') return a[0] <= b && leqEv(lift(a[1], a[0]), b) && leqEv(lift(a[2], a[0]), b);
  return a[0] <= b[0] && leqEv(lift(a[1], a[0]), lift(b[1], b[0])) && leqEv(lift(a[2], a[0]), lift(b[2], b[0]));
}

/** Raises the owned part of e as far as it can without inventing events (the paper's fill). */
function fill(i: Id, e: Ev): Ev {
  if (i === 0) return e;
  if (i === 1) return maxEv(e);
  if (typeof e === 'number') return e;
  const [n, el, er] = e;
  const [il, ir] = i;
  if (il === 1) {
    const r = fill(ir, er);
    return normEv(n, Math.max(maxEv(el), minEv(r)), r);
  }
  if (ir === 1) {
    const l = fill(il, el);
    return normEv(n, l, Math.max(maxEv(er), minEv(l)));
  }
  return normEv(n, fill(il, el), fill(ir, er));
}

const BIG = 1 << 20;

/** Adds one event in the owned part, choosing the cheapest place (the paper's grow); [tree, cost]. */
function grow(i: Id, e: Ev): [Ev, number] {
  if (typeof e === 'number') {
    if (i === 1) return [e + 1, 0];
    const [t, c] = grow(i, [e, 0, 0]);
    return [t, c + BIG];
  }
  const [n, el, er] = e;
  if (i === 0 || i === 1) throw new Error('bug: grow with a non-splittable id on a node');
  const [il, ir] = i;
  if (il === 0) {
    const [r, c] = grow(ir, er);
    return [normEv(n, el, r), c + 1];
  }
  if (ir === 0) {
    const [l, c] = grow(il, el);
    return [normEv(n, l, er), c + 1];
  }
  const [l, cl] = grow(il, el);
  const [r, cr] = grow(ir, er);
  return cl < cr ? [normEv(n, l, er), cl + 1] : [normEv(n, el, r), cr + 1];
}

/** One event: fill if that inflates the tree, else grow. With id 0 nothing can be counted: e unchanged. */
export function eventEv(i: Id, e: Ev): Ev {
  if (i === 0) return e;
  const f = fill(i, e);
  if (!eqEv(f, e)) return f;
  return grow(i, e)[0];
}

export function eqEv(a: Ev, b: Ev): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a[0] === b[0] && eqEv(a[1], b[1]) && eqEv(a[2], b[2]);
}

/** The event tree that is m on the part `i` owns and 0 elsewhere. */
export function evOn(i: Id, m: number): Ev {
  if (i === 0) return 0;
  if (i === 1) return m;
  return normEv(0, evOn(i[0], m), evOn(i[1], m));
}

/** Node k of n's share of [0, 1): leaf k of a balanced binary split (halves of ceil/floor). */
export function initialId(k: number, n: number): Id {
  if (n <= 1) return 1;
  const left = Math.ceil(n / 2);
  return k < left ? normId(initialId(k, left), 0) : normId(0, initialId(k - left, n - left));
}

// Text forms: an event tree as `5` or `(n,l,r)`; an id as `0`, `1` or `(l,r)`.

export function encodeEv(e: Ev): string {
  return typeof e === 'number' ? String(e) : `(${e[0]},${encodeEv(e[1])},${encodeEv(e[2])})`;
}

export function encodeId(i: Id): string {
  return typeof i === 'number' ? String(i) : `(${encodeId(i[0])},${encodeId(i[1])})`;
}

/** Bytes of encodeEv: a leaf's digits; a node's 2 parentheses, 2 commas, digits of n and its halves. */
export function evSize(e: Ev): number {
  if (typeof e === 'number') return String(e).length;
  return 4 + String(e[0]).length + evSize(e[1]) + evSize(e[2]);
}

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  num(): number | null {
    const m = /^(0|[1-9][0-9]{0,15})/.exec(this.s.slice(this.pos, this.pos + 17));
    if (m === null) return null;
    this.pos += m[0].length;
    const v = Number(m[0]);
    return Number.isSafeInteger(v) ? v : null;
  }
  eat(c: string): boolean {
    if (this.s[this.pos] !== c) return false;
    this.pos++;
    return true;
  }
}

const MAX_DEPTH = 64;

/** An event tree in normal form from its text, or null (not the form, or not normal). */
export function decodeEv(text: string): Ev | null {
  const r = new Reader(text);
  const e = readEv(r, 0);
  return e !== null && r.pos === text.length && isNormalEv(e) ? e : null;
}

function readEv(r: Reader, depth: number): Ev | null {
  if (depth > MAX_DEPTH) return null;
  if (!r.eat('(')) return r.num();
  const n = r.num();
  if (n === null || !r.eat(',')) return null;
  const l = readEv(r, depth + 1);
  if (l === null || !r.eat(',')) return null;
  const rt = readEv(r, depth + 1);
  if (rt === null || !r.eat(')')) return null;
  return [n, l, rt];
}

function isNormalEv(e: Ev): boolean {
  if (typeof e === 'number') return true;
  if (typeof e[1] === 'number' && typeof e[2] === 'number' && e[1] === e[2]) return false;
  return Math.min(minEv(e[1]), minEv(e[2])) === 0 && isNormalEv(e[1]) && isNormalEv(e[2]);
}

export function decodeId(text: string): Id | null {
  const r = new Reader(text);
  const i = readId(r, 0);
  return i !== null && r.pos === text.length ? i : null;
}

function readId(r: Reader, depth: number): Id | null {
  if (depth > MAX_DEPTH) return null;
  if (!r.eat('(')) {
    const v = r.num();
    return v === 0 || v === 1 ? v : null;
  }
  const l = readId(r, depth + 1);
  if (l === null || !r.eat(',')) return null;
  const rt = readId(r, depth + 1);
  if (rt === null || !r.eat(')')) return null;
  return normId(l, rt);
}

/**
 * The checker's form of an event tree (docs/clocks.md, "How the checker reads a stamp"): its
 * preorder, a leaf n as 2n and a node's own n as 2n + 1 followed by its halves.
 */
export function serializeEv(e: Ev, out: number[] = []): number[] {
  if (typeof e === 'number') out.push(2 * e);
  else {
    out.push(2 * e[0] + 1);
    serializeEv(e[1], out);
    serializeEv(e[2], out);
  }
  return out;
}

/** leqEv on two serialized trees (`serializeEv`), without rebuilding them. */
export function leqSerialized(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let ia = 0;
  let ib = 0;
  const skipB = (): void => {
    let pending = 2;
    while (pending > 0) {
      pending--;
      if (b[ib++] % 2 === 1) pending += 2;
    }
  };
  // a's subtree at ia (values lifted by la) against b's at ib (lifted by lb), or against the
  // flat value lb when an ancestor of b was a leaf. Normal forms: a node's minimum is its n.
  const go = (la: number, lb: number, bFlat: boolean): boolean => {
    const va = a[ia++];
    const aNode = va % 2 === 1;
    const na = la + Math.floor(va / 2);
    let nb = lb;
    let bNode = false;
    if (!bFlat) {
      const vb = b[ib++];
      bNode = vb % 2 === 1;
      nb = lb + Math.floor(vb / 2);
    }
    if (na > nb) return false;
    if (!aNode) {
      if (bNode) skipB();
      return true;
    }
    return bNode ? go(na, nb, false) && go(na, nb, false) : go(na, nb, true) && go(na, nb, true);
  };
  return go(0, 0, false);
}
