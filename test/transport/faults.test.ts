// The UDP driver under node and link faults on loopback: a crash closes the node's socket
// (copies to it are `receiver_down` while it is down) and a restart binds a new one and
// announces itself again; a pause holds arrivals and typed lines and handles them at resume;
// a clog holds a sender's datagrams and releases them at its end (`released` on the end
// event); a capacity spaces each link's deliveries; a leave is for good. Every run is about a second of real time on ports the kernel picked free.

import { describe, expect, it } from 'vitest';
import { loadScenarioText, runScenario } from '../../src/api/index.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';
import { BROADCAST, freePort } from '../helpers/transport.js';

const BASE = `
name: live-faults
nodes: 3
names: [a, b, c]
duration: 1200ms
protocol: { clock: CLOCK }
network: { latency: 2ms }
join: { stagger: 30ms }
workload: { process: fixed, interval: 100ms, start: 200ms }
`;

class Collect implements TraceConsumer {
  header_: TraceHeader | null = null;
  readonly events: TraceEvent[] = [];
  header(h: TraceHeader): void { this.header_ = h; }
  event(e: TraceEvent): void { this.events.push(e); }
}

async function live(faults: string, clock = 'seed', sim = false, interval = 'interval: 100ms'): Promise<Collect> {
  const c = new Collect();
  const loaded = loadScenarioText(BASE.replace('CLOCK', clock).replace('interval: 100ms', interval) + faults, 'live-faults.yaml');
  const transport = sim ? {} : { live: { port: await freePort(), address: BROADCAST, graceMs: 1000 } };
  await runScenario({ loaded, seed: 1, outDir: null, consumers: [c], ...transport });
  return c;
}

type Of<K extends TraceEvent['type']> = Extract<TraceEvent, { type: K }>;

function only<K extends TraceEvent['type']>(c: Collect, type: K): Of<K>[] {
  return c.events.filter((e): e is Of<K> => e.type === type);
}

/** The wall times of a fault's start and end events. */
function window(c: Collect, id: string): { start: number; end: number; endEvent: Of<'fault'> } {
  const f = only(c, 'fault').filter((e) => e.id === id);
  const start = f.find((e) => e.phase === 'start');
  const end = f.find((e) => e.phase === 'end');
  expect(start, `${id} started`).toBeDefined();
  expect(end, `${id} ended`).toBeDefined();
  return { start: start!.t, end: end!.t, endEvent: end! };
}

/** Node events (those with `node`) at `node`. */
function at(c: Collect, node: string): (TraceEvent & { node: string; t: number })[] {
  return c.events.filter((e): e is TraceEvent & { node: string; t: number } => 'node' in e && e.node === node);
}

