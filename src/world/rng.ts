// Seeded random streams, one per purpose. A run's seed derives an independent stream for
// each purpose (the network, each node's workload, the fault schedule), so that a change to
// one purpose does not reshuffle the draws of the others. No other source of randomness is
// allowed in the simulator path.

import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * The stream for `purpose` under `seed`. Alea (from seedrandom) is fast and has a 2^116
 * period; its output is the same on every platform for the same seed string.
 */
export function stream(seed: number, purpose: string): Rng {
  const prng = seedrandom.alea(`vcsim/${seed}/${purpose}`);
  return { next: () => prng() };
}
