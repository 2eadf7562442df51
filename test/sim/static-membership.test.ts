// join: { membership: static }: every node starts knowing every name at 0 and announces
// nothing, so a run has no handshake datagrams; the default stays the seed's handshake.
import { describe, expect, it } from 'vitest';
import { Node } from '../../src/core/node.js';
import type { NodeEvent, Outbox } from '../../src/core/node.js';
import { snapshotJson } from '../../src/core/clock.js';
import { liveOptions } from '../../src/api/live.js';
import { loadScenarioText } from '../../src/api/index.js';
import { ofType, runText } from '../helpers/sim.js';

const scenario = (clock: string, membership: string) => `
nodes: 6
duration: 2s
protocol: { clock: ${clock} }
network: { latency: { dist: exponential, mean: 30ms }, loss: 0.1 }
join: { stagger: 100ms, membership: ${membership} }
workload: { interval: 100ms }
`;

describe('static membership', () => {
  it('core: preload adds the missing names at 0 in order, and start can stay silent', () => {
    const sent: string[] = [];
    const evs: NodeEvent[] = [];
    const out: Outbox = { transmit: (p) => sent.push(p), event: (e) => evs.push(e) };
    const node = new Node('b', 'seed');
    node.preload(['a', 'b', 'c']);
    node.start(0, out, false);
    expect(sent).toEqual([]);
    expect(node.members).toEqual(['b', 'a', 'c']);
    expect(evs[0].type === 'join' && snapshotJson(evs[0].after)).toBe('{"b":0,"a":0,"c":0}');
  });

  it('a run has no handshake datagrams, and no seed receiver dies of an unknown key', async () => {
    const r = await runText(scenario('seed', 'static'));
    expect(r.summary.handshake).toEqual({ announcements: 0, join_seen: 0, replies: 0, reply_seen: 0 });
    expect(r.summary.bytes.handshake).toBe(0);
    expect(r.summary.joins).toBe(6);
    expect(r.summary.receives).toBeGreaterThan(100);
    expect(r.summary.anomalies.receiver_died).toBe(0);
    const joins = ofType(r.events, 'join');
    expect(joins.map((j) => j.msg)).toEqual([0, 0, 0, 0, 0, 0]);
    for (const j of joins) expect(snapshotJson(j.after).split(':').length - 1).toBe(6);
    expect(r.events.some((e) => 'dg' in e && e.dg !== 'chat')).toBe(false);
    // Message ids are the chat messages only, numbered from 1.
    expect(ofType(r.events, 'send').map((s) => s.msg).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('the handshake stays the default: the same scenario without the option announces', async () => {
    const r = await runText(scenario('seed', 'handshake'));
    expect(r.summary.handshake.announcements).toBe(6);
    expect(ofType(r.events, 'join').every((j) => j.msg > 0)).toBe(true);
  });

  it('refuses a wrong value, and live runs', () => {
    expect(() => loadScenarioText(scenario('seed', 'gossip'), 't.yaml')).toThrow(/expected handshake or static/);
    expect(() => liveOptions(loadScenarioText(scenario('fidge-mattern', 'static'), 't.yaml'), 1, {})).toThrow(/static membership/);
  });
});

describe('protocol: recv_buffer', () => {
  const big = (buf: string) => `
nodes: 200
duration: 300ms
protocol: { clock: fidge-mattern${buf} }
network: { latency: { dist: constant, value: 1ms }, deliver_to_self: false }
join: { membership: static }
workload: { process: fixed, interval: 100ms, senders: [n0] }
`;
  it('the seed buffer truncates a 200-node clock; a larger one lets it arrive whole', async () => {
    const seedBuf = await runText(big(''));
    expect(seedBuf.summary.receives).toBe(0);
    expect(seedBuf.summary.deliveries.ignored).toBe(2 * 199);
    const large = await runText(big(', recv_buffer: 65507'));
    expect(large.summary.receives).toBe(2 * 199);
    expect(large.summary.deliveries.ignored).toBe(0);
  });

  it('refuses a value out of range, and live runs with another buffer', () => {
    expect(() => loadScenarioText(big(', recv_buffer: 0'), 't.yaml')).toThrow(/whole number of bytes/);
    expect(() => liveOptions(loadScenarioText(big(', recv_buffer: 4096').replace('membership: static', 'membership: handshake'), 't.yaml'), 1, {})).toThrow(/recv_buffer/);
  });
});
