// The work a worker thread (or the main thread, with one worker) does: run one seed of a
// scenario and reduce it to its outcome, or run it in full writing its trace to a file (for
// the determinism check). Pure functions of their inputs, so any thread gives the same
// answer.

// From run.js, not the API's door (index.js): a worker thread loads only what a run needs.
import { runScenario, type OutputsMode, type RunResult } from '../api/run.js';
import type { Summary } from '../export/summary.js';
import { loadScenarioData, type LoadedScenario, type Override } from '../scenario/load.js';
import { JsonlWriter } from '../export/jsonl.js';
import { outcomeOf, type SeedOutcome } from './failure.js';
import { compiledUrl, WorkerPool } from '../util/pool.js';

export type Job =
  | { readonly type: 'seeds'; readonly seeds: readonly number[] }
  | { readonly type: 'run'; readonly seed: number; readonly outDir: string | null; readonly outputs: OutputsMode; readonly tracePath: string | null; readonly eventsClockBefore?: boolean }
  /** One seed of the worker's scenario with these overrides (a sweep's point): its summary. */
  | { readonly type: 'summary'; readonly overrides: readonly Override[]; readonly seed: number; readonly checker: 'on' | 'off' }
  /** A run of a scenario carried by the job itself (vcsim check runs many scenarios in one pool). */
  | { readonly type: 'scenario'; readonly input: Record<string, unknown>; readonly origin: string; readonly seed: number; readonly tracePath: string | null; readonly checker: 'on' | 'off' };

export type JobResult = SeedOutcome[] | RunResult | Summary;

/** Runs one seed with no output files and returns its outcome. */
export async function runSeed(loaded: LoadedScenario, seed: number): Promise<SeedOutcome> {
  const r = await runScenario({ loaded, seed, outDir: null, outputs: 'none', digest: true });
  return outcomeOf(r, loaded.scenario.expect);
}

/** Runs one seed in full; `tracePath` adds a trace.jsonl written there. */
export async function runFull(loaded: LoadedScenario, job: Extract<Job, { type: 'run' }>): Promise<RunResult> {
  const consumers = job.tracePath === null ? [] : [new JsonlWriter(job.tracePath)];
  return runScenario({ loaded, seed: job.seed, outDir: job.outDir, outputs: job.outputs, consumers, digest: true, eventsClockBefore: job.eventsClockBefore });
}

/** Lets the event loop run (worker replies, signals) before the caller goes on. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs seeds one after another (a batch saves a message round trip per seed), letting the
 * event loop run between them: in the main thread, worker replies and signals get through.
 */
export async function runSeeds(loaded: LoadedScenario, seeds: readonly number[]): Promise<SeedOutcome[]> {
  const out: SeedOutcome[] = [];
  for (const seed of seeds) {
    if (out.length > 0) await breathe();
    out.push(await runSeed(loaded, seed));
  }
  return out;
}

/** Points loaded from a scenario, by their overrides: a sweep runs each point for many seeds. */
const points = new WeakMap<LoadedScenario, Map<string, LoadedScenario>>();
const POINTS_KEPT = 64;

/** `loaded` with overrides set, loaded once per thread for the same overrides (loading is a pure function of them). */
export function pointOf(loaded: LoadedScenario, overrides: readonly Override[]): LoadedScenario {
  if (overrides.length === 0) return loaded;
  let kept = points.get(loaded);
  if (kept === undefined) points.set(loaded, (kept = new Map()));
  const key = JSON.stringify(overrides.map((o) => [o.path, o.value, o.flag]));
  let point = kept.get(key);
  if (point === undefined) {
    if (kept.size >= POINTS_KEPT) kept.clear();
    point = loadScenarioData(loaded.input, 'sweep', overrides);
    kept.set(key, point);
  }
  return point;
}

/** Runs one seed of `loaded` with overrides set (no output files) and returns its summary. */
export async function runSummary(loaded: LoadedScenario, overrides: readonly Override[], seed: number, checker: 'on' | 'off' = 'on'): Promise<Summary> {
  return (await runScenario({ loaded: pointOf(loaded, overrides), seed, outDir: null, outputs: 'none', checker })).summary;
}

/** Runs the job's own scenario for one seed, with no output files; `tracePath` adds a trace.jsonl. */
export async function runCarried(job: Extract<Job, { type: 'scenario' }>): Promise<RunResult> {
  const loaded = loadScenarioData(job.input, job.origin);
  const consumers = job.tracePath === null ? [] : [new JsonlWriter(job.tracePath)];
  return runScenario({ loaded, seed: job.seed, outDir: null, outputs: 'none', consumers, digest: true, checker: job.checker });
}

/** `loaded` is the pool's scenario; null for a pool whose jobs carry their own (type `scenario`). */
export function doJob(loaded: LoadedScenario | null, job: Job): Promise<JobResult> {
  if (job.type === 'scenario') return runCarried(job);
  if (loaded === null) return Promise.reject(new Error(`vcsim: a ${job.type} job needs a pool made with a scenario`));
  switch (job.type) {
    case 'seeds': return runSeeds(loaded, job.seeds);
    case 'run': return runFull(loaded, job);
    case 'summary': return runSummary(loaded, job.overrides, job.seed, job.checker);
  }
}

/** A pool of worker threads (src/repro/worker.ts) that answer these jobs for one scenario (`input`), or for jobs that carry their own (`input` null, type `scenario`). */
export type JobPool = WorkerPool<Job, JobResult>;

/** `depth`: jobs given to a worker at once (see src/util/pool.ts). */
export function jobPool(size: number, input: Record<string, unknown> | null, origin: string, depth = 1): JobPool {
  return new WorkerPool<Job, JobResult>(compiledUrl(import.meta.url, './worker.js'), size, { input, origin }, depth);
}
