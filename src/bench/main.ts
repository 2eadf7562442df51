// `npm run bench`: the performance table. Each workload runs several times in fresh processes;
// the table shows medians, and every figure as a ratio to a reference measured in the same run
// (the minimal kernel of src/bench/kernel.ts), so that ratios hold on any machine. Writes
// results/bench.json. Nothing here is a test: correctness tests never time anything.

import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchSample, BenchSpec } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const quick = process.argv.includes('--quick');
const REPS = quick ? 1 : 3;
const TARGET_WALL_MS = quick ? 1000 : 5000;

function measure(spec: BenchSpec): BenchSample {
  const out = execFileSync(process.execPath, ['--max-old-space-size=16384', WORKER, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as BenchSample;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function progress(msg: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${msg}`);
  else process.stderr.write(msg + '\n');
}

/**
 * Steady-state rate: vcsim runs the workload twice, for a short and a long simulated duration,
 * and the difference (receives, events, wall time) cancels the fixed cost of start-up and the
 * join handshake (N^2 replies, each to N nodes). The long duration is calibrated so that its
 * run takes at least TARGET_WALL_MS.
 */
interface Marginal { receivesPerS: number; eventsPerS: number; overall: BenchSample; durationUs: number }

const SHORT_US = 1_000_000;

function marginal(spec: Omit<BenchSpec, 'durationUs'>, label: string): Marginal[] {
  progress(`${label}: calibrating`);
  const short = measure({ ...spec, durationUs: SHORT_US });
  let d = 4 * SHORT_US;
  let probe = measure({ ...spec, durationUs: d });
  while (probe.wall_ms - short.wall_ms < TARGET_WALL_MS / 4 && d < 3_600_000_000) {
    d *= 4;
    probe = measure({ ...spec, durationUs: d });
  }
  const perSimUs = Math.max(probe.wall_ms - short.wall_ms, 1) / (d - SHORT_US);
  const durationUs = SHORT_US + Math.ceil(TARGET_WALL_MS / perSimUs / 1_000_000) * 1_000_000;
  const out: Marginal[] = [];
  for (let i = 0; i < REPS; i++) {
    progress(`${label}: run ${i + 1}/${REPS}`);
    const a = measure({ ...spec, durationUs: SHORT_US });
    const b = measure({ ...spec, durationUs });
    const dt = Math.max(b.wall_ms - a.wall_ms, 1) / 1000;
    out.push({ receivesPerS: Math.round((b.receives - a.receives) / dt), eventsPerS: Math.round((b.events - a.events) / dt), overall: b, durationUs });
  }
  return out;
}

interface Row {
  workload: string;
  target: string;
  vcsim: { receives_per_s: number; events_per_s: number; max_rss_mb: number; wall_ms: number };
  reference: { receives_per_s: number; max_rss_mb: number } | null;
  ratio: number | null;
  met: boolean | null;
  note: string;
}

function rate(s: BenchSample): number {
  return Math.round(s.receives / (s.wall_ms / 1000));
}

function rawSpeed(n: number): Row {
  const m = marginal({ kind: 'vcsim', nodes: n, outputs: 'none' }, `raw speed N=${n}`);
  const durationUs = m[0].durationUs;
  const k: BenchSample[] = [];
  for (let i = 0; i < REPS; i++) {
    progress(`raw speed N=${n}: reference ${i + 1}/${REPS}`);
    k.push(measure({ kind: 'kernel', nodes: n, durationUs }));
  }
  const vr = median(m.map((x) => x.receivesPerS));
  const kr = median(k.map(rate));
  const ratio = Math.round((vr / kr) * 1000) / 1000;
  const overall = m.map((x) => x.overall);
  return {
    workload: `raw speed, N=${n}, outputs none (${durationUs / 1e6}s simulated)`,
    target: '>= 0.8 of the reference',
    vcsim: { receives_per_s: vr, events_per_s: median(m.map((x) => x.eventsPerS)), max_rss_mb: median(overall.map((s) => s.max_rss_mb)), wall_ms: median(overall.map((s) => s.wall_ms)) },
    reference: { receives_per_s: kr, max_rss_mb: median(k.map((s) => s.max_rss_mb)) },
    ratio,
    met: ratio >= 0.8,
    note: `whole run incl. handshake: ${median(overall.map(rate)).toLocaleString('en-US')} receives/s`,
  };
}

function withOutputs(n: number): Row[] {
  const m = marginal({ kind: 'vcsim', nodes: n, outputs: 'all' }, `outputs on N=${n}`);
  const durationUs = m[0].durationUs;
  const eps = median(m.map((x) => x.eventsPerS));
  const overall = m.map((x) => x.overall);
  progress(`outputs on N=${n}: memory at 1x and 10x the length`);
  const short = measure({ kind: 'vcsim', nodes: n, durationUs, outputs: 'all' });
  const long = measure({ kind: 'vcsim', nodes: n, durationUs: durationUs * 10, outputs: 'all' });
  const growth = Math.round((long.max_rss_mb / short.max_rss_mb) * 1000) / 1000;
  return [
    {
      workload: `every output on, N=${n} (${durationUs / 1e6}s simulated)`,
      target: '>= 300,000 events/s',
      vcsim: { receives_per_s: median(m.map((x) => x.receivesPerS)), events_per_s: eps, max_rss_mb: median(overall.map((s) => s.max_rss_mb)), wall_ms: median(overall.map((s) => s.wall_ms)) },
      reference: null,
      ratio: null,
      met: eps >= 300_000,
      note: `whole run incl. handshake: ${median(overall.map((s) => Math.round(s.events / (s.wall_ms / 1000)))).toLocaleString('en-US')} events/s`,
    },
    {
      workload: `memory growth, N=${n}, run 10x longer (${(durationUs * 10) / 1e6}s simulated)`,
      target: '<= 1.2x the peak memory',
      vcsim: { receives_per_s: rate(long), events_per_s: Math.round(long.events / (long.wall_ms / 1000)), max_rss_mb: long.max_rss_mb, wall_ms: long.wall_ms },
      reference: { receives_per_s: rate(short), max_rss_mb: short.max_rss_mb },
      ratio: growth,
      met: growth <= 1.2,
      note: `${short.max_rss_mb} MB -> ${long.max_rss_mb} MB`,
    },
  ];
}

function table(rows: Row[]): string {
  const head = ['workload', 'target', 'receives/s', 'events/s', 'peak MB', 'reference', 'ratio', 'met', 'note'];
  const body = rows.map((r) => [
    r.workload, r.target, r.vcsim.receives_per_s.toLocaleString('en-US'), r.vcsim.events_per_s.toLocaleString('en-US'), String(r.vcsim.max_rss_mb),
    r.reference ? `${r.reference.receives_per_s.toLocaleString('en-US')}/s, ${r.reference.max_rss_mb} MB` : '-', r.ratio === null ? '-' : String(r.ratio), r.met === null ? '-' : r.met ? 'yes' : 'NO', r.note,
  ]);
  const lines = [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

function main(): void {
  const rows: Row[] = [];
  rows.push(rawSpeed(50));
  rows.push(rawSpeed(200));
  rows.push(...withOutputs(50));
  progress('');
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`;
  const md = table(rows);
  process.stdout.write(`\nvcsim benchmark on ${machine}\n\n${md}\n`);
  mkdirSync('results', { recursive: true });
  writeFileSync('results/bench.json', JSON.stringify({ machine, quick, reps: REPS, rows }, null, 2) + '\n');
  process.stdout.write('\nwrote results/bench.json\n');
}

main();
