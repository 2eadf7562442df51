// Latency distributions: each draws a delay in integer microseconds from a stream. Every
// distribution consumes a fixed number of draws per sample, so the stream stays aligned.

import type { Latency } from '../scenario/schema.js';
import type { Rng } from './rng.js';

export type Sampler = (rng: Rng) => number;

/**
 * The longest latency a sample can give: one hour. Heavy tails (lognormal, pareto) can draw
 * more, even Infinity; such a sample is clamped here (docs/errors.md, "Limits"), so a time
 * in the trace is always a whole number of microseconds.
 */
export const MAX_LATENCY_US = 3_600_000_000;

/** v clamped to [0, MAX_LATENCY_US]; NaN and Infinity become MAX_LATENCY_US. */
const cap = (v: number): number => (v <= MAX_LATENCY_US ? v : MAX_LATENCY_US);

/** A sampler for `d`, returning whole microseconds >= 0. */
export function sampler(d: Latency): Sampler {
  switch (d.dist) {
    case 'constant': {
      const v = d.value;
      return () => v;
    }
    case 'uniform': {
      const { min, max } = d;
      return (rng) => Math.round(min + (max - min) * rng.next());
    }
    case 'exponential': {
      const mean = d.mean;
      return (rng) => cap(Math.round(-mean * Math.log(1 - rng.next())));
    }
    case 'normal': {
      const { mean, stddev } = d;
      return (rng) => cap(Math.max(0, Math.round(mean + stddev * gaussian(rng))));
    }
    case 'lognormal': {
      const { median, sigma } = d;
      return (rng) => cap(Math.round(median * Math.exp(sigma * gaussian(rng))));
    }
    case 'pareto': {
      const { min, alpha } = d;
      return (rng) => cap(Math.round(min / Math.pow(1 - rng.next(), 1 / alpha)));
    }
  }
}

/** A standard normal deviate by Box-Muller (two draws per sample, always). */
function gaussian(rng: Rng): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
