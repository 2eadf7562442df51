// The UDP driver: a scenario's nodes on live loopback sockets produce a trace every consumer
// understands, with the same sends as the simulation, clocks merged as the core merges them,
// every expected copy accounted for, and the scenario's partitions applied per receiver.

import { describe, expect, it } from 'vitest';
import { snapshotGet, type ClockSnapshot } from '../../src/core/clock.js';
import { loadScenarioText, runScenario } from '../../src/api/index.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';
import { BROADCAST, freePort, rawSender } from '../helpers/transport.js';

const SMALL = `
name: live-small
nodes: 3
names: [a, b, c]
duration: 1s
protocol: { clock: CLOCK }
network: { latency: 2ms }
join: { stagger: 50ms }
workload: { process: fixed, interval: 100ms, start: 400ms, count: 3 }
PARTITIONS
`;

function scenario(clock: string, partitions = ''): ReturnType<typeof loadScenarioText> {
  return loadScenarioText(SMALL.replace('CLOCK', clock).replace('PARTITIONS', partitions), 'live-small.yaml');
}

class Collect implements TraceConsumer {
  header_: TraceHeader | null = null;
  readonly events: TraceEvent[] = [];
  header(h: TraceHeader): void { this.header_ = h; }
  event(e: TraceEvent): void { this.events.push(e); }
}

function names(c: ClockSnapshot): string[] {
  return typeof c === 'number' ? [] : c.names.slice(0, c.values.length);
}

async function live(clock: string, partitions = ''): Promise<Collect> {
  const c = new Collect();
  const port = await freePort();
  await runScenario({ loaded: scenario(clock, partitions), seed: 1, outDir: null, consumers: [c], live: { port, address: BROADCAST, graceMs: 1000 } });
  return c;
}

describe('vcsim run --transport udp', () => {
  for (const clock of ['seed', 'fidge-mattern']) {
    it(`${clock}: live nodes chat, and every receive merges the sender's attached clock`, async () => {
      const c = await live(clock);
      expect(c.header_?.transport).toBe('udp');
      expect(c.header_?.replayable).toBe(false);
      const sends = new Map<number, ClockSnapshot>();
      let receives = 0;
      let dropped = 0;
      for (const e of c.events) {
        if (e.type === 'send') sends.set(e.msg, e.after);
        if (e.type === 'drop' && e.dg === 'chat' && e.from !== e.to) dropped++;
        if (e.type !== 'receive') continue;
        receives++;
        const attached = sends.get(e.msg)!;
        expect(attached, `the send of msg ${e.msg}`).toBeDefined();
        for (const k of names(attached)) {
          const merged = Math.max(snapshotGet(e.before, k), snapshotGet(attached, k));
          const own = k === e.node && clock === 'fidge-mattern' ? 1 : 0;
          expect(snapshotGet(e.after, k), `${e.node}[${k}] after msg ${e.msg}`).toBe(merged + own);
        }
      }
      expect(sends.size).toBe(9);
      expect(receives).toBeGreaterThan(0);
      // Every copy to another node is accounted for: received, or traced as a drop.
      expect(receives + dropped).toBe(9 * 2);
      expect(c.events.at(-1)?.type).toBe('end');
    });
  }

  it('applies the scenario\'s partition per receiver as datagrams arrive', async () => {
    const c = await live('seed', 'partitions: [{ start: 300ms, groups: [[a], [b, c]] }]');
    for (const e of c.events) {
      if (e.type === 'receive' && (e.from === 'a') !== (e.node === 'a')) throw new Error(`a receive across the partition: ${JSON.stringify(e)}`);
    }
    const partitioned = c.events.filter((e) => e.type === 'drop' && e.outcome === 'partitioned');
    expect(partitioned.filter((e) => e.type === 'drop' && e.dg === 'chat')).toHaveLength(3 * 2 + 6 * 1);
    expect(c.events.filter((e) => e.type === 'fault')).toHaveLength(1);
  });

  for (const clock of ['seed', 'fidge-mattern']) {
    it(`${clock}: hostile datagrams from outside the run never crash the driver`, async () => {
      const port = await freePort();
      const raw = await rawSender();
      const hostile = [Buffer.from([0xff, 0x00, 0xc3]), Buffer.from('x'.repeat(5000)), Buffer.from('a##b##c'), Buffer.from('n9##hi@@{"n9": -1e400}')];
      const c = new Collect();
      let sent: Promise<void> | null = null;
      const trigger = { event: (e: TraceEvent): void => { if (e.type === 'join' && e.node === 'c') sent ??= Promise.all(hostile.map((h) => raw.send(h, port))).then(() => undefined); } };
      try {
        await runScenario({ loaded: scenario(clock), seed: 1, outDir: null, consumers: [c, trigger], live: { port, address: BROADCAST, graceMs: 1000 } });
        await sent;
      } finally {
        await raw.close();
      }
      const foreign = c.events.filter((e) => 'msg' in e && e.msg === 0 && (e.type === 'ignored' || e.type === 'receiver_died' || e.type === 'drop'));
      expect(foreign.length).toBeGreaterThan(0);
      if (clock === 'fidge-mattern') expect(c.events.some((e) => e.type === 'receiver_died')).toBe(false);
      expect(c.events.at(-1)?.type).toBe('end');
    });
  }
});
