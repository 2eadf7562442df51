// Interval tree clocks (src/core/itc.ts, docs/clocks.md, "itc"): the operations against
// version vectors on random fork-free systems, the serialized order against the tree order,
// and the text forms against their documented sizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEv, decodeId, encodeEv, encodeId, eventEv, evSize, initialId, joinEv, leqEv, leqSerialized, serializeEv, split, sumId, type Ev, type Id } from '../../src/core/itc.js';
import { itcRule } from '../../src/core/stamps.js';

type Op = { kind: 'event'; p: number } | { kind: 'send'; from: number; to: number };

const system = fc.integer({ min: 1, max: 7 }).chain((n) => fc.record({
  n: fc.constant(n),
  ops: fc.array(fc.oneof(
    fc.record({ kind: fc.constant('event' as const), p: fc.nat(n - 1) }),
    fc.record({ kind: fc.constant('send' as const), from: fc.nat(n - 1), to: fc.nat(n - 1) }),
  ), { maxLength: 60 }),
}));

/** Runs ops on ITC stamps and on vector clocks side by side; returns every event's two stamps. */
function run(n: number, ops: Op[]): { itc: Ev[]; vc: number[][] } {
  const ids: Id[] = Array.from({ length: n }, (_, k) => initialId(k, n));
  const ev: Ev[] = ids.map(() => 0);
  const vc: number[][] = ids.map(() => new Array<number>(n).fill(0));
  const out = { itc: [] as Ev[], vc: [] as number[][] };
  const tick = (p: number): void => {
    ev[p] = eventEv(ids[p], ev[p]);
    vc[p][p]++;
    out.itc.push(ev[p]);
    out.vc.push(vc[p].slice());
  };
  for (const op of ops) {
    if (op.kind === 'event') tick(op.p);
    else {
      tick(op.from);
      ev[op.to] = joinEv(ev[op.to], ev[op.from]);
      vc[op.to] = vc[op.to].map((v, i) => Math.max(v, vc[op.from][i]));
      tick(op.to);
    }
  }
  return out;
}

const vleq = (a: number[], b: number[]): boolean => a.every((v, i) => v <= b[i]);

describe('itc operations', () => {
  it('order events exactly as version vectors do, and the serialized order is the tree order', () => {
    fc.assert(fc.property(system, ({ n, ops }) => {
      const { itc, vc } = run(n, ops as Op[]);
      for (let i = 0; i < itc.length; i++) {
        for (let j = 0; j < itc.length; j++) {
          const t = leqEv(itc[i], itc[j]);
          expect(t).toBe(vleq(vc[i], vc[j]));
          expect(leqSerialized(serializeEv(itc[i]), serializeEv(itc[j]))).toBe(t);
        }
      }
    }), { numRuns: 150 });
  });

  it('split gives two disjoint halves whose sum is the id; initial ids partition [0, 1)', () => {
    for (let n = 1; n <= 9; n++) {
      let all: Id = 0;
      for (let k = 0; k < n; k++) all = sumId(all, initialId(k, n));
      expect(all).toBe(1);
    }
    const id = initialId(2, 5);
    const [a, b] = split(id);
    expect(sumId(a, b)).toEqual(id);
    expect(split(1)).toEqual([[1, 0], [0, 1]]);
  });

  it('an event with no id counts nothing', () => {
    expect(eventEv(0, [1, 0, 2])).toEqual([1, 0, 2]);
  });
});

describe('itc text forms', () => {
  it('encode and decode invert each other; the size is the documented sum', () => {
    fc.assert(fc.property(system, ({ n, ops }) => {
      for (const e of run(n, ops as Op[]).itc) {
        const t = encodeEv(e);
        expect(evSize(e)).toBe(Buffer.byteLength(t));
        expect(itcRule().size(e)).toBe(Buffer.byteLength(t));
        expect(decodeEv(t)).toEqual(e);
      }
    }), { numRuns: 50 });
    for (let k = 0; k < 5; k++) expect(decodeId(encodeId(initialId(k, 5)))).toEqual(initialId(k, 5));
    expect(encodeEv([1, 0, [0, 2, 0]])).toBe('(1,0,(0,2,0))');
  });

  it('refuses text that is not a normal event tree', () => {
    for (const bad of ['', '(1,2)', '(1,2,2)', '(1,1,2)', 'x', '(1,0,2', '01', '-1', '(1,0,2))']) expect(decodeEv(bad), bad).toBeNull();
  });
});
