// The checker over many small random simulated runs (fast-check): what each clock rule gets
// right and wrong, as docs/protocol.md, "Quirks" predicts, with loss, duplication, reordering and partitions.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CausalityChecker } from '../../src/check/checker.js';
import type { VerdictCounts } from '../../src/check/verdicts.js';
import { loadScenarioData, runScenario, type Summary } from '../../src/api/index.js';
import type { TraceEvent } from '../../src/trace/events.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import { bruteCounts } from './brute.js';
import { checkerDone } from '../helpers/figures.js';

const scenarioArb = fc.record({
  nodes: fc.integer({ min: 2, max: 5 }),
  seed: fc.nat(1_000_000),
  loss: fc.constantFrom(0, 0.05, 0.2),
  duplicate: fc.constantFrom(0, 0.1, 0.5),
  latency: fc.constantFrom<unknown>('5ms', { dist: 'exponential', mean: '20ms' }, { dist: 'pareto', min: '1ms', alpha: 1.2 }, { dist: 'uniform', min: '1ms', max: '200ms' }),
  partition: fc.boolean(),
  stagger: fc.constantFrom('0ms', '10ms', '100ms'),
  interval: fc.constantFrom('30ms', '100ms'),
  start: fc.constantFrom('0ms', '300ms'),
});
type Params = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

class Collect implements TraceConsumer {
  readonly events: TraceEvent[] = [];
  event(e: TraceEvent): void {
    this.events.push(e);
  }
}

async function simulate(p: Params, clock: string): Promise<{ s: Summary; checker: CausalityChecker; events: TraceEvent[] }> {
  const loaded = loadScenarioData({
    name: 'prop', nodes: p.nodes, seed: p.seed, duration: '1s', protocol: { clock },
    network: { latency: p.latency, loss: p.loss, duplicate: p.duplicate },
    join: { stagger: p.stagger },
    workload: { process: 'poisson', interval: p.interval, start: p.start },
    partitions: p.partition ? [{ groups: 'halves', start: '400ms', end: '700ms' }] : [],
  }, 'prop.yaml');
  const checker = new CausalityChecker({ scope: 'all' });
  const collect = new Collect();
  const r = await runScenario({ loaded, seed: p.seed, outDir: null, consumers: [checker, collect] });
  return { s: r.summary, checker, events: collect.events };
}

const figures = (s: Summary): { sends: VerdictCounts; all: VerdictCounts } => {
  const c = checkerDone(s.checker);
  if (c.all === undefined) throw new Error('expected figures for scope all');
  return { sends: c.sends, all: c.all };
};

describe('the checker on random small runs', () => {
  test('fidge-mattern: no disagreement and no equal stamps in scope all, whatever the network', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, async (p) => {
      const { s, checker } = await simulate(p, 'fidge-mattern');
      const { all, sends } = figures(s);
      expect(all.disagree).toBe(0);
      expect(all.equal_stamps).toBe(0);
      expect(sends.disagree).toBe(0);
      expect(all.agree).toBe(all.pairs);
      expect(countOf(checker, 'all')).toEqual(all);
    }), { numRuns: 40 });
  });

  test('seed: no disagreement in scope sends for runs without receiver deaths (or resets)', async () => {
    let qualified = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, async (p) => {
      const { s, checker } = await simulate(p, 'seed');
      expect(countOf(checker, 'all')).toEqual(figures(s).all);
      expect(countOf(checker, 'sends')).toEqual(figures(s).sends);
      // A reset (a late duplicate of a join announcement) also makes sends under-report:
      // that is the clock_regression anomaly, checked in anomalies.test.ts.
      if (s.anomalies.receiver_died > 0 || s.anomalies.clock_regression > 0) return;
      qualified++;
      expect(figures(s).sends.disagree).toBe(0);
    }), { numRuns: 40 });
    expect(qualified).toBeGreaterThan(10);
  });

  test('seed, scope all: equal stamps exactly where a node received without sending and merged nothing new', async () => {
    let seen = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, async (p) => {
      const { s, checker, events } = await simulate(p, 'seed');
      if (s.anomalies.clock_regression > 0) return;
      // Prediction from the protocol alone: at one node, events i < j carry equal clocks iff
      // no send lies in (i, j] and every receive in (i, j] left the clock as it was.
      const predicted = new Set<string>();
      const lanes = new Map<string, { ev: number; still: boolean }[]>();
      for (const e of events) {
        if (e.type !== 'send' && e.type !== 'receive') continue;
        const still = e.type === 'receive' && JSON.stringify(e.before) === JSON.stringify(e.after);
        const lane = lanes.get(e.node) ?? [];
        lanes.set(e.node, lane);
        lane.push({ ev: e.ev, still });
      }
      for (const lane of lanes.values()) {
        for (let i = 0; i < lane.length; i++) {
          for (let j = i + 1; j < lane.length && lane[j].still; j++) predicted.add(`${lane[i].ev},${lane[j].ev}`);
        }
      }
      const found = new Set<string>();
      for (const v of checker.pairs('all')) {
        if (v.a.node !== v.b.node || v.clock !== 'equal') continue;
        found.add(`${v.a.ev},${v.b.ev}`);
        expect(v.truth).toBe('before'); // program order: a missed ordering
        expect(v.category).toBe('missed');
      }
      expect(found).toEqual(predicted);
      expect(figures(s).all.equal_stamps).toBeGreaterThanOrEqual(predicted.size);
      seen += predicted.size;
    }), { numRuns: 40 });
    expect(seen).toBeGreaterThan(0);
  });

  test('lamport: never concurrent, so it never misses or reverses but wrongly orders concurrent pairs', async () => {
    let falseOrders = 0;
    await fc.assert(fc.asyncProperty(scenarioArb, async (p) => {
      const { s, checker } = await simulate(p, 'lamport');
      const { all } = figures(s);
      expect(all.clock_concurrent).toBe(0);
      expect(all.missed).toBe(0);
      expect(all.reversed).toBe(0);
      expect(all.false_order).toBeLessThanOrEqual(all.truly_concurrent);
      expect(countOf(checker, 'all')).toEqual(all);
      falseOrders += all.false_order;
    }), { numRuns: 30 });
    expect(falseOrders).toBeGreaterThan(0);
  });
});

