// The work a worker thread (or the main thread, with one worker) does: run one seed of a
// scenario and reduce it to its outcome, or run it in full writing its trace to a file (for
// the determinism check). Pure functions of their inputs, so any thread gives the same
// answer.

import { runScenario, type LoadedScenario, type OutputsMode, type RunResult, type Summary } from '../api/index.js';
import { loadScenarioData, type Override } from '../scenario/load.js';
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

/** Runs seeds one after another (a batch saves a message round trip per seed). */
export async function runSeeds(loaded: LoadedScenario, seeds: readonly number[]): Promise<SeedOutcome[]> {
  const out: SeedOutcome[] = [];
  for (const seed of seeds) out.push(await runSeed(loaded, seed));
  return out;
}

/** Runs one seed of `loaded` with overrides set (no output files) and returns its summary. */
export async function runSummary(loaded: LoadedScenario, overrides: readonly Override[], seed: number, checker: 'on' | 'off' = 'on'): Promise<Summary> {
  const point = overrides.length === 0 ? loaded : loadScenarioData(loaded.input, 'sweep', overrides);
  return (await runScenario({ loaded: point, seed, outDir: null, outputs: 'none', checker })).summary;
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

export function jobPool(size: number, input: Record<string, unknown> | null, origin: string): JobPool {
  return new WorkerPool<Job, JobResult>(compiledUrl(import.meta.url, './worker.js'), size, { input, origin });
}
