// Issue 16, item 9 "Not faithful: the own-copy order": the original splits a chat datagram on
// "##", compares the sender's name with its own and drops its own copy, and only then splits
// on "@@" (docs/protocol.md, "Classification and parse order").
import { describe, expect, it } from 'vitest';
import { Node, type NodeEvent, type Outbox } from '../../src/core/node.js';
import { Datagram, encodeChat } from '../../src/core/wire.js';
import { ofType, runFile, runText } from '../helpers/sim.js';

class Recorder implements Outbox {
  sent: string[] = [];
  events: NodeEvent[] = [];
  transmit(p: string): void { this.sent.push(p); }
  event(e: NodeEvent): void { this.events.push(e); }
}

describe('item 9: the own-copy order', () => {
  it('a seed node survives its own chat whose text contains "@@" and dies on the same text from a peer', () => {
    const a = new Node('a', 'seed');
    const out = new Recorder();
    a.start(0, out);
    a.send(1, 'p@@q', out);
    const own = new Datagram(out.sent[1]);
    a.receive(2, own, out);
    expect(a.receiving).toBe(true);
    expect(out.events.at(-1)).toMatchObject({ type: 'ignored', reason: 'own' });
    a.receive(3, new Datagram(encodeChat('b', 'p@@q', ['b'], [1])), out);
    expect(a.receiving).toBe(false);
    expect(out.events.at(-1)).toMatchObject({ type: 'receiver_died', cause: 'unparsable' });
  });

  it('a text with "##" still kills everyone, the sender too (the "##" split comes first)', () => {
    const a = new Node('a', 'seed');
    const out = new Recorder();
    a.start(0, out);
    a.send(1, 'x##y', out);
    a.receive(2, new Datagram(out.sent[1]), out);
    expect(a.receiving).toBe(false);
  });

  it('a seed sender survives its own over-long message (truncated past "@@")', () => {
    const a = new Node('a', 'seed');
    const out = new Recorder();
    a.start(0, out);
    a.send(1, 'x'.repeat(3000), out);
    a.receive(2, new Datagram(out.sent[1]), out);
    expect(a.receiving).toBe(true);
    expect(out.events.at(-1)).toMatchObject({ type: 'ignored', reason: 'own' });
  });

  it('simulated: a 2-node seed scenario with text "a@@b {seq}" has no fatal own delivery', async () => {
    const r = await runText('name: at\nnodes: 2\nduration: 1s\nprotocol: {clock: seed}\nworkload: {process: fixed, interval: 200ms, count: 2, text: "a@@b {seq}"}\n');
    const deaths = ofType(r.events, 'receiver_died');
    expect(deaths.length).toBe(2);
    for (const d of deaths) expect(d.from).not.toBe(d.node);
    expect(ofType(r.events, 'ignored').filter((e) => e.reason === 'own' && e.dg === 'chat').length).toBeGreaterThan(0);
  });

  it('scenarios/long-message.yaml: n0 drops its own truncated message and dies on n1\'s', async () => {
    const r = await runFile('scenarios/long-message.yaml');
    const n0 = ofType(r.events, 'receiver_died').filter((e) => e.node === 'n0');
    expect(n0).toHaveLength(1);
    expect(n0[0].from).toBe('n1');
  });
});
