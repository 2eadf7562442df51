// vcsim sweep across machines (issue 19): four shard processes, each writing its own
// folder, merged in any order, give the files one process writes, byte for byte; a merge
// with a shard missing, repeated or unfinished fails with exit 2 naming it; the shard can
// come from a batch engine's variables instead of --shard, and is then said on stderr.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL } from '../../src/sweep/journal.js';
import { tempDir, vcsim } from '../helpers/cli.js';

const FILES = ['sweep.csv', 'sweep-summary.csv', 'sweep.svg'];
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('a sweep in 4 shard processes', () => {
  let dir: string;
  let args: string[];
  beforeAll(() => {
    dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'name: tiny\nnodes: 3\nduration: 400ms\nnetwork: { loss: 0.05 }\n');
    // 3 points x 3 seeds = 9 runs: shards of 3, 2, 2 and 2 runs, so the share is uneven.
    args = ['sweep', join(dir, 's.yaml'), '--vary', 'nodes=2,3,4', '--seeds', '1..3', '--workers', '1', '--quiet', '--metric', 'bytes.total'];
    const whole = vcsim([...args, '--out', join(dir, 'whole')]);
    expect(whole.status, whole.stderr).toBe(0);
    for (const i of [1, 2, 3, 4]) {
      const r = vcsim([...args, '--shard', `${i}/4`, '--out', join(dir, `shard-${i}`)]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`vcsim sweep: shard ${i}/4 (from --shard ${i}/4)`);
    }
  });

  it('runs a fixed share of the (point, seed) grid in each: run k goes to shard (k mod 4) + 1', () => {
    const runs = (i: number): string[] => read(join(dir, `shard-${i}`), JOURNAL).trim().split('\n').slice(1)
      .map((l) => JSON.parse(l) as { data: { point: number; seed: number } }).map((l) => `${l.data.point}:${l.data.seed}`);
    expect(runs(1)).toEqual(['0:1', '1:2', '2:3']); // k = 0, 4, 8
    expect(runs(2)).toEqual(['0:2', '1:3']); // k = 1, 5
    expect(runs(3)).toEqual(['0:3', '2:1']); // k = 2, 6
    expect(runs(4)).toEqual(['1:1', '2:2']); // k = 3, 7
  });

  it('merges, in any order, into the files of one run, byte for byte', () => {
    const m = vcsim(['sweep', '--merge', ...[3, 1, 4, 2].map((i) => join(dir, `shard-${i}`)), '--out', join(dir, 'merged'), '--metric', 'bytes.total']);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toContain('merged 4 shard(s): 3 point(s), 9 runs');
    for (const f of FILES) expect(read(join(dir, 'merged'), f), f).toBe(read(join(dir, 'whole'), f));
  });

  it('refuses a missing shard with exit 2, naming it', () => {
    const m = vcsim(['sweep', '--merge', ...[1, 2, 4].map((i) => join(dir, `shard-${i}`)), '--out', join(dir, 'bad')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe('vcsim: --merge: missing shard 3/4 (have 1/4, 2/4, 4/4)\n');
  });

  it('refuses a repeated shard with exit 2, naming it and its folders', () => {
    const m = vcsim(['sweep', '--merge', ...[1, 2, 3, 4, 2].map((i) => join(dir, `shard-${i}`)), '--out', join(dir, 'bad')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(`vcsim: --merge: shard 2/4 is given more than once: ${join(dir, 'shard-2')}, ${join(dir, 'shard-2')}\n`);
  });

  it('refuses an unfinished shard with exit 2, naming its folder', () => {
    const cut = join(dir, 'shard-3-cut');
    const r = vcsim([...args, '--shard', '3/4', '--out', cut]);
    expect(r.status).toBe(0);
    const lines = read(cut, JOURNAL).split('\n');
    writeFileSync(join(cut, JOURNAL), lines.slice(0, 2).join('\n') + '\n');
    const m = vcsim(['sweep', '--merge', ...[1, 2, 4].map((i) => join(dir, `shard-${i}`)), cut, '--out', join(dir, 'bad')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(`vcsim: ${cut}: shard 3/4 is not finished: 1 of its 2 runs are missing; run it again with the same arguments to finish it\n`);
  });

  it('refuses a folder of another sweep with exit 2, naming it', () => {
    const other = join(dir, 'other');
    expect(vcsim([...args.map((a) => (a === '1..3' ? '1..2' : a)), '--shard', '4/4', '--out', other]).status).toBe(0);
    const m = vcsim(['sweep', '--merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}`)), other, '--out', join(dir, 'bad')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(`vcsim: ${other}: is a shard of another sweep than ${join(dir, 'shard-1')}: other --seeds (1..2)\n`);
  });

  it('takes the shard from a Kubernetes Indexed Job or a Slurm array as from the flag', () => {
    const k8s = join(dir, 'k8s');
    const r1 = vcsim([...args, '--out', k8s], { JOB_COMPLETION_INDEX: '1', VCSIM_SHARD_COUNT: '4' });
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('vcsim sweep: shard 2/4 (from JOB_COMPLETION_INDEX=1 of VCSIM_SHARD_COUNT=4)');
    expect(read(k8s, JOURNAL)).toBe(read(join(dir, 'shard-2'), JOURNAL));
    const slurm = join(dir, 'slurm');
    const r2 = vcsim([...args, '--out', slurm], { SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.stderr).toContain('vcsim sweep: shard 3/4 (from SLURM_ARRAY_TASK_ID=12 (SLURM_ARRAY_TASK_MIN=10, SLURM_ARRAY_TASK_STEP=1, SLURM_ARRAY_TASK_COUNT=4))');
    expect(read(slurm, JOURNAL)).toBe(read(join(dir, 'shard-3'), JOURNAL));
  });

  it('--dry-run says which shard would run and how much, and runs nothing', () => {
    const out = join(dir, 'dry');
    const r = vcsim([...args.filter((a) => a !== '--quiet'), '--out', out, '--dry-run'], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('vcsim sweep: shard 4/4 (from SLURM_ARRAY_TASK_ID=3 (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_STEP=1, SLURM_ARRAY_TASK_COUNT=4))');
    expect(r.stderr).toContain('3 point(s) x 3 seed(s) = 9 runs, 2 in shard 4/4');
    expect(r.stderr).toContain('dry run: nothing was run');
    expect(existsSync(out)).toBe(false);
    const e = vcsim(['explore', join(dir, 's.yaml'), '--seeds', '1..10', '--report', join(dir, 'dry-explore', 'e.json'), '--dry-run'], { VCSIM_SHARD: '2/3' });
    expect(e.status, e.stderr).toBe(0);
    expect(e.stderr).toContain('vcsim explore: shard 2/3 (from VCSIM_SHARD=2/3)');
    expect(e.stderr).toContain('seeds 1..10 shard 2/3 (3 seeds)');
    expect(existsSync(join(dir, 'dry-explore'))).toBe(false);
    const bad = vcsim([...args, '--out', out, '--dry-run'], { JOB_COMPLETION_INDEX: '0' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^vcsim: JOB_COMPLETION_INDEX: is set \(a Kubernetes Indexed Job\) but the number of shards is not/);
  });
});
