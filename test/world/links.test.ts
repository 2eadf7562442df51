// The link model and node states (src/world/links.ts, nodes.ts, faults.ts; docs/faults.md,
// "The chain"): each rule alone on a two-node network, then the chain's order.

import { describe, expect, it } from 'vitest';
import type { Latency } from '../../src/scenario/schema.js';
import type { TraceEvent } from '../../src/trace/events.js';
import { FaultSwitch, type FaultHost } from '../../src/world/faults.js';
import { HELD, LinkModel } from '../../src/world/links.js';
import { CRASHED, LEFT, NodeStates, UP } from '../../src/world/nodes.js';
import type { Rng } from '../../src/world/rng.js';
import type { ConcreteFault } from '../../src/world/schedule.js';

const N = 2;
const fixed = (us: number): Latency => ({ dist: 'constant', value: us });

/** A stream that returns the given values in turn (then 0.999...), and counts its draws. */
function scripted(values: number[]): Rng & { draws: number } {
  const r = { draws: 0, next: () => values[r.draws++] ?? 0.999 };
  return r;
}

let ids = 0;
function fault(kind: ConcreteFault['kind'], extra: Partial<ConcreteFault> = {}): ConcreteFault {
  const id = `f${++ids}`;
  return {
    record: { id, kind, start: 0, groups: [] } as unknown as ConcreteFault['record'],
    kind, start: 0, end: undefined, nodes: [], from: null, to: null, cut: undefined,
    latency: undefined, loss: undefined, duplicate: undefined, rate: undefined, ...extra,
  };
}

function model(faults: ConcreteFault[], rng: Rng, net = { loss: 0, duplicate: 0, latency: fixed(1000) }): LinkModel<string> {
  return new LinkModel<string>(faults, N, net, rng);
}

describe('each link rule alone, on two nodes', () => {
  it('no fault: one copy with the network latency, one draw for nothing but latency', () => {
    const rng = scripted([]);
    const m = model([], rng);
    expect(m.attempt(0, 1)).toBe(1);
    expect(m.dropReason[0]).toBeNull();
    expect(m.delay[0]).toBe(1000);
  });

  it('a partition blocks the link between groups only while active, and draws nothing', () => {
    const rng = scripted([]);
    const p = fault('partition', { cut: { groups: [[0], [1]] } });
    const m = model([p], rng);
    expect(m.attempt(0, 1)).toBe(1);
    m.set(0, true);
    expect(m.attempt(0, 1)).toBe(0);
    expect(m.refusal).toEqual({ outcome: 'partitioned', reason: `partition ${p.record.id}` });
    expect(m.attempt(0, 0)).toBe(1); // same group
    m.set(0, false);
    expect(m.attempt(1, 0)).toBe(1);
    expect(rng.draws).toBe(0); // fixed latency, no loss: the cut never drew
  });

  it('a one-way cut blocks one direction', () => {
    const m = model([fault('one-way', { from: [0], to: [1] })], scripted([]));
    m.set(0, true);
    expect(m.attempt(0, 1)).toBe(0);
    expect(m.attempt(1, 0)).toBe(1);
  });

  it('a link override replaces loss, latency and duplication on its links', () => {
    const link = fault('link', { from: [0], loss: 0.5, latency: fixed(7000), duplicate: 0.5 });
    const m = model([link], scripted([0.9, 0.1, 0.2]));
    m.set(0, true);
    // loss draw 0.9 (kept), duplicate draw 0.1 (< 0.5: a duplicate), its loss draw 0.2 (lost)
    expect(m.attempt(0, 1)).toBe(2);
    expect(m.dropReason[0]).toBeNull();
    expect(m.delay[0]).toBe(7000);
    expect(m.dropReason[1]).toBe(`link ${link.record.id}`);
    // the other direction is not covered: the network's (no loss, no duplicate, 1000)
    expect(m.attempt(1, 0)).toBe(1);
    expect(m.delay[0]).toBe(1000);
  });

  it('a loss burst names itself as the reason', () => {
    const burst = fault('loss-burst', { loss: 0.9 });
    const m = model([burst], scripted([0.5]));
    m.set(0, true);
    expect(m.attempt(1, 0)).toBe(1);
    expect(m.dropReason[0]).toBe(`loss-burst ${burst.record.id}`);
  });

  it('a clog holds arrivals on its links and releases them in order at its end', () => {
    const m = model([fault('clog', { to: [1] })], scripted([]));
    m.set(0, true);
    expect(m.holding(0)).toBe(0);
    expect(m.arrive(0, 1, 10, 'a', false)).toBe(HELD);
    expect(m.arrive(1, 1, 11, 'b', false)).toBe(HELD);
    expect(m.arrive(1, 0, 12, 'c', false)).toBe(12); // not covered
    expect(m.holding(0)).toBe(2);
    expect(m.set(0, false)).toEqual(['a', 'b']);
    expect(m.holding(0)).toBe(0);
    expect(m.arrive(0, 1, 20, 'd', false)).toBe(20);
  });

  it('a capacity gives each directed link one slot per 1/rate, and forgets its queue at its end', () => {
    const m = model([fault('capacity', { rate: 10 })], scripted([]));
    m.set(0, true);
    expect(m.arrive(0, 1, 0, 'a', false)).toBe(0);
    expect(m.arrive(0, 1, 0, 'b', false)).toBe(100_000);
    expect(m.arrive(0, 1, 0, 'c', false)).toBe(200_000);
    expect(m.arrive(1, 0, 0, 'd', false)).toBe(0); // its own link
    expect(m.arrive(0, 1, 0, 'b', true)).toBe(0); // already waited: not queued again
    m.set(0, false);
    m.set(0, true);
    expect(m.arrive(0, 1, 5, 'e', false)).toBe(5);
  });

  it('the quiet phase stops loss', () => {
    const m = model([], scripted([0]), { loss: 0.5, duplicate: 0, latency: fixed(1) });
    m.quiet = true;
    expect(m.attempt(0, 1)).toBe(1);
    expect(m.dropReason[0]).toBeNull();
  });

  it('a datagram from outside the run (-1) is on no cut', () => {
    const m = model([fault('partition', { cut: { groups: [[0], [1]] } })], scripted([]));
    m.set(0, true);
    expect(m.attempt(-1, 1)).toBe(1);
  });
});