describe('live faults on loopback', () => {
  it('crash: copies to the node are receiver_down while it is down; the restart announces itself again', async () => {
    const c = await live('faults:\n  - {kind: crash, nodes: [b], start: 500ms, end: 800ms}\n');
    const w = window(c, 'f1');
    const joins = only(c, 'join').filter((e) => e.node === 'b');
    expect(joins).toHaveLength(2);
    expect(joins[1].t).toBeGreaterThanOrEqual(w.end);
    // Down: nothing happens at b, and copies sent to it are dropped receiver_down, naming the crash.
    expect(at(c, 'b').filter((e) => e.t > w.start && e.t < joins[1].t)).toEqual([]);
    const down = only(c, 'drop').filter((e) => e.outcome === 'receiver_down');
    expect(down.length).toBeGreaterThan(0);
    for (const d of down) {
      expect(d).toMatchObject({ to: 'b', reason: 'crash f1' });
      expect(d.t).toBeGreaterThanOrEqual(w.start);
      expect(d.t).toBeLessThanOrEqual(joins[1].t);
    }
    // Chats by a and c sent while b was down each lost their copy to b.
    const sentDown = only(c, 'send').filter((e) => e.node !== 'b' && e.t > w.start && e.t < w.end);
    expect(sentDown.length).toBeGreaterThan(0);
    for (const s of sentDown) expect(down.some((d) => d.msg === s.msg), `msg ${s.msg} to b`).toBe(true);
    // The peers hear the new node's announcement and (seed rule) reset its entry.
    const seen = only(c, 'join_seen').filter((e) => e.from === 'b' && e.msg === joins[1].msg);
    expect(seen.map((e) => e.node).sort()).toEqual(['a', 'c']);
    expect(seen.every((e) => e.reset)).toBe(true);
    // b sends again after the restart, and is heard.
    const after = only(c, 'send').filter((e) => e.node === 'b' && e.t > joins[1].t);
    expect(after.length).toBeGreaterThan(0);
    expect(only(c, 'receive').some((e) => e.from === 'b' && e.msg === after[0].msg)).toBe(true);
  });

  it('pause: arrivals and typed lines are held, then handled at resume in order; nothing is lost', async () => {
    const pause = 'faults:\n  - {kind: pause, nodes: [b], start: 500ms, end: 800ms}\n';
    const c = await live(pause, 'fidge-mattern');
    const w = window(c, 'f1');
    expect(at(c, 'b').filter((e) => e.t > w.start && e.t < w.end)).toEqual([]);
    // What b was sent while paused is received after the resume, in the order it was sent by each sender.
    const held = only(c, 'receive').filter((e) => e.node === 'b' && e.from !== 'b' && e.sent > w.start && e.sent < w.end - 20_000);
    expect(held.length).toBeGreaterThan(0);
    for (const r of held) expect(r.t).toBeGreaterThanOrEqual(w.end);
    for (const from of ['a', 'c']) {
      const msgs = held.filter((r) => r.from === from).map((r) => r.msg);
      expect(msgs).toEqual([...msgs].sort((x, y) => x - y));
    }
    // b's user typed while paused: those lines are sent at resume, none lost.
    const bSends = only(c, 'send').filter((e) => e.node === 'b');
    expect(bSends.filter((e) => e.t >= w.end && e.t < w.end + 50_000).length).toBeGreaterThan(1);
    expect(only(c, 'send')).toHaveLength(only(await live(pause, 'fidge-mattern', true), 'send').length);
    expect(only(c, 'drop')).toEqual([]);
  });

  it('clog: a sender\'s datagrams are held and all released at the end, counted on the end event', async () => {
    const c = await live('faults:\n  - {kind: clog, from: [a], start: 500ms, end: 800ms}\n', 'fidge-mattern');
    const w = window(c, 'f1');
    const fromA = only(c, 'receive').filter((e) => e.from === 'a');
    expect(fromA.filter((e) => e.t > w.start + 20_000 && e.t < w.end)).toEqual([]);
    const clogged = fromA.filter((e) => e.sent > w.start && e.sent < w.end - 20_000);
    expect(clogged.length).toBeGreaterThan(0);
    for (const r of clogged) expect(r.t).toBeGreaterThanOrEqual(w.end);
    const released = w.endEvent.released!;
    expect(released).toBeGreaterThanOrEqual(clogged.length);
    // Every copy a delivered at or after the end that it had sent before (its own included, which the core does not trace as a receive).
    const handledLate = c.events.filter((e) => e.type !== 'drop' && 'from' in e && e.from === 'a' && 'sent' in e && e.t >= w.end && e.sent < w.end);
    expect(released).toBeLessThanOrEqual(handledLate.length);
    // Others' datagrams still flow during the clog, and nothing is lost.
    expect(only(c, 'receive').some((e) => e.from !== 'a' && e.node !== e.from && e.t > w.start && e.t < w.end)).toBe(true);
    expect(only(c, 'drop')).toEqual([]);
  });

  it('capacity queues on real timers; leave closes the node for good', async () => {
    const c = await live('faults:\n  - {kind: capacity, rate: 20, start: 300ms, end: 900ms}\n  - {kind: leave, nodes: [c], start: 1000ms}\n', 'fidge-mattern', false, 'interval: 25ms');
    const cap = window(c, 'f1');
    const leave = only(c, 'fault').find((e) => e.id === 'f2')!.t;
    // One datagram per 50 ms per directed link while the capacity holds (timers fire late, never early).
    for (const from of ['a', 'b', 'c']) for (const to of ['a', 'b', 'c']) {
      if (from === to) continue;
      const inWindow = only(c, 'receive').filter((e) => e.from === from && e.node === to && e.t >= cap.start && e.t <= cap.end);
      expect(inWindow.length, `${from} -> ${to}`).toBeLessThanOrEqual(Math.floor((cap.end - cap.start) / 50_000) + 2);
    }
    // Queued, not lost: the only drops are the copies still queued for c when it left.
    const drops = only(c, 'drop');
    expect(drops.length).toBeGreaterThan(0);
    for (const d of drops) {
      expect(d).toMatchObject({ to: 'c', outcome: 'receiver_down', reason: 'leave f2' });
      expect(d.sent).toBeLessThan(leave);
    }
    expect(at(c, 'c').filter((e) => e.t > leave)).toEqual([]);
    expect(only(c, 'send').some((e) => e.node !== 'c' && e.t > leave)).toBe(true);
  });

  it('random faults and a quiet phase run live, with the schedule the header records', async () => {
    const c = await live('random_faults: {profile: swarm, rate: 6, kinds: [crash, pause, one-way, loss-burst, clog], mean_duration: 100ms}\nquiet: 300ms\n');
    const scheduled = c.header_!.faults!;
    const started = only(c, 'fault').filter((e) => e.phase === 'start').map((e) => e.id);
    expect(scheduled.length).toBeGreaterThan(1);
    expect(new Set(started)).toEqual(new Set(scheduled.map((f) => f.id)));
    expect(c.events.at(-1)?.type).toBe('end');
  });
});
