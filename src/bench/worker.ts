// One benchmark measurement in its own process, so that peak memory (maxRSS) is its own:
// `node dist/bench/worker.js '<json spec>'` prints one JSON line with the result.

import { runKernel } from './kernel.js';
import { loadScenarioFile, runScenario } from '../index.js';
import { formatDuration } from '../scenario/duration.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchSpec {
  readonly kind: 'kernel' | 'vcsim';
  readonly nodes: number;
  readonly durationUs: number;
  readonly scenario?: string;
  readonly outputs?: 'all' | 'none';
}

export interface BenchSample {
  readonly receives: number;
  readonly events: number;
  readonly wall_ms: number;
  readonly max_rss_mb: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as BenchSpec;
  let receives: number;
  let events: number;
  const t0 = performance.now();
  if (spec.kind === 'kernel') {
    const r = runKernel(spec.nodes, spec.durationUs);
    receives = r.receives;
    events = r.receives + r.sends;
  } else {
    const loaded = loadScenarioFile(spec.scenario ?? 'scenarios/bench-broadcast.yaml', [
      { path: ['nodes'], value: spec.nodes, flag: '--nodes' },
      { path: ['duration'], value: formatDuration(spec.durationUs), flag: '--duration' },
    ]);
    const out = mkdtempSync(join(tmpdir(), 'vcsim-bench-'));
    const r = await runScenario({ loaded, seed: 1, outDir: out, outputs: spec.outputs ?? 'none' });
    rmSync(out, { recursive: true, force: true });
    receives = r.summary.receives;
    events = r.summary.events;
  }
  const wall = performance.now() - t0;
  const sample: BenchSample = { receives, events, wall_ms: Math.round(wall), max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(JSON.stringify(sample) + '\n');
}

await main();
