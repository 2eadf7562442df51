// The simulated network's statistics: loss and duplication rates within tolerance over a
// large sample, and latency quantiles that match each distribution.
import { describe, expect, it } from 'vitest';
import { sampler } from '../../src/world/dist.js';
import { stream } from '../../src/world/rng.js';
import { loadScenarioText, runScenario } from '../../src/api/index.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent } from '../../src/trace/events.js';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

const N = 40_000;
function draws(d: Parameters<typeof sampler>[0]): number[] {
  const rng = stream(42, 'test');
  const f = sampler(d);
  return Array.from({ length: N }, () => f(rng));
}

describe('latency distributions (quantiles within 3% of the exact values)', () => {
  const close = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThan(0.03);
  it('constant', () => expect(new Set(draws({ dist: 'constant', value: 1234 }))).toEqual(new Set([1234])));
  it('uniform', () => {
    const xs = draws({ dist: 'uniform', min: 1000, max: 3000 });
    close(quantile(xs, 0.25), 1500); close(quantile(xs, 0.5), 2000); close(quantile(xs, 0.9), 2800);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1000); expect(Math.max(...xs)).toBeLessThanOrEqual(3000);
  });
  it('exponential', () => {
    const xs = draws({ dist: 'exponential', mean: 10_000 });
    close(quantile(xs, 0.5), 10_000 * Math.LN2); close(quantile(xs, 0.9), 10_000 * Math.log(10));
  });
  it('normal', () => {
    const xs = draws({ dist: 'normal', mean: 50_000, stddev: 5_000 });
    close(quantile(xs, 0.5), 50_000); close(quantile(xs, 0.8413), 55_000); close(quantile(xs, 0.1587), 45_000);
  });
  it('lognormal', () => {
    const xs = draws({ dist: 'lognormal', median: 20_000, sigma: 0.5 });
    close(quantile(xs, 0.5), 20_000); close(quantile(xs, 0.8413), 20_000 * Math.exp(0.5));
  });
  it('pareto', () => {
    const xs = draws({ dist: 'pareto', min: 2_000, alpha: 1.5 });
    close(quantile(xs, 0.5), 2_000 * Math.pow(2, 1 / 1.5)); close(quantile(xs, 0.9), 2_000 * Math.pow(10, 1 / 1.5));
  });
});

class Collect implements TraceConsumer {
  events: TraceEvent[] = [];
  event(e: TraceEvent): void { this.events.push(e); }
}

async function run(yaml: string, seed = 1): Promise<TraceEvent[]> {
  const c = new Collect();
  await runScenario({ loaded: loadScenarioText(yaml, 't.yaml'), seed, outDir: null, consumers: [c] });
  return c.events;
}

describe('the broadcast network', () => {
  const base = `nodes: 20\nduration: 20s\nprotocol: {clock: fidge-mattern}\nworkload: {process: fixed, interval: 100ms, start: 1s}\n`;

  it('loses copies independently at the configured rate (within 4 standard errors)', async () => {
    const ev = await run(base + 'network: {loss: 0.1, latency: 1ms}\n');
    const attempts = ev.filter((e) => e.type === 'drop' || e.type === 'receive' || e.type === 'ignored' || e.type === 'join_seen' || e.type === 'reply_seen');
    const lost = ev.filter((e) => e.type === 'drop' && e.outcome === 'dropped').length;
    const p = lost / attempts.length;
    const se = Math.sqrt(0.1 * 0.9 / attempts.length);
    expect(attempts.length).toBeGreaterThan(50_000);
    expect(Math.abs(p - 0.1)).toBeLessThan(4 * se);
  });

  it('duplicates copies at the configured rate, each duplicate with its own latency', async () => {
    const ev = await run(base + 'network: {duplicate: 0.05, latency: {dist: uniform, min: 1ms, max: 50ms}}\n');
    const originals = ev.filter((e) => 'copy' in e && e.copy === 0 && e.type !== 'drop').length;
    const dups = ev.filter((e) => 'copy' in e && e.copy === 1);
    const p = dups.length / originals;
    expect(Math.abs(p - 0.05)).toBeLessThan(4 * Math.sqrt(0.05 * 0.95 / originals));
    const delays = dups.map((e) => e.t - (e as { sent: number }).sent);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it('reorders: latencies make later sends arrive first', async () => {
    const ev = await run(base + 'network: {latency: {dist: exponential, mean: 200ms}}\n');
    let inversions = 0;
    const lastSent = new Map<string, number>();
    for (const e of ev) {
      if (e.type !== 'receive') continue;
      const k = e.node + '<' + e.from;
      if ((lastSent.get(k) ?? -1) > e.sent) inversions++;
      lastSent.set(k, Math.max(lastSent.get(k) ?? -1, e.sent));
    }
    expect(inversions).toBeGreaterThan(100);
  });

  it('delivers every copy when nothing is lost, the sender included', async () => {
    const ev = await run('nodes: 4\nduration: 1s\nworkload: {process: fixed, interval: 100ms}\nnetwork: {latency: 1ms}\njoin: {stagger: 10ms}\n');
    const sends = ev.filter((e) => e.type === 'send').length;
    const receives = ev.filter((e) => e.type === 'receive').length;
    const own = ev.filter((e) => e.type === 'ignored' && e.reason === 'own' && e.dg === 'chat').length;
    expect(receives).toBe(sends * 3);
    expect(own).toBe(sends);
  });

  it('drops every copy that crosses a partition while it lasts, and none after it heals', async () => {
    const ev = await run('nodes: 6\nduration: 4s\nworkload: {process: fixed, interval: 100ms, start: 500ms}\nnetwork: {latency: 1ms}\npartitions: [{groups: [[n0, n1, n2]], start: 1s, end: 2s}]\n');
    const side = (n: string) => (['n0', 'n1', 'n2'].includes(n) ? 0 : 1);
    for (const e of ev) {
      if (e.type === 'receive') {
        const during = e.sent >= 1_000_000 && e.sent < 2_000_000;
        if (during) expect(side(e.from)).toBe(side(e.node));
      }
      if (e.type === 'drop' && e.outcome === 'partitioned') {
        expect(e.sent).toBeGreaterThanOrEqual(1_000_000);
        expect(e.sent).toBeLessThan(2_000_000);
        expect(side(e.from)).not.toBe(side(e.to));
        expect(e.reason).toBe('partition p1');
      }
    }
    expect(ev.some((e) => e.type === 'drop' && e.outcome === 'partitioned')).toBe(true);
  });
});
