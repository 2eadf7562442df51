// Test helper: the obvious O(E^2 N) verdict counter, to validate the fast one against.

import { clockRelation } from '../../src/check/clocks.js';
import { categorize } from '../../src/check/checker.js';
import { trueRelation } from '../../src/check/truth.js';
import type { CausalEvent, VerdictCounts } from '../../src/check/verdicts.js';

export function bruteCounts(events: readonly CausalEvent[], order?: (x: Float64Array, y: Float64Array) => boolean): VerdictCounts {
  const c: VerdictCounts = {
    events: events.length, pairs: 0, agree: 0, missed: 0, false_order: 0, reversed: 0, equal_stamps: 0, disagree: 0,
    truly_ordered: 0, truly_concurrent: 0, clock_ordered: 0, clock_concurrent: 0, clock_equal: 0, precision: 1, recall: 1,
  };
  let right = 0;
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const a = events[i];
      const b = events[j];
      const cr = clockRelation(a.clock, b.clock, order);
      const tr = trueRelation(a.node, a.vt, b.node, b.vt);
      c.pairs++;
      c[categorize(cr, tr)]++;
      if (cr === 'equal') { c.equal_stamps++; c.clock_equal++; }
      else if (cr === 'concurrent') c.clock_concurrent++;
      else c.clock_ordered++;
      if (tr !== 'concurrent' && cr === tr) right++;
      if (tr === 'concurrent') c.truly_concurrent++;
      else c.truly_ordered++;
    }
  }
  c.disagree = c.missed + c.false_order + c.reversed;
  // Counted pair by pair, independently of the fast counter's formula.
  if (c.clock_ordered > 0) c.precision = Math.round((right / c.clock_ordered) * 1e6) / 1e6;
  if (c.truly_ordered > 0) c.recall = Math.round((right / c.truly_ordered) * 1e6) / 1e6;
  return c;
}
