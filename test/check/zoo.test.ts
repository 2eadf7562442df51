// The clock zoo judged by the checker over many small random simulated runs (fast-check):
// what docs/clocks.md promises of each rule, tested against the truth of the run.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CausalityChecker } from '../../src/check/checker.js';
import type { VerdictCounts } from '../../src/check/verdicts.js';
import { loadScenarioData, runScenario, type Summary } from '../../src/api/index.js';
import { bloomFalseOrderBound, HLC_C_LIMIT, physicalTime, type PhysicalClock } from '../../src/core/stamps.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';
import { leqSerialized } from '../../src/core/itc.js';
import { bruteCounts } from './brute.js';

const anyNetwork = fc.record({
  nodes: fc.integer({ min: 2, max: 6 }),
  seed: fc.nat(1_000_000),
  loss: fc.constantFrom(0, 0.05, 0.2),
  duplicate: fc.constantFrom(0, 0.1, 0.5),
  latency: fc.constantFrom<unknown>('5ms', { dist: 'exponential', mean: '20ms' }, { dist: 'pareto', min: '1ms', alpha: 1.2 }, { dist: 'uniform', min: '1ms', max: '200ms' }),
  partition: fc.boolean(),
  stagger: fc.constantFrom('0ms', '10ms', '100ms'),
  interval: fc.constantFrom('30ms', '100ms'),
});
type Params = typeof anyNetwork extends fc.Arbitrary<infer T> ? T : never;

/**
 * Reliable FIFO channels from the start: no loss, no duplicates, one fixed latency (so no
 * reordering), no faults, every node up before the first broadcast.
 */
const reliableFifo = anyNetwork.map((p): Params => ({ ...p, loss: 0, duplicate: 0, latency: '5ms', partition: false, stagger: '0ms' }));

async function simulate(p: Params, clock: string, extra: Record<string, unknown> = {}): Promise<{ s: Summary; checker: CausalityChecker; events: TraceEvent[]; header: TraceHeader }> {
  const loaded = loadScenarioData({
    ...extra,
    name: 'zoo', nodes: p.nodes, seed: p.seed, duration: '1s', protocol: { clock },
    network: { latency: p.latency, loss: p.loss, duplicate: p.duplicate },
    join: { stagger: p.stagger },
    workload: { process: 'poisson', interval: p.interval },
    partitions: p.partition ? [{ groups: 'halves', start: '400ms', end: '700ms' }] : [],
  }, 'zoo.yaml');
  const checker = new CausalityChecker({ scope: 'all' });
  const events: TraceEvent[] = [];
  const r = await runScenario({ loaded, seed: p.seed, outDir: null, consumers: [checker, { event: (e: TraceEvent) => { events.push(e); } }] });
  return { s: r.summary, checker, events, header: r.header };
}

const all = (s: Summary): VerdictCounts => (s.checker as unknown as { all: VerdictCounts }).all;

describe('plausible:R', () => {
  test('never reverses nor misses a true order, on any network; exact when R >= N', async () => {
    let falseOrders = 0;
    await fc.assert(fc.asyncProperty(anyNetwork, fc.integer({ min: 1, max: 4 }), async (p, r) => {
      const { s, checker } = await simulate(p, `plausible:${r}`);
      const f = all(s);
      expect(f.reversed).toBe(0);
      expect(f.missed).toBe(0);
      expect(bruteCounts(checker.inScope('all'))).toEqual(f);
      if (r >= p.nodes) expect(f.disagree).toBe(0);
      falseOrders += f.false_order;
    }), { numRuns: 30 });
    expect(falseOrders).toBeGreaterThan(0);
  });
});

describe('bloom:MxK', () => {
  test('never misses (nor reverses) a true order, on any network', async () => {
    await fc.assert(fc.asyncProperty(anyNetwork, fc.constantFrom('4x1', '16x2', '64x3'), async (p, mk) => {
      const { s } = await simulate(p, `bloom:${mk}`);
      expect(all(s).missed).toBe(0);
      expect(all(s).reversed).toBe(0);
    }), { numRuns: 30 });
  });

  test('its false orders stay within the bound m and k give (docs/clocks.md, "bloom:MxK")', async () => {
    // A statistical claim (the bound is on an expectation), checked over fixed seeds so that
    // the test is deterministic: observed false orders against the summed per-pair bound.
    let observed = 0;
    let bound = 0;
    await fc.assert(fc.asyncProperty(anyNetwork, fc.constantFrom([16, 1], [16, 2], [32, 2], [64, 3]), async (p, [m, k]) => {
      const { s, checker } = await simulate(p, `bloom:${m}x${k}`);
      let b = 0;
      for (const v of checker.pairs('all')) if (v.truth === 'concurrent') b += bloomFalseOrderBound(v.a.clock, v.b.clock, m, k);
      expect(all(s).false_order).toBeLessThanOrEqual(Math.max(3, 3 * b)); // per run, loosely
      observed += all(s).false_order;
      bound += b;
    }), { numRuns: 25, seed: 18 });
    expect(observed).toBeGreaterThan(0);
    expect(observed).toBeLessThanOrEqual(bound);
  });
});