describe('the chain\'s order', () => {
  it('the first active cut wins over later cuts and over any shape; no draw is made', () => {
    const p1 = fault('partition', { cut: { groups: [[0], [1]] } });
    const ow = fault('one-way', { from: [0], to: [1] });
    const burst = fault('loss-burst', { loss: 1 });
    const rng = scripted([]);
    const m = model([p1, ow, burst], rng);
    [0, 1, 2].forEach((f) => m.set(f, true));
    expect(m.attempt(0, 1)).toBe(0);
    expect(m.refusal!.reason).toBe(`partition ${p1.record.id}`);
    m.set(0, false);
    expect(m.attempt(0, 1)).toBe(0);
    expect(m.refusal!.reason).toBe(`one-way ${ow.record.id}`);
    expect(rng.draws).toBe(0);
  });

  it('the first active shape wins over a later one', () => {
    const a = fault('link', { latency: fixed(5) });
    const b = fault('link', { latency: fixed(9) });
    const m = model([a, b], scripted([]));
    m.set(1, true);
    m.attempt(0, 1);
    expect(m.delay[0]).toBe(9);
    m.set(0, true);
    m.attempt(0, 1);
    expect(m.delay[0]).toBe(5);
  });

  it('draws in order: loss, latency, duplicate, then the duplicate\'s loss and latency', () => {
    const values = [0.9, 0.25, 0.1, 0.9, 0.75];
    let k = 0;
    const rng: Rng = { next: () => values[k++] };
    const latency: Latency = { dist: 'uniform', min: 0, max: 1000 };
    const m = new LinkModel<string>([], N, { loss: 0.5, duplicate: 0.5, latency }, rng);
    expect(m.attempt(0, 1)).toBe(2);
    expect(k).toBe(5);
    expect(m.delay[0]).not.toBe(m.delay[1]);
  });

  it('a clog comes before a capacity at arrival', () => {
    const m = model([fault('capacity', { rate: 1 }), fault('clog')], scripted([]));
    m.set(0, true);
    m.set(1, true);
    expect(m.arrive(0, 1, 0, 'a', false)).toBe(HELD);
    expect(m.set(1, false)).toEqual(['a']);
    expect(m.arrive(0, 1, 0, 'a', false)).toBe(0);
    expect(m.arrive(0, 1, 0, 'b', false)).toBe(1_000_000);
  });
});

