// The core node against docs/protocol.md, "Node behaviour" and "Quirks", point by point.
import { describe, expect, it } from 'vitest';
import { snapshotJson } from '../../src/core/clock.js';
import { Node, type NodeEvent, type Outbox } from '../../src/core/node.js';
import type { ClockRuleName } from '../../src/core/rules.js';
import { Datagram, encodeChat, encodeJoin, encodeReply } from '../../src/core/wire.js';

class Recorder implements Outbox {
  sent: string[] = [];
  events: NodeEvent[] = [];
  transmit(p: string): void { this.sent.push(p); }
  event(e: NodeEvent): void { this.events.push(e); }
  get last(): NodeEvent { return this.events[this.events.length - 1]; }
}

function started(name: string, rule: ClockRuleName = 'seed'): { node: Node; out: Recorder } {
  const node = new Node(name, rule);
  const out = new Recorder();
  node.start(0, out);
  return { node, out };
}

const clockOf = (n: Node): string => snapshotJson(n.snapshot());
const dg = (s: string): Datagram => new Datagram(s);

describe('seed rule: protocol.md steps 1-5', () => {
  it('1. starts with {name: 0} and broadcasts NEW_CONNECTION==name', () => {
    const { node, out } = started('alice');
    expect(clockOf(node)).toBe('{"alice":0}');
    expect(out.sent).toEqual(['NEW_CONNECTION==alice']);
    expect(out.events[0]).toMatchObject({ type: 'join', node: 'alice' });
  });

  it('2. a join announcement adds the newcomer at 0 and broadcasts a reply to everybody', () => {
    const { node, out } = started('alice');
    node.receive(5, dg(encodeJoin('bob')), out);
    expect(clockOf(node)).toBe('{"alice":0,"bob":0}');
    expect(out.sent[1]).toBe('EXISTING_CONNECTION==alice');
    expect(out.last).toMatchObject({ type: 'join_seen', peer: 'bob', reset: false, t: 5 });
  });

  it('2. a join announcement RESETS an existing entry (rejoin under the same name)', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeJoin('bob')), out);
    node.receive(2, dg(encodeChat('bob', 'hi', ['bob', 'alice'], [3, 0])), out);
    expect(clockOf(node)).toBe('{"alice":0,"bob":3}');
    node.receive(3, dg(encodeJoin('bob')), out);
    expect(clockOf(node)).toBe('{"alice":0,"bob":0}');
    expect(out.last).toMatchObject({ type: 'join_seen', reset: true });
  });

  it('3. a join reply adds a missing entry and leaves a known one', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    expect(clockOf(node)).toBe('{"alice":0,"bob":0}');
    node.receive(2, dg(encodeChat('bob', 'x', ['bob', 'alice'], [2, 0])), out);
    node.receive(3, dg(encodeReply('bob')), out);
    expect(clockOf(node)).toBe('{"alice":0,"bob":2}');
    expect(out.sent).toEqual(['NEW_CONNECTION==alice']);
  });

  it('4. a send increments the own entry and attaches the whole clock', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    node.send(2, 'hello', out);
    expect(out.sent[1]).toBe('alice##hello@@{"alice": 1, "bob": 0}');
    expect(out.last).toMatchObject({ type: 'send', text: 'hello' });
    const e = out.last as Extract<NodeEvent, { type: 'send' }>;
    expect(snapshotJson(e.before)).toBe('{"alice":0,"bob":0}');
    expect(snapshotJson(e.after)).toBe('{"alice":1,"bob":0}');
  });

  it('5. a receive merges by max and does NOT increment the own entry', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    node.send(2, 'a', out);
    node.receive(3, dg(encodeChat('bob', 'b', ['bob', 'alice'], [4, 0])), out);
    expect(clockOf(node)).toBe('{"alice":1,"bob":4}');
  });

  it('5. its own broadcasts come back and are ignored by name', () => {
    const { node, out } = started('alice');
    node.send(1, 'x', out);
    node.receive(2, dg(out.sent[1]), out);
    node.receive(3, dg(out.sent[0]), out);
    expect(clockOf(node)).toBe('{"alice":1}');
    expect(out.events.slice(-2).map((e) => e.type)).toEqual(['ignored', 'ignored']);
  });
});

