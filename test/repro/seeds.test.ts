// Seed ranges and shards: every seed of a range is in exactly one shard, and the counting
// shortcut agrees with the enumeration.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSeedRange, parseShard, shardLast, shardSeedCount, shardSeeds } from '../../src/repro/seeds.js';
import { UserError } from '../../src/util/errors.js';

describe('seed ranges and shards', () => {
  it('parses ranges and shards, and rejects bad ones naming the flag', () => {
    expect(parseSeedRange('1..1000')).toEqual({ first: 1, last: 1000 });
    expect(parseSeedRange(' 7 ')).toEqual({ first: 7, last: 7 });
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['1-5', '5..1', 'x']) expect(() => parseSeedRange(bad)).toThrow(UserError);
    for (const bad of ['0/4', '5/4', '2']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('splits a range into disjoint shards that cover it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 900 }), (first, len, n, upTo) => {
      const range = { first, last: first + len };
      const all: number[] = [];
      for (let i = 1; i <= n; i++) {
        const s = [...shardSeeds(range, { index: i, count: n })];
        expect(shardSeedCount(range, { index: i, count: n })).toBe(s.length);
        expect(shardSeedCount(range, { index: i, count: n }, upTo)).toBe(s.filter((x) => x <= upTo).length);
        expect(shardLast(range, { index: i, count: n })).toBe(s[s.length - 1]);
        all.push(...s);
      }
      expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: len + 1 }, (_, k) => first + k));
    }));
  });
});
