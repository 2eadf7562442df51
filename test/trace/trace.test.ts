// The trace contract (src/trace/): its text form, the bus that hands it out, the digest over
// its bytes, and reading it back. Everything a run writes is derived from these.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceBus, type TraceConsumer } from '../../src/trace/bus.js';
import { DigestConsumer } from '../../src/trace/digest.js';
import { encodeEventV1, encodeHeader, TraceEncoder } from '../../src/trace/encode.js';
import { TRACE_FORMAT, type TraceEvent, type TraceHeader } from '../../src/trace/events.js';
import { isHeader, readTraceLines } from '../../src/trace/read.js';
import { tempDir } from '../helpers/cli.js';

const HEADER: TraceHeader = {
  type: 'header', vcsim: '0.0.0-test', format: TRACE_FORMAT, transport: 'sim', replayable: true,
  seed: 7, clock: 'seed', nodes: ['a', 'b'], scenario: { name: 't' }, faults: [],
};
const SEND: TraceEvent = {
  type: 'send', ev: 1, t: 1500, node: 'a', msg: 3, text: 'hi "there"', bytes: 31,
  before: { names: ['a', 'b'], values: [0, 0] }, after: { names: ['a', 'b'], values: [1, 0] },
};

/** Format-2 lines of a header and events, as the bus writes them. */
const encode2 = (events: TraceEvent[]): string[] => {
  const x = new TraceEncoder();
  return [x.header(HEADER), ...events.map((e) => x.event(e))];
};

describe('encode, format 1', () => {
  it('writes an event as one JSON line, keys in the order built, clocks as objects', () => {
    const line = encodeEventV1(SEND);
    expect(line).toBe('{"type":"send","ev":1,"t":1500,"node":"a","msg":3,"text":"hi \\"there\\"","bytes":31,"before":{"a":0,"b":0},"after":{"a":1,"b":0}}');
    expect(JSON.parse(line)).toMatchObject({ type: 'send', text: 'hi "there"', after: { a: 1, b: 0 } });
  });

  it('leaves out undefined fields and writes a Lamport clock as a number', () => {
    const e = { type: 'join', ev: 0, t: 0, node: 'a', msg: 0, after: 4, extra: undefined } as unknown as TraceEvent;
    expect(encodeEventV1(e)).toBe('{"type":"join","ev":0,"t":0,"node":"a","msg":0,"after":4}');
  });
});

describe('encode, format 2', () => {
  it('writes node names as ids into the header\'s nodes, a first clock whole and later ones as changed entries', () => {
    // The same node's snapshots share its name list (src/core/clock.ts).
    const names = ['a', 'b'];
    const join: TraceEvent = { type: 'join', ev: 0, t: 0, node: 'a', msg: 1, after: { names, values: [0, 0] } };
    const send = { ...SEND, before: { names, values: [0, 0] }, after: { names, values: [1, 0] } } as TraceEvent;
    const lines = encode2([join, send]);
    expect(lines[1]).toBe('{"type":"join","ev":0,"t":0,"node":0,"msg":1,"A":[0,0,1,0]}');
    // before equals a's last clock: left out; after changed one entry.
    expect(lines[2]).toBe('{"type":"send","ev":1,"t":1500,"node":0,"msg":3,"text":"hi \\"there\\"","bytes":31,"a":[0,1]}');
  });

  it('writes a clock-before that differs from the node\'s last clock, a restarted clock whole, and new names once', () => {
    const names = ['a', 'b'];
    const join: TraceEvent = { type: 'join', ev: 0, t: 0, node: 'a', msg: 1, after: { names, values: [0, 0] } };
    const odd: TraceEvent = { ...SEND, ev: 1, before: { names, values: [0, 5] }, after: { names: [...names, 'zz'], values: [1, 5, 2] } } as TraceEvent;
    const fresh = ['a'];
    const restarted: TraceEvent = { ...SEND, ev: 2, before: { names: fresh, values: [0] }, after: { names: fresh, values: [1] } } as TraceEvent;
    const lines = encode2([join, odd, restarted]);
    expect(lines[2]).toContain('"b":[1,5],"A":[0,1,1,5,2,2],"new":["zz"]}');
    expect(lines[3]).toContain('"B":[0,0],"a":[0,1]}');
    expect(lines[3]).not.toContain('"new"');
  });

  it('writes a Lamport clock as a number, its before only when it differs', () => {
    const lam = (ev: number, before: number, after: number): TraceEvent => ({ ...SEND, ev, before, after }) as TraceEvent;
    const lines = encode2([lam(1, 0, 1), lam(2, 1, 2), lam(3, 5, 6)]);
    expect(lines[1]).toMatch(/"B":0,"A":1}$/);
    expect(lines[2]).toMatch(/"bytes":31,"A":2}$/);
    expect(lines[3]).toMatch(/"B":5,"A":6}$/);
  });
});

describe('bus', () => {
  it('hands every consumer each event in order, with the line only when one wants lines', () => {
    const seen: string[] = [];
    const plain: TraceConsumer = { event: (e, line) => seen.push(`plain ${e.type} [${line}]`) };
    const bus = new TraceBus([plain]);
    bus.header(HEADER);
    bus.emit(SEND);
    expect(seen).toEqual(['plain send []']);
    expect(bus.wantsClocks).toBe(false);

    const lines: string[] = [];
    const wants: TraceConsumer = { wantsLines: true, header: (_h, line) => lines.push(line), event: (_e, line) => lines.push(line) };
    const bus2 = new TraceBus([wants]);
    bus2.header(HEADER);
    bus2.emit(SEND);
    expect(lines).toEqual(encode2([SEND]));
    expect(bus2.wantsClocks).toBe(true);
  });
});

describe('digest', () => {
  const digestOf = (events: TraceEvent[]): string => {
    const d = new DigestConsumer();
    const bus = new TraceBus([d]);
    bus.header(HEADER);
    for (const e of events) bus.emit(e);
    return d.digest;
  };

  it('is a sha256 of the JSONL text, equal for equal traces and different for one changed byte', () => {
    const a = digestOf([SEND]);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestOf([SEND])).toBe(a);
    expect(digestOf([{ ...SEND, t: 1501 } as TraceEvent])).not.toBe(a);
  });

  it('covers long traces hashed in chunks the same as the text written whole', async () => {
    const { createHash } = await import('node:crypto');
    const events = Array.from({ length: 2000 }, (_, i) => ({ ...SEND, ev: i, t: i * 10 }) as TraceEvent);
    const text = encode2(events).join('\n') + '\n';
    expect(digestOf(events)).toBe('sha256:' + createHash('sha256').update(text).digest('hex'));
  });
});

describe('read', () => {
  it('streams a trace file back: the header first, then each event, skipping blank lines', async () => {
    const file = join(tempDir(), 'trace.jsonl');
    writeFileSync(file, `${encodeHeader(HEADER)}\n${encodeEventV1(SEND)}\n\n`);
    const got = [];
    for await (const l of readTraceLines(file)) got.push(l);
    expect(got).toHaveLength(2);
    expect(isHeader(got[0].value)).toBe(true);
    expect(isHeader(got[1].value)).toBe(false);
    expect(got[1].text).toBe(encodeEventV1(SEND));
  });
});
