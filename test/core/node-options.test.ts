// The core Node's badDatagram override: what a live `vcsim node` relies on to report a
// hostile datagram and carry on, and --faithful to die as the seed does.

import { describe, expect, it } from 'vitest';
import { Node, type NodeEvent, type Outbox } from '../../src/core/node.js';
import { Datagram, encodeChat, encodeJoin } from '../../src/core/wire.js';
import { snapshotJson } from '../../src/core/clock.js';

function outbox(): Outbox & { events: NodeEvent[]; sent: string[] } {
  const events: NodeEvent[] = [];
  const sent: string[] = [];
  return { events, sent, transmit: (p) => sent.push(p), event: (e) => events.push(e) };
}

function last(o: { events: NodeEvent[] }): NodeEvent {
  return o.events[o.events.length - 1];
}

const hostile: [string, string][] = [
  ['unknown key', 'bob##hi@@{"bob": 1, "carol": 2}'],
  ['negative value', 'bob##hi@@{"bob": -3}'],
  ['non-integer value', 'bob##hi@@{"bob": 1.5}'],
  ['enormous value', 'bob##hi@@{"bob": 1e400}'],
  ['string value', 'bob##hi@@{"bob": "1"}'],
  ['not JSON', 'bob##hi@@{"bob": 1'],
  ['two separators', 'bob##hi##there@@{"bob": 1}'],
];

describe('Node badDatagram override', () => {
  for (const [what, payload] of hostile) {
    it(`ignore: a seed node reports ${what} and keeps receiving, clock unchanged`, () => {
      const o = outbox();
      const n = new Node('alice', 'seed', { badDatagram: 'ignore' });
      n.start(0, o);
      n.receive(1, new Datagram(encodeJoin('bob')), o);
      const before = snapshotJson(n.snapshot());
      n.receive(2, new Datagram(payload), o);
      const e = last(o);
      expect(e.type).toBe('ignored');
      expect(n.receiving).toBe(true);
      expect(snapshotJson(n.snapshot())).toBe(before);
      n.receive(3, new Datagram(encodeChat('bob', 'ok', ['bob'], [4])), o);
      expect(last(o).type).toBe('receive');
      expect(snapshotJson(n.snapshot())).toBe('{"alice":0,"bob":4}');
    });
  }

  it('without the override the seed node dies on an unknown key, as the simulator models', () => {
    const o = outbox();
    const n = new Node('alice', 'seed');
    n.start(0, o);
    n.receive(1, new Datagram(hostile[0][1]), o);
    expect(last(o).type).toBe('receiver_died');
    expect(n.receiving).toBe(false);
  });

  it('die: a fidge-mattern node made faithful dies on an unparsable datagram', () => {
    const o = outbox();
    const n = new Node('alice', 'fidge-mattern', { badDatagram: 'die' });
    n.start(0, o);
    n.receive(1, new Datagram('garbage'), o);
    expect(last(o).type).toBe('receiver_died');
  });

  it('a faithful seed node merging an enormous value keeps its trace JSON valid', () => {
    const o = outbox();
    const n = new Node('alice', 'seed');
    n.start(0, o);
    n.receive(1, new Datagram(encodeJoin('bob')), o);
    n.receive(2, new Datagram('bob##hi@@{"bob": 1e400}'), o);
    expect(n.receiving).toBe(true);
    expect(() => JSON.parse(snapshotJson(n.snapshot()))).not.toThrow();
  });
});