function countOf(checker: CausalityChecker, scope: 'sends' | 'all'): VerdictCounts {
  return bruteCounts(checker.inScope(scope));
}

describe('the checker on big runs', () => {
  test('skips itself, with a note, past its memory limit; off means off', async () => {
    const loaded = loadScenarioData({ name: 'big', nodes: 4, duration: '1s', workload: { interval: '20ms' } }, 'big.yaml');
    const r = await runScenario({ loaded, seed: 1, outDir: null, checkerMaxCells: 500 });
    expect(r.summary.checker).toEqual({ status: 'skipped', note: expect.stringMatching(/^more than 500 cells \(events x nodes\) to keep after \d+ events; rerun with fewer nodes or events, or --scope sends$/) });
    const n = await runScenario({ loaded: loadScenarioData({ name: 'wide', nodes: 30, duration: '100ms' }, 'wide.yaml'), seed: 1, outDir: null, checkerMaxCells: 500 });
    expect(n.summary.checker).toEqual({ status: 'skipped', note: '30 nodes: 30 x 30 true timestamps exceed the checker\'s limit of 500 cells' });
    const off = await runScenario({ loaded, seed: 1, outDir: null, checker: 'off' });
    expect(off.summary.checker).toEqual({ status: 'off', note: 'checker switched off (--checker off)' });
    const sends = await runScenario({ loaded, seed: 1, outDir: null, scope: 'sends' });
    expect(sends.summary.checker).toMatchObject({ status: 'done', scope: 'sends' });
    expect(checkerDone(sends.summary.checker).all).toBeUndefined();
    expect(checkerDone(sends.summary.checker).events).toBe(sends.summary.sends);
  });

  test('release() keeps the figures and the detail, and drops what lists pairs', async () => {
    const loaded = loadScenarioData({ name: 'rel', nodes: 4, duration: '1s', workload: { interval: '50ms' } }, 'rel.yaml');
    const checker = new CausalityChecker({ scope: 'all' });
    checker.wantDetail(() => ({ groups: 2, bins: 3, groupOf: (s) => s % 2, binOf: (t) => Math.min(2, Math.floor(t / 400_000)) }));
    await runScenario({ loaded, seed: 1, outDir: null, consumers: [checker] });
    const figures = checker.result();
    const detail = checker.detail();
    expect(checker.canList('all')).toBe(true);
    expect(checker.pairCount('all')).toBeGreaterThan(100);
    checker.release();
    expect(checker.result()).toBe(figures);
    expect(checker.detail()).toBe(detail);
    expect(checker.canList('all')).toBe(false);
    expect(checker.canList('sends')).toBe(false);
  });
});
