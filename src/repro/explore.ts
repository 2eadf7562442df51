// Exploring seeds: every seed of a range (or of one shard of it) is run through the
// scenario's expectations, in parallel on worker threads, and the failing seeds are
// collected. The outcome is a function of the scenario, the range and the shard alone:
// results are gathered per seed and sorted by seed, so neither the number of workers nor
// the order in which they finish changes it.
//
// --stop-after N is deterministic too: the run stops at the N-th failing seed in seed
// order (the cutoff), not at the N-th to finish. Once N failures are known, no seed above
// the current N-th is started; seeds below it still run and may lower the cutoff. The
// report then covers exactly the seeds up to the cutoff.
//
// A determinism sample (every k-th seed of the range) is run a second time, on another
// worker when there are several, and the two trace digests must agree.

import { availableParallelism } from 'node:os';
import { loadScenarioData } from '../scenario/load.js';
import type { SeedOutcome } from './failure.js';
import { jobPool, runSeeds } from './jobs.js';
import { buildReport, type ExploreReport } from './report.js';
import { shardSeeds, WHOLE, type SeedRange, type Shard } from './seeds.js';

export interface ExploreProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** True once --stop-after has been reached and only seeds below the cutoff remain. */
  readonly stopping: boolean;
}

export interface ExploreOptions {
  /** The scenario as plain data, overrides applied (LoadedScenario.input). */
  readonly input: Record<string, unknown>;
  /** Names the scenario in problems: its file. */
  readonly origin: string;
  readonly range: SeedRange;
  readonly shard?: Shard;
  /** Worker threads; 1 runs in this thread. Default: the machine's cores. */
  readonly workers?: number;
  readonly stopAfter?: number;
  /** Run every k-th seed of the range twice and compare digests; 0 or undefined: never. */
  readonly determinismEvery?: number;
  /** The command that reproduces a seed (`vcsim run ... --seed S`). */
  readonly command: (seed: number) => string;
  readonly onProgress?: (p: ExploreProgress) => void;
}

export interface Nondeterminism {
  readonly seed: number;
  readonly digests: readonly [string, string];
}

export interface ExploreRaw {
  readonly failing: SeedOutcome[];
  readonly nondeterministic: Nondeterminism[];
  readonly cutoff: number | null;
}

const MAX_BATCH = 32;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function explore(opts: ExploreOptions): Promise<ExploreReport> {
  const raw = await exploreRaw(opts);
  const loaded = loadScenarioData(opts.input, opts.origin);
  return buildReport({
    scenario: loaded.scenario.name,
    range: opts.range,
    shards: [opts.shard ?? WHOLE],
    stopAfter: opts.stopAfter ?? null,
    determinismEvery: opts.determinismEvery ?? null,
    failing: raw.failing.map((o) => ({ ...o, command: opts.command(o.seed) })),
    nondeterministic: raw.nondeterministic.map((n) => ({ ...n, command: opts.command(n.seed) + ' --check-determinism' })),
    cutoff: raw.cutoff,
  });
}

/** Runs the seeds and returns the failing ones (sorted), before any report is built. */
export async function exploreRaw(opts: ExploreOptions): Promise<ExploreRaw> {
  const loaded = loadScenarioData(opts.input, opts.origin);
  const seeds = [...shardSeeds(opts.range, opts.shard ?? WHOLE)];
  const workers = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), seeds.length || 1));
  const every = opts.determinismEvery ?? 0;
  const stopAfter = opts.stopAfter ?? Infinity;
  const pool = workers > 1 ? jobPool(workers, opts.input, opts.origin) : null;
  const runOn = (batch: readonly number[], worker: number): Promise<SeedOutcome[]> =>
    pool ? pool.run<SeedOutcome[]>({ type: 'seeds', seeds: batch }, worker) : runSeeds(loaded, batch);
  // Batches amortise the message round trip; small enough to keep every worker busy to the end.
  const batchSize = Math.max(1, Math.min(MAX_BATCH, Math.floor(seeds.length / (workers * 8))));

  const failing: SeedOutcome[] = [];
  const nondeterministic: Nondeterminism[] = [];
  let cutoff = Infinity;
  let next = 0;
  let done = 0;
  const progress = (): void => opts.onProgress?.({
    done, total: seeds.length, failed: Math.min(failing.length, stopAfter), stopping: cutoff !== Infinity,
  });

  const lane = async (i: number): Promise<void> => {
    while (next < seeds.length && seeds[next] <= cutoff) {
      const batch: number[] = [];
      while (batch.length < batchSize && next < seeds.length && seeds[next] <= cutoff) batch.push(seeds[next++]);
      const outcomes = await runOn(batch, i);
      const sample = every > 0 ? batch.filter((seed) => (seed - opts.range.first) % every === 0) : [];
      if (sample.length > 0) {
        const again = await runOn(sample, (i + 1) % workers);
        again.forEach((a) => {
          const o = outcomes.find((x) => x.seed === a.seed)!;
          if (a.digest !== o.digest) nondeterministic.push({ seed: a.seed, digests: [o.digest, a.digest] });
        });
      }
      done += outcomes.length;
      for (const o of outcomes) if (o.failed) failing.push(o);
      if (failing.length >= stopAfter) cutoff = failing.map((f) => f.seed).sort((a, b) => a - b)[stopAfter - 1];
      progress();
    }
  };

  try {
    progress();
    await Promise.all(Array.from({ length: workers }, (_, i) => lane(i)));
  } finally {
    await pool?.close();
  }
  const bySeed = (a: { seed: number }, b: { seed: number }): number => a.seed - b.seed;
  return {
    failing: failing.filter((f) => f.seed <= cutoff).sort(bySeed),
    nondeterministic: nondeterministic.filter((n) => n.seed <= cutoff).sort(bySeed),
    cutoff: cutoff === Infinity ? null : cutoff,
  };
}
