// Per-node physical clocks (docs/scenarios.md, "Physical clocks"): each node's offset and drift,
// drawn from the run's seed on the stream of their own purpose ('physical-clocks'), so that
// drawing them reshuffles nothing else. Node by node in index order, offset then drift; a
// constant takes one draw, uniform one, normal two, so the stream stays aligned.

import type { PhysicalClock } from '../core/stamps.js';
import type { Scenario } from '../scenario/resolve.js';
import type { PhysicalClocksSpec } from '../scenario/schema.js';
import { stream, type Rng } from './rng.js';

type Dist = PhysicalClocksSpec['offset'];

function draw(d: Dist, rng: Rng): number {
  switch (d.dist) {
    case 'constant':
      rng.next();
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'normal': {
      const u1 = 1 - rng.next();
      const u2 = rng.next();
      return d.mean + d.stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
  }
}

/** Each node's physical clock (offset in whole microseconds, drift in ppm to 3 decimals), or undefined without physical_clocks:. */
export function drawPhysicalClocks(sc: Scenario, seed: number): PhysicalClock[] | undefined {
  const spec = sc.physicalClocks;
  if (spec === undefined) return undefined;
  const rng = stream(seed, 'physical-clocks');
  return sc.names.map(() => {
    const offset = Math.round(draw(spec.offset, rng));
    const driftPpm = Math.round(draw(spec.drift_ppm, rng) * 1000) / 1000;
    return { offset, driftPpm };
  });
}
