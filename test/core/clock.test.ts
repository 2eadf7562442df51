// VectorClock (src/core/clock.ts): entries in insertion order, and mergeMax, the receive
// path's merge, checked directly against a plain per-entry max.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameTable, snapshotJson, VectorClock } from '../../src/core/clock.js';

describe('VectorClock', () => {
  it('keeps entries in insertion order, its own name first', () => {
    const c = new VectorClock('b');
    c.add('a', 2);
    c.addMissing(['c', 'a', 'd']);
    expect(snapshotJson(c.snapshot())).toBe('{"b":0,"a":2,"c":0,"d":0}');
  });

  it('mergeMax takes the larger value per known entry and stops at the first unknown name or null', () => {
    const table = new NameTable();
    const c = new VectorClock('a', table);
    c.add('b', 5);
    c.add('c', 1);
    const before = c.snapshot();
    const ids = table.idsOf(['c', 'b', 'zz', 'a']);
    expect(c.mergeMax(ids, [3, 2, 9, 9])).toBe(2);
    expect(snapshotJson(c.snapshot())).toBe('{"a":0,"b":5,"c":3}');
    expect(snapshotJson(before)).toBe('{"a":0,"b":5,"c":1}');
    expect(c.mergeMax(table.idsOf(['a', 'b']), [4, null])).toBe(1);
    expect(c.get(c.slot('a'))).toBe(4);
  });

  it('mergeMax equals a per-entry max over the entries it merged (property)', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(fc.property(
      fc.array(fc.nat(20), { minLength: 5, maxLength: 5 }),
      fc.uniqueArray(fc.constantFrom(...names)),
      fc.array(fc.option(fc.nat(20), { nil: null }), { minLength: 5, maxLength: 5 }),
      (start, order, incoming) => {
        const table = new NameTable();
        const c = new VectorClock('a', table);
        c.set(0, start[0]);
        for (let i = 1; i < names.length; i++) c.add(names[i], start[i]);
        const values = order.map((_, i) => incoming[i]);
        const stop = c.mergeMax(table.idsOf(order), values);
        const firstNull = values.indexOf(null);
        expect(stop).toBe(firstNull < 0 ? order.length : firstNull);
        for (let i = 0; i < names.length; i++) {
          const k = order.indexOf(names[i]);
          const merged = k >= 0 && k < stop ? Math.max(start[i], values[k]!) : start[i];
          expect(c.get(c.slot(names[i]))).toBe(merged);
        }
      },
    ), { seed: 13, numRuns: 300 });
  });
});

describe('VectorClock under a shared static membership', () => {
  // A clock preloaded with the run's list keeps that list, not a copy, until it changes; it
  // must answer every question exactly as a clock that wrote the entries out at once.
  const list = ['n0', 'n1', 'n2', 'n3', 'n4'];

  it('answers slots, size, membership and values as the written-out clock, then writes out on change', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 })), { maxLength: 8 }), (ownAt, ops) => {
      const table = new NameTable();
      const own = list[ownAt];
      const lazy = new VectorClock(own, table);
      lazy.addMissing(list);
      const ref = new VectorClock(own, new NameTable());
      ref.addMissing(list);
      expect(lazy.size).toBe(ref.size);
      for (const n of [...list, 'x']) expect(lazy.slot(n)).toBe(ref.slot(n));
      for (const n of [...list, 'x']) expect(lazy.has(n)).toBe(ref.has(n));
      for (let s = 0; s < ref.size; s++) expect(lazy.get(s)).toBe(ref.get(s));
      for (const [slot, v] of ops) {
        if (slot >= ref.size) continue;
        lazy.set(slot, v);
        ref.set(slot, v);
      }
      expect(snapshotJson(lazy.snapshot())).toBe(snapshotJson(ref.snapshot()));
      expect(lazy.names).toEqual(ref.names);
    }));
  });

  it('a name added later comes after the list, as when written out at once', () => {
    const lazy = new VectorClock('n2');
    lazy.addMissing(list);
    lazy.add('late', 4);
    expect(snapshotJson(lazy.snapshot())).toBe('{"n2":0,"n0":0,"n1":0,"n3":0,"n4":0,"late":4}');
    expect(lazy.slot('n4')).toBe(4);
  });
});
