// vcsim shrink: a failing 50-node run shrinks to a run with far fewer nodes and events that
// still fails the same way, written as a YAML scenario that `vcsim run` fails on by itself.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/index.js';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import { outcomeOf } from '../../src/repro/failure.js';
import { candidates, shrink, shrinkInt, type ShrinkResult } from '../../src/repro/shrink.js';
import { loadScenarioData } from '../../src/scenario/load.js';
import { tempDir, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/reordering-rare.yaml';
const BIG = [{ path: ['nodes'], value: 50, flag: '--nodes' }, { path: ['duration'], value: '400ms', flag: '--duration' }];

describe('shrink', () => {
  let r: ShrinkResult;
  beforeAll(async () => {
    const loaded = loadScenarioFile(FILE, BIG);
    r = await shrink({ input: loaded.input, origin: FILE, seed: 1, maxTries: 1000 });
  });

  it('turns a failing 50-node run into one with far fewer nodes and events', () => {
    expect(r.kind).toBe('anomalies.receiver_died');
    expect(r.original.nodes).toBe(50);
    expect(r.best.nodes).toBeLessThanOrEqual(5);
    expect(r.best.events * 100).toBeLessThan(r.original.events);
    expect(r.steps).toBeGreaterThan(0);
    expect(r.tries).toBeLessThanOrEqual(1000);
  });

  it('the shrunk scenario still fails with the same kind', async () => {
    const loaded = loadScenarioText(JSON.stringify(r.best.input), 'shrunk.yaml');
    const o = outcomeOf(await runScenario({ loaded, seed: r.best.seed, outDir: null }), loaded.scenario.expect);
    expect(o.failed).toBe(true);
    expect(o.kind).toBe(r.kind);
    expect(o.events).toBe(r.best.events);
  });

  it('shrinks numbers as fast-check does: the smallest first, then halfway back', () => {
    expect(shrinkInt(50, 1)).toEqual([1, 26, 38, 44, 47, 49]);
    expect(shrinkInt(3, 3)).toEqual([]);
  });

  it('makes only valid candidates: fewer nodes (references dropped), shorter runs, fewer messages and faults', () => {
    const text = [
      'name: refs', 'nodes: 6', 'names: [a, b, c, d, e, f]', 'duration: 2s',
      'network: { loss: 0.1, duplicate: 0.05 }',
      'join: { times: { e: 100ms, f: 200ms } }',
      'workload: { senders: [b, f] }',
      'partitions:',
      '  - { start: 500ms, end: 1500ms, groups: [[a, b], [c, d, e, f]] }',
      '  - { start: 1s, groups: { isolate: [f] } }',
    ].join('\n');
    const loaded = loadScenarioText(text, 'refs.yaml');
    const passes = candidates(loaded.input, loaded.scenario);
    const all = passes.flat();
    for (const c of all) expect(() => loadScenarioData(c.input, c.what), c.what).not.toThrow();
    const whats = all.map((c) => c.what);
    expect(whats).toEqual(expect.arrayContaining(['nodes 1', 'nodes 4', 'duration 1ms', 'workload.count 0', '1 sender(s)', 'without partition 1', 'without partition 2', 'no loss', 'no duplication']));
    expect(whats.some((w) => /^partition 1 lasts /.test(w))).toBe(true);
    const four = loadScenarioData(all.find((c) => c.what === 'nodes 4')!.input, 'x').scenario;
    expect(four.names).toEqual(['a', 'b', 'c', 'd']);
    expect(four.workload.senders).toEqual([1]);
    expect(four.partitions.map((p) => p.groups)).toEqual([[['a', 'b'], ['c', 'd']]]);
  });

  it('refuses a seed that does not fail', async () => {
    const loaded = loadScenarioFile('scenarios/lossless.yaml');
    await expect(shrink({ input: loaded.input, origin: 'lossless.yaml', seed: 1 })).rejects.toThrow(/nothing to shrink/);
  });
});

describe('the vcsim shrink command', () => {
  it('writes the shrunk scenario as YAML with the command that runs it, and that command fails the same way', () => {
    const out = join(tempDir(), 'small.yaml');
    const r = vcsim(['shrink', FILE, '--seed', '49', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const command = /run +(vcsim run \S+ --seed \d+)/.exec(r.stdout)?.[1];
    expect(command).toBeDefined();
    expect(r.stdout).toMatch(/nodes +3 -> [23]\n/);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toMatch(/^# reordering-rare-shrunk\.yaml - written by vcsim shrink/);
    expect(yaml).toContain('# Fails with: anomalies.receiver_died');
    const run = vcsim([...command!.split(' ').slice(1), '--outputs', 'none', '--out', join(tempDir(), 'o')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('expectation failed: anomalies.receiver_died');
  });
});
