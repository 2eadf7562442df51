// Explore's throughput, for the benchmark (npm run bench): seeds per second for a scenario
// at a given number of workers, worker start-up included, as a user would see it.

import { loadScenarioFile } from '../scenario/load.js';
import { explore } from './explore.js';
import { shellQuote } from '../util/shell.js';

export interface ExploreThroughput {
  readonly scenario: string;
  readonly seeds: number;
  readonly workers: number;
  readonly seconds: number;
  readonly seeds_per_second: number;
  readonly failed: number;
}

export async function exploreThroughput(file: string, seeds: number, workers: number): Promise<ExploreThroughput> {
  const loaded = loadScenarioFile(file);
  const started = performance.now();
  const r = await explore({ input: loaded.input, origin: file, range: { first: 1, last: seeds }, workers, command: (s) => `vcsim run ${shellQuote(file)} --seed ${s}` });
  const seconds = (performance.now() - started) / 1000;
  return { scenario: loaded.scenario.name, seeds, workers, seconds: Math.round(seconds * 1000) / 1000, seeds_per_second: Math.round(seeds / seconds), failed: r.seeds_failed };
}