describe('seed rule: quirks', () => {
  it('unknown key: the receiver dies for good, after merging the keys before it', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    node.receive(2, dg(encodeChat('bob', 'x', ['bob', 'carol', 'alice'], [2, 1, 0])), out);
    expect(node.receiving).toBe(false);
    expect(out.last).toMatchObject({ type: 'receiver_died', cause: 'unknown_key' });
    expect(clockOf(node)).toBe('{"alice":0,"bob":2}');
    // It can still send.
    node.send(3, 'still here', out);
    expect(out.sent[out.sent.length - 1]).toBe('alice##still here@@{"alice": 1, "bob": 2}');
    expect(() => node.receive(4, dg(encodeJoin('dave')), out)).toThrow(/bug/);
  });

  it('a chat message from a sender whose join was lost kills the receiver', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeChat('bob', 'x', ['bob'], [1])), out);
    expect(out.last).toMatchObject({ type: 'receiver_died', cause: 'unknown_key', detail: 'no entry for "bob"' });
  });

  it('an unparsable datagram kills the receiver', () => {
    for (const bad of ['garbage', 'a##b##c@@{}', 'bob##x@@{not json', 'bob##x@@[1]']) {
      const { node, out } = started('alice');
      node.receive(1, dg(encodeReply('bob')), out);
      node.receive(2, dg(bad), out);
      expect(node.receiving, bad).toBe(false);
      expect(out.last, bad).toMatchObject({ type: 'receiver_died', cause: 'unparsable' });
    }
  });

  it('a clock value that is not a number kills the receiver (Python max() TypeError)', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    node.receive(2, dg('bob##x@@{"bob": "1"}'), out);
    expect(out.last).toMatchObject({ type: 'receiver_died', cause: 'bad_value' });
  });

  it('a chat text containing NEW_CONNECTION== is taken for a join', () => {
    const { node, out } = started('alice');
    node.receive(1, dg('bob##NEW_CONNECTION==eve@@{"bob": 1}'), out);
    expect(out.last).toMatchObject({ type: 'join_seen', peer: 'eve@@{"bob": 1}' });
  });

  it('a name with ## makes its own chat unparsable for every peer, itself included', () => {
    const { node, out } = started('a##b');
    node.send(1, 'x', out);
    node.receive(2, dg(out.sent[1]), out);
    expect(out.last).toMatchObject({ type: 'receiver_died', cause: 'unparsable' });
  });

  it('receives share timestamps: two receives with no send between can carry equal clocks', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeReply('bob')), out);
    node.receive(2, dg(encodeChat('bob', 'x', ['bob', 'alice'], [1, 0])), out);
    node.receive(3, dg(encodeChat('bob', 'x', ['bob', 'alice'], [1, 0])), out); // a duplicate
    const [r1, r2] = out.events.filter((e) => e.type === 'receive') as Extract<NodeEvent, { type: 'receive' }>[];
    expect(snapshotJson(r1.after)).toBe(snapshotJson(r2.after));
  });

  it('duplicate names merge two nodes into one entry', () => {
    const { node, out } = started('alice');
    node.receive(1, dg(encodeJoin('bob')), out);
    node.receive(2, dg(encodeJoin('bob')), out);
    expect(node.members).toEqual(['alice', 'bob']);
  });
});

describe('fidge-mattern rule', () => {
  it('increments on send and on receive, adopts unknown keys, never resets', () => {
    const { node, out } = started('alice', 'fidge-mattern');
    node.receive(1, dg(encodeChat('bob', 'x', ['bob', 'carol'], [2, 1])), out);
    expect(clockOf(node)).toBe('{"alice":1,"bob":2,"carol":1}');
    node.receive(2, dg(encodeJoin('bob')), out);
    expect(clockOf(node)).toBe('{"alice":1,"bob":2,"carol":1}');
    node.send(3, 'y', out);
    expect(clockOf(node)).toBe('{"alice":2,"bob":2,"carol":1}');
    expect(node.receiving).toBe(true);
  });

  it('ignores an unparsable datagram and keeps receiving', () => {
    const { node, out } = started('alice', 'fidge-mattern');
    node.receive(1, dg('garbage'), out);
    expect(node.receiving).toBe(true);
    expect(out.last).toMatchObject({ type: 'ignored', reason: 'unparsable' });
  });
});

describe('lamport rule', () => {
  it('keeps one integer: +1 on send, max+1 on receive', () => {
    const { node, out } = started('alice', 'lamport');
    node.send(1, 'a', out);
    expect(out.sent[1]).toBe('alice##a@@{"alice": 1}');
    node.receive(2, dg(encodeChat('bob', 'b', ['bob'], [5])), out);
    expect(node.snapshot()).toBe(6);
    node.receive(3, dg(encodeChat('bob', 'b', ['bob'], [2])), out);
    expect(node.snapshot()).toBe(7);
    expect(node.knows('bob')).toBe(true);
  });
});
