// `vcsim validate` on a small scenario: the simulated and the live run agree within the
// stated tolerances, and a checker's verdicts are compared through the hook; and on the
// shipped clog and crash-restart scenarios (at half time scale: 3 s and 4 s of real time),
// whose faults run live too.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText, validate, type VerdictConsumer } from '../../src/api/index.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { BROADCAST, freePort } from '../helpers/transport.js';

const SMALL = `
name: parity-small
nodes: 4
duration: 1s
protocol: { clock: seed }
network: { latency: { dist: uniform, min: 1ms, max: 4ms } }
join: { stagger: 30ms }
workload: { process: poisson, interval: 80ms, start: 400ms }
`;

/** A stand-in checker: did every node's receiver survive? */
class SurvivalChecker implements VerdictConsumer {
  private died = 0;
  event(e: TraceEvent): void {
    if (e.type === 'receiver_died') this.died++;
  }
  verdicts(): Record<string, boolean> {
    return { all_receivers_alive: this.died === 0 };
  }
}

describe('vcsim validate', () => {
  it('reports parity between the simulation and live loopback sockets', async () => {
    const loaded = loadScenarioText(SMALL, 'parity-small.yaml');
    const port = await freePort();
    const r = await validate({ loaded, seed: 3, outDir: null, live: { port, address: BROADCAST, graceMs: 1000 }, checker: () => new SurvivalChecker() });
    const failed = r.rows.filter((row) => row.ok === false);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(r.parity).toBe(true);
    expect(r.sim.summary.transport).toBe('sim');
    expect(r.live.summary.transport).toBe('udp');
    expect(r.sim.summary.sends).toBeGreaterThan(0);
    expect(r.live.summary.sends).toBe(r.sim.summary.sends);
    expect(r.rows.map((row) => row.figure)).toEqual(expect.arrayContaining(['sends', 'receives', 'delivery ratio', 'latency p50 (µs)', 'anomalies receiver_died', 'checker all_receivers_alive']));
    expect(r.latency.live.count).toBeGreaterThan(0);
  });

  for (const name of ['clog', 'crash-restart']) {
    it(`${name}: the faulted scenario runs live within the stated tolerances`, async () => {
      const loaded = loadScenarioFile(fileURLToPath(new URL(`../../scenarios/${name}.yaml`, import.meta.url)));
      const port = await freePort();
      const r = await validate({ loaded, seed: 1, outDir: null, live: { port, address: BROADCAST, timeScale: 0.5, graceMs: 1000 } });
      const failed = r.rows.filter((row) => row.ok === false);
      expect(failed, JSON.stringify(failed)).toEqual([]);
      const figures = r.rows.map((row) => row.figure);
      expect(figures).toEqual(expect.arrayContaining([`faults ${name === 'clog' ? 'clog' : 'crash'}`, 'joins', 'receiver_down']));
      if (name === 'clog') {
        expect(figures).toContain('clog released');
        expect(r.live.summary.faults).toEqual({ clog: 1 });
      } else {
        // The restart joins again, and copies to the crashed node were refused live as simulated.
        expect(r.live.summary.joins).toBe(6);
        expect(r.live.summary.drops_by_reason['crash f1']).toBeGreaterThan(0);
      }
    });
  }
});
