// The scale-out recipes in docs/examples/ (docs/scale-out.md) are run, not just read: the
// GitHub Actions workflow, the Kubernetes Indexed Job with its merge Job, and the Slurm array
// with its merge script are parsed for the fields they rely on, and their own shell commands
// are run as the engine would run them (its shard variables set, one folder per shard, the
// folders gathered, the merge run) on a tiny scenario: the merged files must equal one run's.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, tempDir, testEnv, vcsim } from '../helpers/cli.js';

const EXAMPLES = join(ROOT, 'docs', 'examples');
const EXPLORE = { scenario: join(ROOT, 'scenarios', 'reordering-rare.yaml'), seeds: '1..60' }; // seed 49 fails
const SWEEP = { vary: '--vary nodes=2,3 --vary network.loss=0,0.1', seeds: '1..2' };
const TABLES = ['sweep.csv', 'sweep-summary.csv', 'sweep.svg'];

let work: string;
let bin: string;
let tiny: string;
let wholeExplore: string;
let wholeSweep: string;

/** Runs a shell command as an engine would, `vcsim` and `npx vcsim` being this checkout's. */
function shell(sh: 'bash' | 'sh', script: string, env: Record<string, string>, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(sh, sh === 'bash' && args.length === 0 ? ['-eo', 'pipefail', '-c', script] : args.length > 0 ? args : ['-c', script], {
    cwd: work, encoding: 'utf8', env: testEnv({ ...env, PATH: `${bin}:${process.env.PATH ?? ''}` }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (f: string): string => readFileSync(f, 'utf8');

beforeAll(() => {
  work = tempDir();
  bin = join(work, '.bin');
  mkdirSync(bin);
  const cli = join(ROOT, 'bin', 'vcsim.js');
  writeFileSync(join(bin, 'vcsim'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`);
  writeFileSync(join(bin, 'npx'), `#!/bin/sh\n[ "$1" = vcsim ] || { echo "npx: only vcsim here" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${cli}" "$@"\n`);
  chmodSync(join(bin, 'vcsim'), 0o755);
  chmodSync(join(bin, 'npx'), 0o755);
  tiny = join(work, 'tiny.yaml');
  writeFileSync(tiny, 'name: tiny\nnodes: 3\nduration: 300ms\n');
  wholeExplore = join(work, 'whole-explore', 'explore.json');
  expect(vcsim(['explore', EXPLORE.scenario, '--seeds', EXPLORE.seeds, '--workers', '1', '--quiet', '--report', wholeExplore]).status).toBe(1);
  wholeSweep = join(work, 'whole-sweep');
  const s = vcsim(['sweep', tiny, ...SWEEP.vary.split(' '), '--seeds', SWEEP.seeds, '--checker', 'off', '--workers', '1', '--quiet', '--out', wholeSweep]);
  expect(s.status, s.stderr).toBe(0);
});

interface Step { run?: string; uses?: string; with?: Record<string, unknown> }
interface GhJob { needs?: string; env?: Record<string, string>; strategy?: { matrix: { shard: number[] } }; steps: Step[] }

describe('docs/examples/github-actions.yml', () => {
  const wf = parse(read(join(EXAMPLES, 'github-actions.yml'))) as { on: string[]; env: Record<string, string>; jobs: Record<string, GhJob> };
  const env = (over: Record<string, string>): Record<string, string> => {
    for (const k of Object.keys(over)) expect(wf.env, `the workflow's env sets ${k}`).toHaveProperty(k);
    return { ...wf.env, ...over };
  };
  const fill = (text: string, shard: number, total: number): string => {
    const out = text.replaceAll('${{ matrix.shard }}', String(shard)).replaceAll('${{ strategy.job-total }}', String(total));
    expect(out).not.toContain('${{');
    return out;
  };

  /** Runs a sharded job for every matrix entry, then "uploads" each shard's folder and "downloads" them for the merge job. */
  function runSharded(name: string, over: Record<string, string>, shardStatus: number[]): string {
    const job = wf.jobs[name];
    const shards = job.strategy!.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    expect(job.env!.VCSIM_SHARD).toBe('${{ matrix.shard }}/${{ strategy.job-total }}');
    const runs = job.steps.filter((s) => s.run?.includes('vcsim'));
    expect(runs).toHaveLength(1);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    const merge = Object.entries(wf.jobs).find(([, j]) => j.needs === name)![1];
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with!['merge-multiple']).toBeUndefined(); // one folder per artifact
    const pattern = new RegExp(`^${String(download.with!.pattern).replace('*', '.*')}$`);
    for (const shard of shards) {
      const jobEnv = { ...env(over), VCSIM_SHARD: fill(job.env!.VCSIM_SHARD, shard, shards.length) };
      const r = shell('bash', fill(runs[0].run!, shard, shards.length), jobEnv);
      expect(shardStatus, r.stderr).toContain(r.status);
      expect(r.stderr).toContain(`shard ${shard}/${shards.length} (from VCSIM_SHARD=${shard}/${shards.length})`);
      const artifact = fill(String(upload.with!.name), shard, shards.length);
      expect(artifact).toMatch(pattern);
      cpSync(join(work, fill(String(upload.with!.path), shard, shards.length)), join(work, `gh-${name}`, String(download.with!.path), artifact), { recursive: true });
    }
    const mergeRuns = merge.steps.filter((s) => s.run?.includes('vcsim'));
    expect(mergeRuns).toHaveLength(1);
    return mergeRuns[0].run!;
  }

  it('runs on pushes and pull requests', () => {
    expect(wf.on).toEqual(['push', 'pull_request']);
    expect(wf.jobs.check.steps.some((s) => s.run === 'npx vcsim check --junit results/check.xml --json results/check.json')).toBe(true);
  });

  it('shards an explore over its matrix and merges the shards into the report of one run', () => {
    const mergeCmd = runSharded('explore', { EXPLORE_SCENARIO: EXPLORE.scenario, EXPLORE_SEEDS: EXPLORE.seeds }, [0, 1]);
    const m = spawnSync('bash', ['-eo', 'pipefail', '-c', mergeCmd], { cwd: join(work, 'gh-explore'), encoding: 'utf8', env: testEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` }) });
    expect(m.status, m.stderr).toBe(1); // seed 49 fails
    expect(read(join(work, 'gh-explore', 'results', 'explore.json'))).toBe(read(wholeExplore));
  });

  it('shards a sweep over its matrix and merges the shards into the files of one run', () => {
    const mergeCmd = runSharded('sweep', { SWEEP_SCENARIO: tiny, SWEEP_VARY: SWEEP.vary, SWEEP_SEEDS: SWEEP.seeds }, [0]);
    const m = spawnSync('bash', ['-eo', 'pipefail', '-c', mergeCmd], { cwd: join(work, 'gh-sweep'), encoding: 'utf8', env: testEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` }) });
    expect(m.status, m.stderr).toBe(0);
    for (const f of TABLES) expect(read(join(work, 'gh-sweep', 'results', 'sweep', f)), f).toBe(read(join(wholeSweep, f)));
  });
});

interface K8sJob {
  apiVersion: string; kind: string; metadata: { name: string };
  spec: { completionMode?: string; completions: number; parallelism?: number; template: { spec: { restartPolicy: string; containers: { env: { name: string; value: string }[]; command: string[]; volumeMounts: { mountPath: string }[] }[] } } };
}

describe('docs/examples/kubernetes-sweep.yaml and its merge Job', () => {
  const load = (f: string): K8sJob => {
    const docs = parseAllDocuments(read(join(EXAMPLES, f)));
    expect(docs).toHaveLength(1);
    return (docs as unknown as { toJS(): K8sJob }[])[0].toJS();
  };
  const shards = load('kubernetes-sweep.yaml');
  const merge = load('kubernetes-sweep-merge.yaml');
  const envOf = (j: K8sJob): Record<string, string> => Object.fromEntries(j.spec.template.spec.containers[0].env.map((e) => [e.name, e.value]));

  it('is an Indexed Job whose VCSIM_SHARD_COUNT is its completions', () => {
    for (const j of [shards, merge]) {
      expect(j.apiVersion).toBe('batch/v1');
      expect(j.kind).toBe('Job');
      expect(j.spec.template.spec.restartPolicy).toBe('Never');
      expect(j.spec.template.spec.containers[0].command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(j.spec.template.spec.containers[0].volumeMounts.map((m) => m.mountPath)).toContain(envOf(j).RESULTS);
    }
    expect(shards.spec.completionMode).toBe('Indexed');
    expect(envOf(shards).VCSIM_SHARD_COUNT).toBe(String(shards.spec.completions));
    expect(merge.spec.completions).toBe(1);
  });

  it('runs each index\'s share into its own folder, and the merge gives the files of one run', () => {
    const results = join(work, 'k8s');
    const n = shards.spec.completions;
    for (let k = 0; k < n; k++) {
      const env = { ...envOf(shards), SCENARIO: tiny, VARY: SWEEP.vary, SEEDS: SWEEP.seeds, RESULTS: results, JOB_COMPLETION_INDEX: String(k) };
      const r = shell('sh', shards.spec.template.spec.containers[0].command[2], env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`vcsim sweep: shard ${k + 1}/${n} (from JOB_COMPLETION_INDEX=${k} of VCSIM_SHARD_COUNT=${n})`);
    }
    const m = shell('sh', merge.spec.template.spec.containers[0].command[2], { ...envOf(merge), RESULTS: results });
    expect(m.status, m.stderr).toBe(0);
    for (const f of TABLES) expect(read(join(results, 'sweep', f)), f).toBe(read(join(wholeSweep, f)));
  });
});

describe('docs/examples/slurm-explore.sbatch and slurm-merge.sbatch', () => {
  const script = read(join(EXAMPLES, 'slurm-explore.sbatch'));
  const directive = (name: string): string => {
    const m = new RegExp(`^#SBATCH --${name}=(\\S+)$`, 'm').exec(script);
    expect(m, `#SBATCH --${name}`).not.toBeNull();
    return m![1];
  };

  it('runs each array task\'s share into its own folder, and the merge gives the report of one run', () => {
    const [min, max] = directive('array').split('-').map(Number);
    expect(Number(directive('cpus-per-task'))).toBeGreaterThan(0);
    const count = max - min + 1;
    for (let id = min; id <= max; id++) {
      // What Slurm sets for an array task (one CPU here, to keep the test light).
      const env = {
        SLURM_ARRAY_JOB_ID: '4242', SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max),
        SLURM_ARRAY_TASK_COUNT: String(count), SLURM_ARRAY_TASK_STEP: '1', SLURM_CPUS_PER_TASK: '1', SCENARIO: EXPLORE.scenario, SEEDS: EXPLORE.seeds,
      };
      const r = shell('bash', '', env, [join(EXAMPLES, 'slurm-explore.sbatch')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`vcsim explore: shard ${id - min + 1}/${count} (from SLURM_ARRAY_TASK_ID=${id}`);
    }
    const m = shell('bash', '', { OUT: 'results/explore-4242' }, [join(EXAMPLES, 'slurm-merge.sbatch')]);
    expect(m.status, m.stderr).toBe(1); // seed 49 fails
    expect(read(join(work, 'results', 'explore-4242', 'explore.json'))).toBe(read(wholeExplore));
  });
});
