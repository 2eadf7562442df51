// The fast verdict counter against the obvious O(E^2 N) one, on runs with arbitrary clocks
// (including clocks that go down, which cut lanes into segments), and the categories.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { categorize, checkTrace } from '../../src/check/checker.js';
import { countVerdicts } from '../../src/check/verdicts.js';
import { binDetail, OnlineVerdicts } from '../../src/check/online.js';
import { bruteCounts } from './brute.js';
import { header, trace, type Step } from './handmade.js';

const nodes = ['A', 'B', 'C'];

const runArb = fc.array(fc.tuple(fc.boolean(), fc.nat(2), fc.nat(1000)), { minLength: 1, maxLength: 40 }).map((raw) => {
  const steps: Step[] = [];
  let msgs = 0;
  for (const [isSend, n, pick] of raw) {
    if (isSend || msgs === 0) steps.push(['send', nodes[n], ++msgs]);
    else steps.push(['recv', nodes[n], 1 + (pick % msgs)]);
  }
  return steps;
});

/** Clocks: random vectors over a few names (keys sometimes missing), or random scalars. */
const clocksArb = fc.oneof(
  fc.array(fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D'), fc.nat(3)), { minLength: 40, maxLength: 40 }),
  fc.array(fc.nat(5), { minLength: 40, maxLength: 40 }),
);

/** Clocks that mostly grow along each node (as real ones do), with the odd reset. */
const growingArb = fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D'), fc.nat(2), fc.boolean()), { minLength: 40, maxLength: 40 }).map((ops) => {
  const cur = new Map<string, Record<string, number>>();
  return (steps: readonly Step[]) => steps.map(([, node], i) => {
    const c = { ...(cur.get(node) ?? {}) };
    const [k, by, reset] = ops[i];
    c[k] = reset && by === 0 ? 0 : (c[k] ?? 0) + by;
    cur.set(node, c);
    return c;
  });
});

describe('countVerdicts', () => {
  test('property: equals the brute-force count, scope all and sends, on arbitrary clocks', async () => {
    await fc.assert(fc.asyncProperty(runArb, clocksArb, async (steps, clocks) => {
      const { checker } = await checkTrace(header(nodes), trace(steps, (i) => clocks[i]), { scope: 'all' });
      for (const scope of ['all', 'sends'] as const) {
        const evs = checker.inScope(scope);
        expect(countVerdicts(evs)).toEqual(bruteCounts(evs));
      }
    }), { numRuns: 300 });
  });

  test('property: equals the brute-force count on mostly growing clocks with resets', async () => {
    await fc.assert(fc.asyncProperty(runArb, growingArb, async (steps, make) => {
      const clocks = make(steps);
      const { checker } = await checkTrace(header(nodes), trace(steps, (i) => clocks[i]), { scope: 'all' });
      const evs = checker.inScope('all');
      expect(countVerdicts(evs)).toEqual(bruteCounts(evs));
    }), { numRuns: 300 });
  });

  test('property: the online counter (src/check/online.ts) equals countVerdicts, counts and both details', async () => {
    await fc.assert(fc.asyncProperty(runArb, fc.oneof(clocksArb.map((c) => () => c), growingArb), fc.boolean(), async (steps, make, itc) => {
      const clocks = make(steps);
      const { checker } = await checkTrace(header(nodes), trace(steps, (i) => clocks[i]), { scope: 'all' });
      const order = itc ? (x: Float64Array, y: Float64Array) => x.length <= y.length && x.every((v, i) => v <= y[i]) : undefined;
      for (const scope of ['all', 'sends'] as const) {
        const evs = checker.inScope(scope);
        const spec = { groups: 2, bins: 3, groupOf: (s: number) => s % 2, binOf: (t: number) => t % 3 };
        const want = { pairs: new Float64Array(16), bins: new Float64Array(12) };
        const counts = countVerdicts(evs, undefined, { spec, out: want }, order);
        const online = new OnlineVerdicts(order, spec.groups);
        for (const e of evs) online.add(e, spec.groupOf(e.node));
        expect(online.counts()).toEqual(counts);
        expect(online.counts()).toEqual(bruteCounts(evs, order));
        const got = binDetail(online.detailParts(), spec);
        expect(Array.from(got.pairs)).toEqual(Array.from(want.pairs));
        expect(Array.from(got.bins)).toEqual(Array.from(want.bins));
      }
    }), { numRuns: 400 });
  });

  test('a hand-checked run: each category once', async () => {
    // A sends m1 (0), B receives it (1), C sends m2 (2), B sends m3 (3).
    const steps: Step[] = [['send', 'A', 1], ['recv', 'B', 1], ['send', 'C', 2], ['send', 'B', 3]];
    const clocks: Record<string, number>[] = [{ A: 1 }, { A: 1 }, { A: 1, C: 1 }, { B: 1 }];
    // pairs: (0,1) truly before, clocks equal -> missed, equal stamp
    //        (0,2) concurrent, clocks before -> false_order
    //        (0,3) truly before, clocks concurrent -> missed
    //        (1,2) concurrent, clocks before -> false_order
    //        (1,3) truly before, clocks concurrent -> missed
    //        (2,3) concurrent, clocks concurrent -> agree
    const { figures } = await checkTrace(header(nodes), trace(steps, (i) => clocks[i]));
    expect(figures).toMatchObject({ status: 'done', events: 4, pairs: 6, agree: 1, missed: 3, false_order: 2, reversed: 0, equal_stamps: 1, truly_ordered: 3, truly_concurrent: 3 });
  });

  test('categories', () => {
    expect(categorize('before', 'before')).toBe('agree');
    expect(categorize('after', 'after')).toBe('agree');
    expect(categorize('concurrent', 'concurrent')).toBe('agree');
    expect(categorize('equal', 'concurrent')).toBe('agree');
    expect(categorize('equal', 'before')).toBe('missed');
    expect(categorize('concurrent', 'after')).toBe('missed');
    expect(categorize('before', 'concurrent')).toBe('false_order');
    expect(categorize('after', 'before')).toBe('reversed');
  });
});
