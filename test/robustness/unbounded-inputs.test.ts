// Issue 16, item 5 "Non-finite and unbounded inputs": never a "t":null, never a stack trace,
// never an out-of-memory abort; limits are checked before the work starts, with a clear error
// or a warning with an estimate (docs/errors.md, "Limits").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/load.js';
import { UserError } from '../../src/util/errors.js';
import { MAX_LATENCY_US, sampler } from '../../src/world/dist.js';
import { stream } from '../../src/world/rng.js';
import { checkRunSize } from '../../src/cli/limits.js';
import { estimateRun } from '../../src/sim/estimate.js';
import { tempDir, vcsim } from '../helpers/cli.js';

function oneLineError(text: string, match: RegExp): void {
  let err: unknown;
  try {
    loadScenarioText(text, 't.yaml');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  const msg = (err as UserError).message;
  expect(msg.split('\n')).toHaveLength(1);
  expect(msg).toMatch(match);
}

const dir = tempDir();
function cli(args: string[], match: RegExp): void {
  const r = vcsim(args);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(match);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('item 5: non-finite and unbounded inputs', () => {
  it('lognormal sigma 1000 is a clear error; a heavy tail past the schema is clamped, never Infinity', () => {
    oneLineError('nodes: 2\nduration: 1s\nnetwork: {latency: {dist: lognormal, median: 20ms, sigma: 1000}}\n', /sigma: expected sigma above 0 and at most 10/);
    const rng = stream(1, 'network');
    for (const d of [{ dist: 'lognormal', median: 20_000, sigma: 1000 }, { dist: 'pareto', min: 1000, alpha: 0.0001 }] as const) {
      const s = sampler(d);
      for (let i = 0; i < 1000; i++) {
        const v = s(rng);
        expect(Number.isSafeInteger(v) && v >= 0 && v <= MAX_LATENCY_US, String(v)).toBe(true);
      }
    }
  });

  it('sigma 10 runs: every time in the trace is a whole number', async () => {
    const f = join(dir, 'sigma10.yaml');
    writeFileSync(f, 'nodes: 3\nduration: 1s\nnetwork: {latency: {dist: lognormal, median: 20ms, sigma: 10}}\nworkload: {count: 3}\n');
    const r = vcsim(['run', f, '--out', join(dir, 's10'), '--quiet']);
    expect(r.status, r.stderr).not.toBe(2);
    const { readFileSync } = await import('node:fs');
    const trace = readFileSync(join(dir, 's10', 'trace.jsonl'), 'utf8');
    expect(trace).not.toContain('null');
    expect(trace).not.toContain('Infinity');
  });

  it('YAML with 120 aliases to one list is one line', () => {
    oneLineError(`nodes: 2\nduration: 1s\nx: &a [1, 2, 3]\ny: [${Array(120).fill('*a').join(', ')}]\n`, /too many YAML aliases/);
  });

  it('deep nesting (flow and block) is one line', () => {
    oneLineError(`nodes: 2\nduration: 1s\nx: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, /nests too deeply/);
    let block = 'nodes: 2\nduration: 1s\nx:\n';
    for (let i = 0; i < 1200; i++) block += ' '.repeat(i + 1) + 'a:\n';
    oneLineError(block, /nests too deeply/);
    oneLineError(`nodes: 2\nduration: 1s\nx: ${'['.repeat(40)}${']'.repeat(40)}\n`, /nests 33 levels deep; at most 32/);
  });

  it('random_faults: {rate: 1e9} is refused before the schedule is drawn', () => {
    oneLineError('nodes: 3\nduration: 10s\nrandom_faults: {rate: 1e9}\n', /random_faults\.rate: expected at most 100,000 random faults/);
  });

  it('explore --seeds 1..1000000000000 is one line, before any seed runs', () => {
    cli(['explore', 'scenarios/lossless.yaml', '--seeds', '1..1000000000000'], /--seeds: expected at most 10,000,000 seeds in one run/);
  });

  it('bench-broadcast.yaml --nodes 10000 is refused with an estimate (it ran out of memory)', () => {
    cli(['run', 'scenarios/bench-broadcast.yaml', '--nodes', '10000', '--duration', '1s', '--outputs', 'none', '--checker', 'off'], /too large to run: about 1\.00 trillion delivery attempts.*membership: static/);
  });

  it('partition.yaml --nodes 1000 and workload.interval: 1us start with a warning and an estimate', () => {
    const p = loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 1000, flag: '--nodes' }]).scenario;
    const w = checkRunSize(p, 'partition.yaml', 'all');
    expect(w).toMatch(/^vcsim: warning: a large run: about 1\.\d+ billion trace events/);
    expect(w).toMatch(/MB of event queue, about \d+ GB of trace\.jsonl/);
    const fast = loadScenarioText('nodes: 10\nduration: 10s\nworkload: {interval: 1us}\n', 'f.yaml').scenario;
    expect(estimateRun(fast).sends).toBeGreaterThan(9e7);
    expect(checkRunSize(fast, 'f.yaml', 'none')).toMatch(/warning: a large run/);
    // Ordinary runs say nothing.
    expect(checkRunSize(loadScenarioFile('scenarios/partition.yaml').scenario, 'p', 'all')).toBeNull();
  });

  it('the estimate is not far off: partition.yaml as shipped', async () => {
    const { runFile } = await import('../helpers/sim.js');
    const sc = loadScenarioFile('scenarios/partition.yaml').scenario;
    const r = await runFile('scenarios/partition.yaml');
    const est = estimateRun(sc).events;
    expect(est / r.events.length).toBeGreaterThan(0.5);
    expect(est / r.events.length).toBeLessThan(2);
  });
});
