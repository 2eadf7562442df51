// vcsim explore: finds the failing seeds of scenarios/reordering-rare.yaml in 1..1000, the
// printed commands reproduce each, their traces replay byte-identically, and the results
// do not depend on the number of workers, on sharding, or on --stop-after's timing.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { explore, type ExploreOptions } from '../../src/repro/explore.js';
import { replayTrace } from '../../src/repro/replay.js';
import { mergeReports, reportCsv, reportJson, type ExploreReport } from '../../src/repro/report.js';
import { commandArgs, tempDir, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/reordering-rare.yaml';
const base = (): ExploreOptions => {
  const loaded = loadScenarioFile(FILE);
  return { input: loaded.input, origin: FILE, range: { first: 1, last: 1000 }, workers: 1, command: (s) => `vcsim run ${FILE} --seed ${s}` };
};

describe('vcsim explore over seeds 1..1000 of reordering-rare', () => {
  let one: ExploreReport;
  beforeAll(async () => {
    one = await explore(base());
  });

  it('finds some failing seeds, not all, grouped by kind', () => {
    expect(one.seeds_run).toBe(1000);
    expect(one.seeds_failed).toBeGreaterThan(0);
    expect(one.seeds_failed).toBeLessThan(100);
    expect(one.kinds.map((k) => k.kind)).toEqual(['anomalies.receiver_died']);
    expect(one.kinds[0].seeds).toEqual(one.failing.map((f) => f.seed));
    const seeds = one.failing.map((f) => f.seed);
    expect(seeds).toEqual([...seeds].sort((a, b) => a - b));
    for (const f of one.failing) expect(f.command).toBe(`vcsim run ${FILE} --seed ${f.seed}`);
  });

  it('gives the same report with 2 workers as with 1', async () => {
    const two = await explore({ ...base(), workers: 2 });
    expect(reportJson(two)).toBe(reportJson(one));
    expect(reportCsv(two)).toBe(reportCsv(one));
  });

  it('gives the same report for two shards merged as for one run', async () => {
    const a = await explore({ ...base(), shard: { index: 1, count: 2 }, workers: 2 });
    const b = await explore({ ...base(), shard: { index: 2, count: 2 } });
    expect(a.shard).toBe('1/2');
    expect(a.seeds_run + b.seeds_run).toBe(1000);
    expect(reportJson(mergeReports([b, a], ['b', 'a']))).toBe(reportJson(one));
  });

  it('stops after the first N failing seeds in seed order, whatever the workers and shards', async () => {
    const n = 3;
    const want = one.failing.slice(0, n).map((f) => f.seed);
    const s1 = await explore({ ...base(), stopAfter: n });
    const s2 = await explore({ ...base(), stopAfter: n, workers: 2 });
    expect(s1.failing.map((f) => f.seed)).toEqual(want);
    expect(s1.cutoff).toBe(want[n - 1]);
    expect(s1.seeds_run).toBe(want[n - 1]);
    expect(reportJson(s2)).toBe(reportJson(s1));
    const parts = await Promise.all([1, 2, 3].map((i) => explore({ ...base(), stopAfter: n, shard: { index: i, count: 3 } })));
    expect(reportJson(mergeReports(parts, ['1', '2', '3']))).toBe(reportJson(s1));
  });

  it('runs a determinism sample twice and finds no difference', async () => {
    const r = await explore({ ...base(), range: { first: 1, last: 60 }, workers: 2, determinismEvery: 7 });
    expect(r.determinism.checked).toBe(9);
    expect(r.determinism.nondeterministic).toEqual([]);
  });

  it('prints commands that reproduce each failing seed, whose traces replay byte-identically', async () => {
    for (const f of one.failing) {
      const out = join(tempDir(), 'run');
      const run = vcsim([...commandArgs(f.command), '--out', out]);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain('expectation failed: anomalies.receiver_died');
      expect(run.stdout).toContain(f.digest);
      const replay = await replayTrace(out);
      expect(replay.divergence).toBeNull();
      expect(replay.digest).toBe(f.digest);
    }
  });
});

describe('the vcsim explore command', () => {
  it('writes JSON and CSV reports, exits 1 on failures, and merges shard reports', () => {
    const dir = tempDir();
    const whole = vcsim(['explore', FILE, '--seeds', '1..600', '--workers', '2', '--report', join(dir, 'whole.json')]);
    expect(whole.status, whole.stderr).toBe(1);
    expect(whole.stdout).toMatch(/FAILED anomalies\.receiver_died: \d+ seed\(s\)\n {4}vcsim run scenarios\/reordering-rare\.yaml --seed \d+/);
    for (const i of [1, 2]) {
      const r = vcsim(['explore', FILE, '--seeds', '1..600', '--workers', '1', '--shard', `${i}/2`, '--report', join(dir, `s${i}.json`)]);
      expect(r.status, r.stderr).toBe(1);
    }
    const m = vcsim(['explore', '--merge', join(dir, 's1.json'), join(dir, 's2.json'), '--report', join(dir, 'merged.json')]);
    expect(m.status, m.stderr).toBe(1);
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
    const csv = readFileSync(join(dir, 'merged.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('seed,kind,failures,nodes,events,digest,command');
    const report = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8')) as ExploreReport;
    expect(csv.length - 1).toBe(report.seeds_failed);
  });

  it('exits 0 when no seed fails, and 2 on bad flags', () => {
    const dir = tempDir();
    const ok = vcsim(['explore', 'scenarios/lossless.yaml', '--seeds', '1..5', '--workers', '1', '--report', join(dir, 'r.json')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('5 run, 0 failed');
    const bad = vcsim(['explore', FILE, '--seeds', '9..1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--seeds');
    const shard = vcsim(['explore', FILE, '--seeds', '1..9', '--shard', '3/2']);
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain('--shard');
  });
});
