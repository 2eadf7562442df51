// The checker's count on a worker thread (src/check/counting.ts, remote.ts, worker.ts): the
// same figures and the same report detail as on the main thread, whatever the threads'
// timing; a run small enough never starts a thread; a worker that fails is a clear error.

import { describe, expect, test } from 'vitest';
import { loadScenarioData, runScenario } from '../../src/api/index.js';
import { CausalityChecker } from '../../src/check/checker.js';
import { WORKER_AFTER } from '../../src/check/counting.js';
import { RemoteVerdicts } from '../../src/check/remote.js';
import type { VerdictDetailSpec } from '../../src/check/verdicts.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';

const spec = (): VerdictDetailSpec => ({ groups: 3, bins: 7, groupOf: (s) => s % 3, binOf: (t) => Math.min(6, Math.floor(t / 1_500_000)) });

async function events(): Promise<{ header: TraceHeader; events: TraceEvent[] }> {
  const loaded = loadScenarioData({
    name: 'count', nodes: 16, duration: '10s', protocol: { clock: 'fidge-mattern' }, network: { loss: 0.05, duplicate: 0.05 },
    workload: { interval: '25ms' }, partitions: [{ groups: 'halves', start: '3s', end: '5s' }],
  }, 'count.yaml');
  const out: TraceEvent[] = [];
  let header: TraceHeader | null = null;
  await runScenario({ loaded, seed: 3, outDir: null, outputs: 'none', checker: 'off', consumers: [{ header: (h) => { header = h; }, event: (e) => { out.push(e); } }] });
  return { header: header!, events: out };
}

async function check(run: { header: TraceHeader; events: TraceEvent[] }, worker: boolean, scope: 'all' | 'sends', keepReceives = false): Promise<CausalityChecker> {
  const c = new CausalityChecker({ scope, worker, keepReceives });
  c.wantDetail(spec);
  c.header(run.header);
  for (const e of run.events) {
    c.event(e);
    if (c.backlogged()) await c.drain();
  }
  await c.end();
  return c;
}

describe('the verdicts counted on a worker thread', () => {
  test('give the figures and the detail of the main thread, scopes all and sends', async () => {
    const run = await events();
    const chat = run.events.filter((e) => e.type === 'send' || (e.type === 'receive' && e.dg === 'chat')).length;
    expect(chat).toBeGreaterThan(2 * WORKER_AFTER);
    for (const scope of ['all', 'sends'] as const) {
      const here = await check(run, false, scope);
      const there = await check(run, true, scope);
      expect(there.result()).toEqual(here.result());
      const a = here.detail()!, b = there.detail()!;
      expect(Array.from(b.pairs)).toEqual(Array.from(a.pairs));
      expect(Array.from(b.bins)).toEqual(Array.from(a.bins));
      expect(a.bins.some((x) => x > 0)).toBe(true);
    }
  });

  test('keep what orderings.csv lists: the sends, and the receives only when asked', async () => {
    const run = await events();
    const there = await check(run, true, 'all');
    expect(there.canList('sends')).toBe(true);
    expect(there.canList('all')).toBe(false);
    expect(() => there.inScope('all')).toThrow(/counted on a worker thread/);
    const kept = await check(run, true, 'all', true);
    const here = await check(run, false, 'all', true);
    expect(kept.canList('all')).toBe(true);
    expect(kept.inScope('all').map((e) => e.ev)).toEqual(here.inScope('all').map((e) => e.ev));
    expect(there.inScope('sends').map((e) => e.ev)).toEqual(here.inScope('sends').map((e) => e.ev));
  });

  test('a worker that fails is a clear error', async () => {
    const r = new RemoteVerdicts({ clock: 'seed', all: true, detailScope: 'all', groups: 2 ** 31 });
    await expect(r.finish()).rejects.toThrow(/^vcsim: the checker's worker thread failed: /);
  });
});
