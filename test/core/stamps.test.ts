// The stamp rules of src/core/stamps.ts against docs/clocks.md: each rule's encoding, its
// documented size in bytes, decoding, comparison, and what a send and a receive do.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Node, type NodeEvent, type Outbox } from '../../src/core/node.js';
import { isClockRuleName, parseClockRule } from '../../src/core/rules.js';
import { bloomCells, bloomRule, compareCounters, countersSize, encodeCounters, fnv1a, hlcRule, hlcView, physicalTime, plausibleRule, stampRule, type Counters, type Hlc } from '../../src/core/stamps.js';
import { Datagram, encodeJoin } from '../../src/core/wire.js';

class Recorder implements Outbox {
  sent: string[] = [];
  events: NodeEvent[] = [];
  transmit(p: string): void { this.sent.push(p); }
  event(e: NodeEvent): void { this.events.push(e); }
}

const counters = (n: number): fc.Arbitrary<number[]> => fc.array(fc.maxSafeNat(), { minLength: n, maxLength: n });
const utf8 = (s: string): number => Buffer.byteLength(s);

describe('rule names', () => {
  it('parses the parameterised forms and refuses others', () => {
    expect(parseClockRule('plausible:4')).toEqual({ kind: 'plausible', entries: 4 });
    expect(parseClockRule('bloom:64x3')).toEqual({ kind: 'bloom', cells: 64, hashes: 3 });
    expect(parseClockRule('hlc')).toEqual({ kind: 'hlc' });
    expect(parseClockRule('differential')).toEqual({ kind: 'differential' });
    for (const bad of ['plausible:0', 'plausible:04', 'plausible', 'bloom:64', 'bloom:0x1', 'bloom:64x0', 'bloom:64x65', 'Lamport', 'itc:1', 'toString', 'constructor']) {
      expect(isClockRuleName(bad), bad).toBe(false);
    }
  });
});

describe('wire encoding and size (docs/clocks.md, "The rules")', () => {
  it('counter stamps: size is 2 brackets + commas + digits, and decode inverts encode', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }).chain(counters), (s) => {
      const text = encodeCounters(s);
      expect(countersSize(s)).toBe(utf8(text));
      expect(plausibleRule(s.length).decode(text)).toEqual(s);
      expect(bloomRule(s.length, 2).size(s)).toBe(utf8(text));
      expect(plausibleRule(s.length + 1).decode(text)).toBeNull();
    }));
  });

  it('hlc: size is 3 + digits of l + digits of c, and decode inverts encode', () => {
    const r = hlcRule();
    fc.assert(fc.property(fc.maxSafeNat(), fc.nat(), (l, c) => {
      const s: Hlc = { l, c };
      expect(r.size(s)).toBe(utf8(r.encode(s)));
      expect(r.decode(r.encode(s))).toEqual(s);
    }));
    expect(r.encode({ l: 1500, c: 2 })).toBe('[1500,2]');
  });

  it('refuses text that is not a stamp', () => {
    const r = plausibleRule(3);
    for (const bad of ['', '[]', '[1,2]', '[1,2,3,4]', '[1, 2, 3]', '[01,2,3]', '[-1,2,3]', '{"a": 1}', '[1,2,3.5]', '[1,2,99999999999999999]']) expect(r.decode(bad), bad).toBeNull();
  });

  it('a chat datagram is name##text@@stamp, its bytes the documented sum', () => {
    for (const rule of ['plausible:3', 'bloom:16x2', 'hlc'] as const) {
      const node = new Node('n1', rule, { index: 1 });
      const out = new Recorder();
      node.start(0, out);
      node.send(1000, 'hello', out);
      const sr = stampRule(rule)!;
      const payload = out.sent[1];
      const stampText = payload.slice(payload.indexOf('@@') + 2);
      const stamp = sr.decode(stampText);
      expect(stamp, rule).not.toBeNull();
      expect(utf8(payload)).toBe(utf8('n1') + 2 + utf8('hello') + 2 + sr.size(stamp));
    }
  });
});

describe('plausible:R', () => {
  it('node i counts in entry i mod R; a receive merges by max and counts', () => {
    const out = new Recorder();
    const a = new Node('a', 'plausible:2', { index: 3 });
    const b = new Node('b', 'plausible:2', { index: 0 });
    a.start(0, out);
    b.start(0, out);
    a.send(1, 'x', out);
    expect(out.sent.at(-1)).toBe('a##x@@[0,1]');
    b.receive(2, new Datagram(out.sent.at(-1)!), out);
    expect(out.events.at(-1)).toMatchObject({ type: 'receive', after: { values: [1, 1] } });
    b.send(3, 'y', out);
    expect(out.sent.at(-1)).toBe('b##y@@[2,1]');
  });

  it('ignores a stamp of the wrong shape, as unparsable', () => {
    const out = new Recorder();
    const b = new Node('b', 'plausible:2');
    b.start(0, out);
    b.receive(1, new Datagram(encodeJoin('a')), out);
    b.receive(2, new Datagram('a##x@@{"a": 1}'), out);
    expect(out.events.at(-1)).toMatchObject({ type: 'ignored', reason: 'unparsable' });
  });
});

