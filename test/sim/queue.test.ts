// The event queue's order: by time, then by insertion order for equal times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TypedEventQueue } from '../../src/sim/queue.js';

interface Item { time: number; id: number }

describe('TypedEventQueue', () => {
  it('pops by (time, insertion order)', () => {
    const q = new TypedEventQueue();
    [5, 1, 5, 0, 1, 5].forEach((time, id) => q.push(time, id, 0, 0));
    const out: number[] = [];
    while (q.pop()) out.push(q.node);
    expect(out).toEqual([3, 1, 4, 0, 2, 5]);
  });

  it('matches a stable sort for any sequence of pushes and pops, carrying its integers', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 3000 }), (ops) => {
      const q = new TypedEventQueue();
      const model: Item[] = [];
      let id = 0;
      for (const [time, pop] of ops) {
        if (pop) {
          model.sort((a, b) => a.time - b.time || a.id - b.id);
          const want = model.shift();
          expect(q.pop()).toBe(want !== undefined);
          if (want !== undefined) expect([q.time, q.node, q.a, q.b]).toEqual([want.time, want.id, 100 - want.id, want.id * 3]);
        } else {
          q.push(time, id, 100 - id, id * 3);
          model.push({ time, id: id++ });
        }
      }
      expect(q.size).toBe(model.length);
    }));
  });
});
