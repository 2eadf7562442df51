// The shard from a batch engine's environment (docs/scale-out.md, "Which shard runs"):
// Kubernetes Indexed Jobs, Slurm job arrays (whose first index need not be 0) and
// VCSIM_SHARD (the GitHub Actions recipe) give the shard --shard would, and a half-set or
// inconsistent environment is one clear problem naming the variable.

import { describe, expect, it } from 'vitest';
import { chooseShard } from '../../src/repro/shards.js';
import { UserError } from '../../src/util/errors.js';

const shard = (flag: string | undefined, count: number | undefined, env: Record<string, string>): string | null => {
  const c = chooseShard(flag, count, env);
  return c === null ? null : `${c.shard.index}/${c.shard.count}`;
};
const problem = (flag: string | undefined, count: number | undefined, env: Record<string, string>): string => {
  try {
    chooseShard(flag, count, env);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  return 'no problem';
};

describe('the shard from the environment', () => {
  it('is none without a flag or a variable', () => {
    expect(shard(undefined, undefined, { PATH: '/bin' })).toBeNull();
  });

  it('equals --shard for every index of a Kubernetes Indexed Job', () => {
    for (let k = 0; k < 5; k++) {
      expect(shard(undefined, undefined, { JOB_COMPLETION_INDEX: String(k), VCSIM_SHARD_COUNT: '5' })).toBe(shard(`${k + 1}/5`, undefined, {}));
      expect(shard(undefined, 5, { JOB_COMPLETION_INDEX: String(k) })).toBe(`${k + 1}/5`);
    }
  });

  it('equals --shard for every task of a Slurm array, from 0, from 1, or with a step', () => {
    for (let k = 0; k < 4; k++) {
      expect(shard(undefined, undefined, { SLURM_ARRAY_TASK_ID: String(k), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '4' })).toBe(`${k + 1}/4`);
      expect(shard(undefined, undefined, { SLURM_ARRAY_TASK_ID: String(k + 1), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toBe(`${k + 1}/4`);
      expect(shard(undefined, undefined, { SLURM_ARRAY_TASK_ID: String(10 + 5 * k), SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '5', SLURM_ARRAY_TASK_COUNT: '4' })).toBe(`${k + 1}/4`);
    }
    expect(shard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toBe('3/4'); // no MIN: from 0
  });

  it('takes VCSIM_SHARD first, and the flag before any variable', () => {
    const all = { VCSIM_SHARD: '2/3', JOB_COMPLETION_INDEX: '0', VCSIM_SHARD_COUNT: '2', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4' };
    expect(shard(undefined, undefined, all)).toBe('2/3');
    expect(shard('1/1', undefined, all)).toBe('1/1');
    const { VCSIM_SHARD: _v, ...k8sAndSlurm } = all;
    expect(shard(undefined, undefined, k8sAndSlurm)).toBe('1/2');
  });

  it('is a clear problem, naming the variable, when half set or inconsistent', () => {
    expect(problem(undefined, undefined, { JOB_COMPLETION_INDEX: '2' })).toMatch(/^JOB_COMPLETION_INDEX: is set \(a Kubernetes Indexed Job\) but the number of shards is not/);
    expect(problem(undefined, undefined, { JOB_COMPLETION_INDEX: '4', VCSIM_SHARD_COUNT: '4' })).toMatch(/^JOB_COMPLETION_INDEX: expected an index below the 4 shards/);
    expect(problem(undefined, undefined, { JOB_COMPLETION_INDEX: 'x', VCSIM_SHARD_COUNT: '4' })).toBe('JOB_COMPLETION_INDEX: expected a whole number, found "x"');
    expect(problem(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3' })).toBe('SLURM_ARRAY_TASK_ID: is set (a Slurm job array) but SLURM_ARRAY_TASK_COUNT is not');
    expect(problem(undefined, undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toMatch(/^SLURM_ARRAY_TASK_ID: expected an evenly spaced array/);
    expect(problem(undefined, undefined, { VCSIM_SHARD: '5/4' })).toBe('VCSIM_SHARD: expected 1 <= i <= n in i/n, found 5/4');
    expect(problem(undefined, 4, {})).toMatch(/^--shard-count: expected JOB_COMPLETION_INDEX to be set/);
    expect(problem('1/4', 4, { JOB_COMPLETION_INDEX: '0' })).toMatch(/^--shard-count: goes with JOB_COMPLETION_INDEX/);
  });
});