describe('bloom:MxK', () => {
  it('an event adds k hashed increments, the same for the same node and event number', () => {
    const h = fnv1a('n0');
    expect(bloomCells(h, 1, 64, 3)).toEqual(bloomCells(fnv1a('n0'), 1, 64, 3));
    const out = new Recorder();
    const a = new Node('n0', 'bloom:64x3');
    a.start(0, out);
    a.send(1, 'x', out);
    const s = bloomRule(64, 3).decode(out.sent[1].split('@@')[1])!;
    expect(s.reduce((x, y) => x + y, 0)).toBe(3);
    for (const c of bloomCells(h, 1, 64, 3)) expect(s[c]).toBeGreaterThan(0);
  });

  it('cells spread over all of m (no cell favoured by more than 3x its share over 10^4 events)', () => {
    const hits = new Array<number>(32).fill(0);
    for (let e = 1; e <= 10_000; e++) for (const c of bloomCells(fnv1a('n7'), e, 32, 2)) hits[c]++;
    expect(Math.max(...hits)).toBeLessThan(3 * 20_000 / 32);
    expect(Math.min(...hits)).toBeGreaterThan(20_000 / 32 / 3);
  });
});

describe('compare', () => {
  it('counter stamps compare componentwise', () => {
    const cases: [Counters, Counters, string][] = [[[1, 2], [1, 2], 'equal'], [[1, 2], [1, 3], 'before'], [[2, 2], [1, 3], 'concurrent'], [[2, 3], [1, 3], 'after']];
    for (const [a, b, r] of cases) expect(compareCounters(a, b)).toBe(r);
  });

  it('hlc compares (l, c) lexicographically, and its view keeps that order', () => {
    const r = hlcRule();
    fc.assert(fc.property(fc.nat(2 ** 30), fc.nat(2 ** 19), fc.nat(2 ** 30), fc.nat(2 ** 19), (l1, c1, l2, c2) => {
      const a = { l: l1, c: c1 };
      const b = { l: l2, c: c2 };
      const v = hlcView(a) - hlcView(b);
      expect(r.compare(a, b)).toBe(v < 0 ? 'before' : v > 0 ? 'after' : 'equal');
    }));
  });
});

describe('hlc', () => {
  it('follows the physical clock, a counter breaking ties (Kulkarni et al., Figure 5)', () => {
    const out = new Recorder();
    const fast = new Node('f', 'hlc', { physical: { offset: 1000, driftPpm: 0 } });
    const slow = new Node('s', 'hlc', { physical: { offset: 0, driftPpm: 0 } });
    fast.start(0, out);
    slow.start(0, out);
    fast.send(10, 'x', out);
    expect(out.sent.at(-1)).toBe('f##x@@[1010,0]');
    fast.send(10, 'y', out);
    expect(out.sent.at(-1)).toBe('f##y@@[1010,1]');
    slow.receive(20, new Datagram(out.sent.at(-1)!), out);
    slow.send(30, 'z', out);
    expect(out.sent.at(-1)).toBe('s##z@@[1010,3]');
    slow.send(2000, 'w', out);
    expect(out.sent.at(-1)).toBe('s##w@@[2000,0]');
  });

  it('physical time: now + offset + drift, never below 0', () => {
    expect(physicalTime({ offset: -50, driftPpm: 0 }, 10)).toBe(0);
    expect(physicalTime({ offset: 5, driftPpm: 100 }, 1_000_000)).toBe(1_000_105);
    expect(physicalTime(undefined, 7)).toBe(7);
  });
});

describe('itc handshake', () => {
  it('a newcomer asks for an id; an answer forks the spare half; until then its events count nothing', () => {
    const out = new Recorder();
    const old = new Node('n0', 'itc', { itcId: 1 });
    const late = new Node('n9', 'itc');
    old.start(0, out);
    late.start(0, out);
    expect(out.sent).toEqual(['NEW_CONNECTION==n0', 'NEW_CONNECTION==n9==itc-id']);
    late.send(1, 'early', out);
    expect(out.sent.at(-1)).toBe('n9##early@@0'); // id 0: no event counted (a lost reply does this for good)
    old.receive(2, new Datagram('NEW_CONNECTION==n9==itc-id'), out);
    expect(out.sent.at(-1)).toBe('EXISTING_CONNECTION==n0==n9 (0,(0,1))'); // half of n0's spare [1/2, 1)
    old.send(3, 'a', out);
    expect(out.sent.at(-1)).toBe('n0##a@@(0,1,0)'); // n0 counts in its active half [0, 1/2)
    late.receive(4, new Datagram(out.sent.at(-1)!), out);
    late.receive(5, new Datagram('EXISTING_CONNECTION==n0==n9 (0,(0,1))'), out);
    late.send(6, 'b', out);
    expect(out.sent.at(-1)).toBe('n9##b@@(0,1,(0,0,(0,1,0)))'); // n0's event, and n9's own in [3/4, 7/8)
    // A reply meant for another newcomer is not taken.
    const other = new Node('n8', 'itc');
    other.start(0, out);
    other.receive(7, new Datagram('EXISTING_CONNECTION==n0==n9 (0,(0,1))'), out);
    other.send(8, 'c', out);
    expect(out.sent.at(-1)).toBe('n8##c@@0');
  });
});
