// The event queue's order: by time, then by insertion order for equal times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, TypedEventQueue } from '../../src/sim/queue.js';

interface Item { time: number; seq: number; id: number }

describe('EventQueue', () => {
  it('pops by (time, insertion order)', () => {
    const q = new EventQueue<Item>();
    [5, 1, 5, 0, 1, 5].forEach((time, id) => q.push({ time, seq: 0, id }));
    const out: number[] = [];
    for (let x = q.pop(); x; x = q.pop()) out.push(x.id);
    expect(out).toEqual([3, 1, 4, 0, 2, 5]);
  });

  it('matches a stable sort for any sequence of pushes and pops', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 300 }), (ops) => {
      const q = new EventQueue<Item>();
      const model: Item[] = [];
      let id = 0;
      for (const [time, pop] of ops) {
        if (pop) {
          model.sort((a, b) => a.time - b.time || a.id - b.id);
          expect(q.pop()?.id).toBe(model.shift()?.id);
        } else {
          const it = { time, seq: 0, id: id++ };
          q.push(it);
          model.push(it);
        }
      }
      expect(q.size).toBe(model.length);
    }));
  });
});

describe('TypedEventQueue', () => {
  it('pops in the same (time, insertion) order as EventQueue, carrying its integers', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 3000 }), (ops) => {
      const q = new TypedEventQueue();
      const ref = new EventQueue<Item>();
      let id = 0;
      for (const [time, pop] of ops) {
        if (pop) {
          const want = ref.pop();
          expect(q.pop()).toBe(want !== undefined);
          if (want !== undefined) expect([q.time, q.node, q.a, q.b]).toEqual([want.time, want.id, 100 - want.id, want.id * 3]);
        } else {
          q.push(time, id, 100 - id, id * 3);
          ref.push({ time, seq: 0, id: id++ });
        }
      }
      expect(q.size).toBe(ref.size);
    }));
  });
});
