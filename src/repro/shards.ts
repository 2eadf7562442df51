// Which shard this process runs: `--shard i/n`, or, when the flag is absent, the shard a
// batch engine gives it through its environment (docs/scale-out.md, "Which shard runs"):
//   VCSIM_SHARD=i/n                      any engine (the GitHub Actions recipe sets it)
//   JOB_COMPLETION_INDEX=k               a Kubernetes Indexed Job (0-based), with the total
//                                        from --shard-count N or VCSIM_SHARD_COUNT=N
//   SLURM_ARRAY_TASK_ID, _MIN, _STEP,    a Slurm job array: shard (ID - MIN) / STEP + 1 of
//   SLURM_ARRAY_TASK_COUNT               COUNT (MIN defaults to 0, STEP to 1)
// in that order of precedence. Pure: the caller passes the environment.

import { userError } from '../util/errors.js';
import { parseShard, shardText, type Shard } from './seeds.js';

export interface ShardChoice {
  readonly shard: Shard;
  /** Where it came from, for the log: `--shard 2/4`, `SLURM_ARRAY_TASK_ID=1 (...)`. */
  readonly from: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const SHARD_VARIABLES = ['VCSIM_SHARD', 'JOB_COMPLETION_INDEX', 'VCSIM_SHARD_COUNT', 'SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_STEP'] as const;

function whole(env: Env, name: string, min: number): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^\s*[0-9]+\s*$/.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw userError(name, `expected a whole number${min > 0 ? `, at least ${min}` : ''}, found ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** The shard to run, or null for the whole range (no flag and no engine variable). */
export function chooseShard(flag: string | Shard | undefined, shardCount: number | undefined, env: Env): ShardChoice | null {
  if (shardCount !== undefined && (!Number.isSafeInteger(shardCount) || shardCount < 1)) throw userError('--shard-count', `expected a whole number, at least 1, found ${String(shardCount)}`);
  if (flag !== undefined) {
    if (shardCount !== undefined) throw userError('--shard-count', 'goes with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), not with --shard i/n');
    const shard = typeof flag === 'string' ? parseShard(flag) : flag;
    return { shard, from: `--shard ${shardText(shard)}` };
  }
  const own = env.VCSIM_SHARD;
  if (own !== undefined && own.trim() !== '') {
    return { shard: parseShard(own, 'VCSIM_SHARD'), from: `VCSIM_SHARD=${own.trim()}` };
  }
  const k8s = whole(env, 'JOB_COMPLETION_INDEX', 0);
  if (k8s !== undefined) {
    const count = shardCount ?? whole(env, 'VCSIM_SHARD_COUNT', 1);
    if (count === undefined) throw userError('JOB_COMPLETION_INDEX', 'is set (a Kubernetes Indexed Job) but the number of shards is not: pass --shard-count N or set VCSIM_SHARD_COUNT to the Job\'s completions');
    if (k8s >= count) throw userError('JOB_COMPLETION_INDEX', `expected an index below the ${count} shards (--shard-count or VCSIM_SHARD_COUNT), found ${k8s}`);
    const shard = { index: k8s + 1, count };
    return { shard, from: `JOB_COMPLETION_INDEX=${k8s} of ${shardCount !== undefined ? `--shard-count ${count}` : `VCSIM_SHARD_COUNT=${count}`}` };
  }
  if (shardCount !== undefined) throw userError('--shard-count', 'expected JOB_COMPLETION_INDEX to be set (a Kubernetes Indexed Job); elsewhere use --shard i/n');
  const id = whole(env, 'SLURM_ARRAY_TASK_ID', 0);
  if (id !== undefined) {
    const count = whole(env, 'SLURM_ARRAY_TASK_COUNT', 1);
    if (count === undefined) throw userError('SLURM_ARRAY_TASK_ID', 'is set (a Slurm job array) but SLURM_ARRAY_TASK_COUNT is not');
    const min = whole(env, 'SLURM_ARRAY_TASK_MIN', 0) ?? 0;
    const step = whole(env, 'SLURM_ARRAY_TASK_STEP', 1) ?? 1;
    const k = (id - min) / step;
    if (!Number.isInteger(k) || k < 0 || k >= count) {
      throw userError('SLURM_ARRAY_TASK_ID', `expected an evenly spaced array (--array=MIN-MAX or MIN-MAX:STEP) whose task ${id} is one of ${count} from ${min} by ${step}; found (${id} - ${min}) / ${step} = ${k}`);
    }
    const shard = { index: k + 1, count };
    return { shard, from: `SLURM_ARRAY_TASK_ID=${id} (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}, SLURM_ARRAY_TASK_COUNT=${count})` };
  }
  return null;
}

/** The log line that says which shard runs. */
export function shardLine(command: string, c: ShardChoice): string {
  return `${command}: shard ${shardText(c.shard)} (from ${c.from})`;
}