describe('node states and the fault switch', () => {
  function host(): FaultHost<string, string> & { log: string[] } {
    const log: string[] = [];
    return {
      log,
      start: (i) => log.push(`start ${i}`),
      join: (i) => log.push(`join ${i}`),
      lost: (i, f, held) => log.push(`lost ${i} ${f} [${held.join(',')}]`),
      sendNow: (i, seq) => log.push(`send ${i} #${seq}`),
      deliverNow: (d) => log.push(`deliver ${d}`),
      emit: (e: TraceEvent) => log.push(`${e.type} ${'phase' in e ? e.phase : ''} ${'released' in e ? e.released : ''}`.trim()),
      release: (items) => log.push(`release [${items.join(',')}]`),
    };
  }

  it('crash: down until its end, then restarted; a copy for it is not bound only after leave', () => {
    const crash = fault('crash', { nodes: [1] });
    const leave = fault('leave', { nodes: [0] });
    const faults = [crash, leave];
    const states = new NodeStates<string>(N, faults, [0, 0]);
    const sw = new FaultSwitch(faults, model(faults, scripted([])), states);
    const h = host();
    states.up(0);
    states.up(1);
    sw.toggle(0, true, 5, h);
    expect(states.status[1]).toBe(CRASHED);
    expect(states.bound(1)).toBe(true);
    expect(states.downReason(1)).toBe(`crash ${crash.record.id}`);
    sw.toggle(0, false, 9, h);
    expect(h.log).toEqual(['fault start', 'lost 1 0 []', 'fault end', 'start 1']);
    sw.toggle(1, true, 10, h);
    expect(states.status[0]).toBe(LEFT);
    expect(states.bound(0)).toBe(false);
  });

  it('pause: inputs held in order and handled at its end; a crash meanwhile loses the deliveries', () => {
    const pause = fault('pause', { nodes: [0] });
    const crash = fault('crash', { nodes: [0] });
    const faults = [pause, crash];
    const states = new NodeStates<string>(N, faults, [0, 0]);
    const sw = new FaultSwitch(faults, model(faults, scripted([])), states);
    const h = host();
    states.up(0);
    sw.toggle(0, true, 1, h);
    expect(states.isPaused(0)).toBe(true);
    states.hold(0, { kind: 'deliver', d: 'x' });
    states.hold(0, { kind: 'send', seq: 7 });
    states.hold(0, { kind: 'deliver', d: 'y' });
    sw.toggle(0, false, 2, h);
    expect(h.log.slice(-3)).toEqual(['deliver x', 'send 0 #7', 'deliver y']);
    sw.toggle(0, true, 3, h);
    states.hold(0, { kind: 'deliver', d: 'z' });
    states.hold(0, { kind: 'send', seq: 8 });
    sw.toggle(1, true, 4, h);
    expect(h.log.at(-1)).toBe('lost 0 1 [z]');
    expect(states.isPaused(0)).toBe(false);
    expect(states.status[0]).toBe(CRASHED);
  });

  it('a clog\'s end event carries how many it released, then releases them', () => {
    const clog = fault('clog');
    const links = model([clog], scripted([]));
    const sw = new FaultSwitch([clog], links, new NodeStates<string>(N, [clog], [0, 0]));
    const h = host();
    sw.toggle(0, true, 0, h);
    links.arrive(0, 1, 1, 'a', false);
    sw.toggle(0, false, 2, h);
    expect(h.log).toEqual(['fault start', 'fault end 1', 'release [a]']);
  });

  it('the quiet phase heals active faults (not leaves), restarts the crashed, and keeps them healed', () => {
    const crash = fault('crash', { nodes: [1] });
    const part = fault('partition', { cut: { groups: [[0], [1]] } });
    const quiet = fault('quiet');
    const faults = [crash, part, quiet];
    const links = model(faults, scripted([]));
    const states = new NodeStates<string>(N, faults, [0, 0]);
    const sw = new FaultSwitch(faults, links, states);
    const h = host();
    h.start = (i) => { h.log.push(`start ${i}`); states.up(i); };
    states.up(0);
    states.up(1);
    sw.toggle(0, true, 1, h);
    sw.toggle(1, true, 1, h);
    sw.toggle(2, true, 2, h);
    expect(links.attempt(0, 1)).toBe(1);
    expect(links.quiet).toBe(true);
    expect(h.log.filter((l) => l.startsWith('start'))).toEqual(['start 1']);
    sw.toggle(1, true, 3, h); // a start after quiet stays healed
    expect(links.attempt(0, 1)).toBe(1);
    expect(states.status[0]).toBe(UP);
  });
});