describe('differential', () => {
  test('agrees with fidge-mattern on every pair of any run on reliable FIFO channels', async () => {
    await fc.assert(fc.asyncProperty(reliableFifo, async (p) => {
      const d = await simulate(p, 'differential');
      const fm = await simulate(p, 'fidge-mattern');
      expect(all(d.s).disagree).toBe(0);
      const dv = [...d.checker.pairs('all')].map((v) => `${v.a.ev},${v.b.ev},${v.clock}`);
      const fv = [...fm.checker.pairs('all')].map((v) => `${v.a.ev},${v.b.ev},${v.clock}`);
      expect(dv).toEqual(fv);
      expect(d.s.bytes.chat).toBeLessThanOrEqual(fm.s.bytes.chat);
    }), { numRuns: 15 });
  });

  test('loss, reordering and late joiners make it miss true orders (what the simulator is for)', async () => {
    let missed = 0;
    await fc.assert(fc.asyncProperty(anyNetwork.filter((p) => p.loss > 0 || p.latency !== '5ms' || p.stagger !== '0ms'), async (p) => {
      const { s } = await simulate(p, 'differential');
      expect(all(s).reversed).toBe(0);
      missed += all(s).missed;
    }), { numRuns: 20 });
    expect(missed).toBeGreaterThan(0);
  });
});

describe('hlc', () => {
  test('never reverses or misses a true order and never says concurrent, on any network', async () => {
    await fc.assert(fc.asyncProperty(anyNetwork, async (p) => {
      const { s } = await simulate(p, 'hlc');
      expect(all(s).reversed).toBe(0);
      expect(all(s).missed).toBe(0);
      expect(all(s).clock_concurrent).toBe(0);
    }), { numRuns: 30 });
  });
});

describe('hlc with physical clocks (offsets and drift drawn from the seed)', () => {
  const clocksArb = fc.record({
    spread: fc.constantFrom(0, 1000, 20_000, 500_000),
    drift: fc.constantFrom(0, 50, 1000),
  });

  test('never reverses; l never trails its node\'s physical clock nor passes the fastest one', async () => {
    let ahead = 0;
    await fc.assert(fc.asyncProperty(anyNetwork, clocksArb, async (p, c) => {
      const { s, events, header } = await simulate(p, 'hlc', {
        physical_clocks: { offset: { dist: 'uniform', min: -c.spread, max: c.spread }, drift_ppm: { dist: 'normal', mean: 0, stddev: c.drift } },
      });
      expect(all(s).reversed).toBe(0);
      expect(all(s).missed).toBe(0);
      const rec = header.physical_clocks!;
      const clocks = new Map<string, PhysicalClock>(Object.entries(rec).map(([n, v]) => [n, { offset: v.offset_us, driftPpm: v.drift_ppm }]));
      expect(clocks.size).toBe(p.nodes);
      let maxDistance = 0;
      for (const e of events) {
        if (e.type !== 'send' && e.type !== 'receive') continue;
        const l = Math.floor((e.after as number) / HLC_C_LIMIT);
        const pt = physicalTime(clocks.get(e.node), e.t);
        const fastest = Math.max(...[...clocks.values()].map((k) => physicalTime(k, e.t)));
        expect(l).toBeGreaterThanOrEqual(pt);
        expect(l).toBeLessThanOrEqual(fastest);
        maxDistance = Math.max(maxDistance, l - pt);
      }
      expect(s.hlc).toMatchObject({ max_distance_us: maxDistance, out_of_bound: 0 });
      expect(s.hlc!.max_distance_us).toBeLessThanOrEqual(s.hlc!.skew_bound_us);
      ahead += maxDistance;
    }), { numRuns: 25 });
    expect(ahead).toBeGreaterThan(0);
  });
});

describe('itc', () => {
  test('agrees with fidge-mattern on every pair of any run without loss, reordering or crashes', async () => {
    await fc.assert(fc.asyncProperty(reliableFifo, async (p) => {
      const i = await simulate(p, 'itc');
      const fm = await simulate(p, 'fidge-mattern');
      expect(all(i.s).disagree).toBe(0);
      const iv = [...i.checker.pairs('all')].map((v) => `${v.a.ev},${v.b.ev},${v.clock}`);
      const fv = [...fm.checker.pairs('all')].map((v) => `${v.a.ev},${v.b.ev},${v.clock}`);
      expect(iv).toEqual(fv);
    }), { numRuns: 15 });
  });

  test('exact on any network when every node is an initial node (stamps carry whole histories)', async () => {
    await fc.assert(fc.asyncProperty(anyNetwork, async (p) => {
      const { s, checker } = await simulate(p, 'itc');
      expect(all(s).disagree).toBe(0);
      expect(bruteCounts(checker.inScope('all'), leqSerialized)).toEqual(all(s));
    }), { numRuns: 15 });
  });

  test('under static membership every node is an initial node, late joiners too: exact on any network', async () => {
    await fc.assert(fc.asyncProperty(anyNetwork, async (p) => {
      const { s } = await simulate(p, 'itc', { join: { membership: 'static', stagger: p.stagger, times: { n1: '300ms' } } });
      expect(all(s).disagree).toBe(0);
    }), { numRuns: 15 });
  });

  test('a late joiner with the handshake asks for an id and counts once a reply gives it one', async () => {
    const p: Params = { nodes: 4, seed: 3, loss: 0, duplicate: 0, latency: '5ms', partition: false, stagger: '0ms', interval: '30ms' };
    const { events } = await simulate(p, 'itc', { join: { times: { n3: '300ms' } } });
    const sends = events.filter((e): e is Extract<TraceEvent, { type: 'send' }> => e.type === 'send' && e.node === 'n3');
    expect(sends.length).toBeGreaterThan(2);
    // After its replies (5ms), every send of n3 carries a stamp no earlier stamp of n3 had.
    const seen = new Set<string>();
    for (const e of sends) {
      const key = JSON.stringify(e.after);
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });
});
