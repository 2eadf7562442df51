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
//
// With a journal (src/repro/journal.ts) every finished seed is kept on disk as it ends, and a
// run with the same arguments starts from the seeds it holds: the report is the same
// whether the seeds were run now or read back.

import { availableParallelism } from 'node:os';
import { loadScenarioData } from '../scenario/load.js';
import type { SeedOutcome } from './failure.js';
import { runners } from './runners.js';
import { VERSION } from '../util/version.js';
import { ExploreJournal, InOrder, type ExploreRow } from './journal.js';
import { buildReport, type ExploreReport } from './report.js';
import { shardSeeds, shardText, WHOLE, type SeedRange, type Shard } from './seeds.js';

export interface ExploreProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** True once --stop-after has been reached and only seeds below the cutoff remain. */
  readonly stopping: boolean;
  /** Seeds read back from the journal (counted in `done`, not run now). */
  readonly resumed: number;
  /** Journal lines dropped as torn or damaged (1-based); their seeds are run again. */
  readonly damaged: readonly number[];
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
  /** The journal file: finished seeds are kept there and read back by a later run. */
  readonly journal?: string;
  /** Discard an existing journal instead of resuming it. */
  readonly fresh?: boolean;
  /** Stops starting seeds (the finished ones stay journaled); `exploreRaw` then reports complete: false. */
  readonly signal?: AbortSignal;
}

export interface Nondeterminism {
  readonly seed: number;
  readonly digests: readonly [string, string];
}

export interface ExploreRaw {
  readonly failing: SeedOutcome[];
  readonly nondeterministic: Nondeterminism[];
  readonly cutoff: number | null;
  /** False when stopped by `signal` before every seed ran. */
  readonly complete: boolean;
  /** Seeds read back from the journal; seeds run now. */
  readonly resumed: number;
  readonly computed: number;
}

const MAX_BATCH = 32;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function explore(opts: ExploreOptions): Promise<ExploreReport> {
  const raw = await exploreRaw(opts);
  if (!raw.complete) throw new Error('vcsim explore: interrupted before every seed ran (the finished ones are in the journal)');
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
  const shard = opts.shard ?? WHOLE;
  const all = [...shardSeeds(opts.range, shard)];
  const every = opts.determinismEvery ?? 0;
  const stopAfter = opts.stopAfter ?? Infinity;
  const sampled = (seed: number): boolean => every > 0 && (seed - opts.range.first) % every === 0;
  const journal = opts.journal === undefined ? null : new ExploreJournal(opts.journal, {
    vcsim: VERSION,
    scenario: opts.input,
    seeds: { first: opts.range.first, last: opts.range.last },
    shard: shard.count > 1 ? shardText(shard) : null,
    determinism_every: every > 0 ? every : null,
  }, opts.fresh);

  const failing: SeedOutcome[] = [];
  const nondeterministic: Nondeterminism[] = [];
  let cutoff = Infinity;
  const record = (o: SeedOutcome, again: string | null): void => {
    if (again !== null && again !== o.digest) nondeterministic.push({ seed: o.seed, digests: [o.digest, again] });
    if (o.failed) failing.push(o);
  };
  const updateCutoff = (): void => {
    if (failing.length >= stopAfter) cutoff = failing.map((f) => f.seed).sort((a, b) => a - b)[stopAfter - 1];
  };
  // Seeds the journal holds count as done; a sampled seed without its second digest is run again.
  let resumed = 0;
  for (const seed of all) {
    const row = journal?.done.get(seed);
    if (row === undefined || (sampled(seed) && row.again === null)) continue;
    record(row.outcome, sampled(seed) ? row.again : null);
    resumed++;
  }
  updateCutoff();
  const seeds = all.filter((seed) => { const r = journal?.done.get(seed); return r === undefined || (sampled(seed) && r.again === null); });
  const count = Math.max(1, Math.min(opts.workers ?? defaultWorkers(), seeds.length || 1));
  const { list, close } = runners(seeds.length > 0 ? count : 1, loaded, opts.input, opts.origin);
  const run = (k: number, batch: readonly number[]): Promise<SeedOutcome[]> => list[k].run<SeedOutcome[]>({ type: 'seeds', seeds: batch });
  // One lane per job a runner is given at once (a worker thread gets two: see runners.ts).
  const lanes = list.flatMap((r, k) => Array.from({ length: r.depth }, () => k));
  const journaled = journal === null ? null : new InOrder(seeds, (rows) => journal.append(rows));

  let next = 0;
  let done = resumed;
  const progress = (): void => opts.onProgress?.({
    done, total: all.length, failed: Math.min(failing.length, stopAfter), stopping: cutoff !== Infinity, resumed, damaged: journal?.damaged ?? [],
  });
  const more = (): boolean => next < seeds.length && seeds[next] <= cutoff && opts.signal?.aborted !== true;
  // Batches amortise the message round trip, small enough to keep every lane busy, and
  // smaller still as the seeds run out, so that the lanes end at about the same time.
  const most = Math.max(1, Math.min(MAX_BATCH, Math.floor(seeds.length / (lanes.length * 8))));
  const take = (): number[] => {
    const size = Math.max(1, Math.min(most, Math.ceil((seeds.length - next) / (2 * lanes.length))));
    const batch: number[] = [];
    while (batch.length < size && next < seeds.length && seeds[next] <= cutoff) batch.push(seeds[next++]);
    return batch;
  };
  const lane = async (k: number): Promise<void> => {
    while (more()) {
      const batch = take();
      const sample = batch.filter(sampled);
      // The determinism sample runs again on the next runner (another thread when there are several).
      const [outcomes, twice] = await Promise.all([run(k, batch), sample.length > 0 ? run((k + 1) % list.length, sample) : []]);
      const again = new Map(twice.map((a) => [a.seed, a.digest]));
      const rows: ExploreRow[] = outcomes.map((o) => ({ outcome: o, again: again.get(o.seed) ?? null }));
      journaled?.add(rows);
      done += outcomes.length;
      for (const r of rows) record(r.outcome, r.again);
      updateCutoff();
      progress();
    }
  };

  try {
    progress();
    await Promise.all(lanes.map((k) => lane(k)));
  } finally {
    journaled?.end();
    journal?.close();
    await close();
  }
  const complete = !seeds.some((seed, k) => k >= next && seed <= cutoff);
  const bySeed = (a: { seed: number }, b: { seed: number }): number => a.seed - b.seed;
  return {
    failing: failing.filter((f) => f.seed <= cutoff).sort(bySeed),
    nondeterministic: nondeterministic.filter((n) => n.seed <= cutoff).sort(bySeed),
    cutoff: cutoff === Infinity ? null : cutoff,
    complete,
    resumed,
    computed: done - resumed,
  };
}
