// The trace contract (src/trace/): its text form, the bus that hands it out, the digest over
// its bytes, and reading it back. Everything a run writes is derived from these.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceBus, type TraceConsumer } from '../../src/trace/bus.js';
import { DigestConsumer } from '../../src/trace/digest.js';
import { encodeEvent, encodeHeader } from '../../src/trace/encode.js';
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

describe('encode', () => {
  it('writes an event as one JSON line, keys in the order built, clocks as objects', () => {
    const line = encodeEvent(SEND);
    expect(line).toBe('{"type":"send","ev":1,"t":1500,"node":"a","msg":3,"text":"hi \\"there\\"","bytes":31,"before":{"a":0,"b":0},"after":{"a":1,"b":0}}');
    expect(JSON.parse(line)).toMatchObject({ type: 'send', text: 'hi "there"', after: { a: 1, b: 0 } });
  });

  it('leaves out undefined fields and writes a Lamport clock as a number', () => {
    const e = { type: 'join', ev: 0, t: 0, node: 'a', msg: 0, after: 4, extra: undefined } as unknown as TraceEvent;
    expect(encodeEvent(e)).toBe('{"type":"join","ev":0,"t":0,"node":"a","msg":0,"after":4}');
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
    expect(lines).toEqual([encodeHeader(HEADER), encodeEvent(SEND)]);
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
    const text = [encodeHeader(HEADER), ...events.map(encodeEvent)].join('\n') + '\n';
    expect(digestOf(events)).toBe('sha256:' + createHash('sha256').update(text).digest('hex'));
  });
});

describe('read', () => {
  it('streams a trace file back: the header first, then each event, skipping blank lines', async () => {
    const file = join(tempDir(), 'trace.jsonl');
    writeFileSync(file, `${encodeHeader(HEADER)}\n${encodeEvent(SEND)}\n\n`);
    const got = [];
    for await (const l of readTraceLines(file)) got.push(l);
    expect(got).toHaveLength(2);
    expect(isHeader(got[0].value)).toBe(true);
    expect(isHeader(got[1].value)).toBe(false);
    expect(got[1].text).toBe(encodeEvent(SEND));
  });
});
