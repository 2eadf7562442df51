// Seed ranges and shards: which seeds an explore run covers. `A..B` is inclusive; a shard
// `i/n` (1-based) takes every n-th seed of the range starting at its i-th, so n machines can
// share one range and their reports merge into exactly the report of one run over it.

import { userError } from '../util/errors.js';

export interface SeedRange {
  readonly first: number;
  readonly last: number;
}

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

export function parseSeedRange(text: string, flag = '--seeds'): SeedRange {
  const m = /^\s*([0-9]+)\s*\.\.\s*([0-9]+)\s*$/.exec(text);
  const single = /^\s*([0-9]+)\s*$/.exec(text);
  if (single) {
    const s = Number(single[1]);
    if (Number.isSafeInteger(s)) return { first: s, last: s };
  }
  if (!m) throw userError(flag, `expected a seed range like 1..1000, found ${JSON.stringify(text)}`);
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw userError(flag, `expected seeds below 2^53, found ${text}`);
  if (last < first) throw userError(flag, `expected a range A..B with A <= B, found ${text}`);
  return { first, last };
}

export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(text);
  if (!m) throw userError(flag, `expected i/n, e.g. 2/4 (the 2nd of 4 shards), found ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw userError(flag, `expected 1 <= i <= n in i/n, found ${text}`);
  return { index, count };
}

export function shardText(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** The seeds of a shard of a range, ascending. */
export function* shardSeeds(r: SeedRange, s: Shard): Generator<number> {
  for (let seed = r.first + s.index - 1; seed <= r.last; seed += s.count) yield seed;
}

/** How many seeds of shard `s` lie in [r.first, upTo]. */
export function shardSeedCount(r: SeedRange, s: Shard, upTo = r.last): number {
  const start = r.first + s.index - 1;
  const end = Math.min(upTo, r.last);
  return end < start ? 0 : Math.floor((end - start) / s.count) + 1;
}

/** The last seed of a shard, or undefined when it has none. */
export function shardLast(r: SeedRange, s: Shard): number | undefined {
  const n = shardSeedCount(r, s);
  return n === 0 ? undefined : r.first + s.index - 1 + (n - 1) * s.count;
}

/**
 * The sweep's share of its (point, seed) grid: run k = point x seeds + (seed - first), in
 * point then seed order, belongs to shard (k mod n) + 1 (docs/scale-out.md, "What a shard runs").
 */
export function inGridShard(point: number, seed: number, r: SeedRange, s: Shard): boolean {
  return (point * (r.last - r.first + 1) + (seed - r.first)) % s.count === s.index - 1;
}
