// One benchmark measurement in its own process, so that peak memory (maxRSS) is its own:
// `node dist/bench/worker.js '<json spec>'` prints one JSON line with the result.
//   kernel   the reference kernel (src/bench/kernel.ts) on the standard workload
//   vcsim    runScenario on a scenario (the standard workload by default) with overrides
//   checker  a run's events collected in memory, then checkTrace timed alone
//   explore  exploreThroughput: seeds per second at a number of workers

import { runKernel } from './kernel.js';
import { checkTrace, loadScenarioFile, runScenario, type Override } from '../api/index.js';
import { exploreThroughput } from '../repro/throughput.js';
import { formatDuration } from '../scenario/duration.js';
import type { TraceEvent } from '../trace/events.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_SCENARIO = 'scenarios/bench-broadcast.yaml';

export interface BenchSpec {
  readonly kind: 'kernel' | 'vcsim' | 'checker' | 'explore';
  readonly nodes: number;
  readonly durationUs: number;
  readonly scenario?: string;
  readonly outputs?: 'all' | 'none';
  /** The causality checker during a vcsim run (the raw rows run it off). */
  readonly checker?: 'on' | 'off';
  /** Scenario overrides beyond nodes and duration, e.g. [['join', 'membership'], 'static']. */
  readonly set?: readonly (readonly [readonly string[], unknown])[];
  /** explore: seeds 1..seeds at this many workers. */
  readonly seeds?: number;
  readonly workers?: number;
}

export interface BenchSample {
  readonly receives: number;
  readonly events: number;
  readonly wall_ms: number;
  readonly max_rss_mb: number;
  /** checker: pairs judged; explore: seeds per second. */
  readonly extra?: number;
  /** explore: CPU time of the whole process (every thread) over the measured part, ms. */
  readonly cpu_ms?: number;
  /** explore: the share of the machine's CPU time (all cores) that other processes used meanwhile, 0..1; null where /proc/stat is missing. */
  readonly others?: number | null;
}

/** The machine's CPU time so far, busy and total, in clock ticks (Linux /proc/stat); null elsewhere. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3] - (f[4] ?? 0), total };
  } catch {
    return null;
  }
}

/** Ticks per second of /proc/stat (USER_HZ): 100 on every Linux this runs on. */
const USER_HZ = 100;

function overrides(spec: BenchSpec): Override[] {
  return [
    { path: ['nodes'], value: spec.nodes, flag: '--nodes' },
    { path: ['duration'], value: formatDuration(spec.durationUs), flag: '--duration' },
    ...(spec.set ?? []).map(([path, value]) => ({ path: [...path], value, flag: `--set ${path.join('.')}` })),
  ];
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as BenchSpec;
  let receives = 0;
  let events = 0;
  let extra: number | undefined;
  let cpu: Pick<BenchSample, 'cpu_ms' | 'others'> = {};
  let t0 = performance.now();
  if (spec.kind === 'kernel') {
    const r = runKernel(spec.nodes, spec.durationUs);
    receives = r.receives;
    events = r.receives + r.sends;
  } else if (spec.kind === 'vcsim') {
    const loaded = loadScenarioFile(spec.scenario ?? BENCH_SCENARIO, overrides(spec));
    const out = mkdtempSync(join(tmpdir(), 'vcsim-bench-'));
    const r = await runScenario({ loaded, seed: 1, outDir: out, outputs: spec.outputs ?? 'none', checker: spec.checker ?? 'off' });
    rmSync(out, { recursive: true, force: true });
    receives = r.summary.receives;
    events = r.summary.events;
  } else if (spec.kind === 'checker') {
    const loaded = loadScenarioFile(spec.scenario ?? BENCH_SCENARIO, overrides(spec));
    const kept: TraceEvent[] = [];
    const r = await runScenario({ loaded, seed: 1, outDir: null, outputs: 'none', checker: 'off', consumers: [{ wantsClocks: true, event: (e) => { kept.push(e); } }] });
    t0 = performance.now();
    const { figures } = await checkTrace(r.header, kept, { scope: 'all' });
    if (figures.status !== 'done') throw new Error(`checker ${figures.status}: ${figures.note}`);
    events = figures.events;
    extra = figures.pairs;
  } else {
    const m0 = machineTicks();
    const c0 = process.cpuUsage();
    const r = await exploreThroughput(spec.scenario ?? 'scenarios/partition.yaml', spec.seeds ?? 100, spec.workers ?? 1);
    const c = process.cpuUsage(c0);
    const m1 = machineTicks();
    events = r.seeds;
    extra = r.seeds / r.seconds;
    const cpuMs = (c.user + c.system) / 1000;
    // Others' share: the machine's busy time less this process's, over the machine's total.
    const others = m0 === null || m1 === null || m1.total <= m0.total ? null
      : Math.max(0, (m1.busy - m0.busy) - (cpuMs / 1000) * USER_HZ) / (m1.total - m0.total);
    cpu = { cpu_ms: Math.round(cpuMs), others: others === null ? null : Math.round(others * 1000) / 1000 };
  }
  const wall = performance.now() - t0;
  const sample: BenchSample = { receives, events, wall_ms: Math.round(wall), max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), ...(extra !== undefined ? { extra } : {}), ...cpu };
  process.stdout.write(JSON.stringify(sample) + '\n');
}

await main();
