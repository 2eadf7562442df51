// Format 2 read back as format 1 (src/trace/expand.ts): for any sequence of events, encoding
// as format 2 and expanding gives format 1's text line for line; a real run with resets, a
// crash, receiver deaths and duplicates expands to the format-1 trace vcsim wrote before
// format 2 (test/fixtures/mixed-faults-format1), and its events.csv columns come back from it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { encodeEventV1, TraceEncoder } from '../../src/trace/encode.js';
import { TRACE_FORMAT, type TraceEvent, type TraceHeader } from '../../src/trace/events.js';
import { expandTraceText, TraceExpander } from '../../src/trace/expand.js';
import { readTrace } from '../../src/trace/read.js';
import { tempDir } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csvparse.js';

const FIXTURE = 'test/fixtures/mixed-faults-format1';
const gz = (f: string): string => gunzipSync(readFileSync(join(FIXTURE, f))).toString('utf8');

const HEADER: TraceHeader = {
  type: 'header', vcsim: '0.0.0-test', format: TRACE_FORMAT, transport: 'sim', replayable: true,
  seed: 1, clock: 'seed', nodes: ['a', 'b', 'c'], scenario: { name: 't' }, faults: [],
};

/**
 * Random node events of a few nodes, each node's clock evolving as nodes' clocks do: values
 * change, names are appended (some not in the header, some integer-like), sometimes the clock
 * restarts (a new name list), sometimes the clock-before is not the last clock-after, and
 * values may be non-finite (a hostile peer's).
 */
const step = fc.record({
  node: fc.constantFrom('a', 'b', 'c'),
  kind: fc.constantFrom('receive', 'send', 'join', 'drop'),
  restart: fc.boolean(),
  skew: fc.boolean(),
  changes: fc.array(fc.record({ slot: fc.nat(6), value: fc.oneof(fc.nat(1000), fc.constantFrom(Infinity, -Infinity)) }), { maxLength: 4 }),
  add: fc.array(fc.constantFrom('a', 'b', 'c', 'x"y', '17', 'é'), { maxLength: 2 }),
});

type Step = { node: string; kind: string; restart: boolean; skew: boolean; changes: { slot: number; value: number }[]; add: string[] };

function buildEvents(steps: Step[], lamport: boolean): TraceEvent[] {
  const clocks = new Map<string, { names: string[]; values: number[] }>();
  const out: TraceEvent[] = [];
  let ev = 0;
  for (const s of steps) {
    if (s.kind === 'drop') {
      out.push({ type: 'drop', t: ev, msg: 1, from: s.node, sent: 0, copy: 0, dg: 'chat', to: 'zz', outcome: 'dropped', reason: 'loss' });
      continue;
    }
    if (lamport) {
      const before = ev;
      out.push(s.kind === 'join'
        ? { type: 'join', ev, t: ev, node: s.node, msg: 0, after: before + 1 }
        : { type: 'send', ev, t: ev, node: s.node, msg: ev, text: 't', bytes: 1, before: s.skew ? before + 7 : before, after: before + 1 });
      ev++;
      continue;
    }
    let c = clocks.get(s.node);
    if (c === undefined || s.restart) c = { names: [s.node], values: [0] };
    const before = { names: c.names, values: c.values.slice() };
    const values = c.values.slice();
    for (const ch of s.changes) if (ch.slot < values.length) values[ch.slot] = ch.value;
    for (const n of s.add) if (!c.names.includes(n)) { c.names.push(n); values.push(ev); }
    c = { names: c.names, values };
    clocks.set(s.node, c);
    const after = { names: c.names, values: values.slice() };
    const b = s.skew ? { names: before.names, values: before.values.map((v) => v + 1) } : before;
    out.push(s.kind === 'join'
      ? { type: 'join', ev, t: ev, node: s.node, msg: 0, after }
      : { type: 'receive', ev, t: ev, node: s.node, msg: 1, from: 'b', sent: 0, copy: 0, dg: 'chat', before: b, after });
    ev++;
  }
  return out;
}

describe('format 2 expands to format 1', () => {
  it('line for line, for any events (fast-check)', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), fc.boolean(), (steps, lamport) => {
      const events = buildEvents(steps, lamport);
      const enc = new TraceEncoder();
      const text2 = [enc.header(HEADER), ...events.map((e) => enc.event(e))].join('\n') + '\n';
      const text1 = [JSON.stringify(HEADER), ...events.map(encodeEventV1)].join('\n') + '\n';
      expect(expandTraceText(text2)).toBe(text1);
    }), { numRuns: 300 });
  });

  it('passes a format-1 trace through unchanged', () => {
    const text = gz('trace.jsonl.gz');
    expect(expandTraceText(text)).toBe(text);
  });

  it('refuses an id no header or earlier line defined', () => {
    const x = new TraceExpander('t.jsonl');
    x.expand(JSON.stringify(HEADER));
    expect(() => x.expand('{"type":"join","ev":0,"t":0,"node":9,"msg":0,"A":[9,0]}')).toThrow(/t.jsonl:2: name id 9/);
  });
});

describe('a run with resets, a crash, receiver deaths and duplicates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), 'run');
    await runScenario({ loaded: loadScenarioFile('test/fixtures/mixed-faults.yaml'), seed: 1, outDir: dir, visuals: false });
  });

  it('has them all (the fixture is what it claims)', () => {
    const rows = parseCsv(gz('events.csv.gz'));
    expect(rows.some((r) => r.detail === 'reset')).toBe(true);
    expect(rows.some((r) => r.detail === 'duplicate')).toBe(true);
    expect(rows.some((r) => r.kind === 'receiver_died')).toBe(true);
    expect(gz('trace.jsonl.gz')).toContain('"kind":"crash"');
  });

  it('writes format 2, several times smaller, that expands to the format-1 trace line for line', () => {
    const now = readFileSync(join(dir, 'trace.jsonl'), 'utf8');
    const old = gz('trace.jsonl.gz');
    expect(JSON.parse(now.slice(0, now.indexOf('\n'))).format).toBe(2);
    expect(now.length * 1.4).toBeLessThan(old.length);
    const [h1, ...rest1] = old.split('\n');
    const [h2, ...rest2] = expandTraceText(now).split('\n');
    expect(rest2).toEqual(rest1);
    expect({ ...JSON.parse(h2), format: 1 }).toEqual(JSON.parse(h1));
  });

  it('reads only the clocks asked for, and those the same as a whole read', async () => {
    const whole: Record<string, unknown>[] = [];
    for await (const { value } of readTrace(join(dir, 'trace.jsonl'))) whole.push(value);
    const times = whole.map((v) => v.t).filter((t): t is number => typeof t === 'number');
    const mid = times[Math.floor(times.length / 2)];
    const part: Record<string, unknown>[] = [];
    for await (const { value } of readTrace(join(dir, 'trace.jsonl'), (t) => t >= mid)) part.push(value);
    expect(part.length).toBe(whole.length);
    let skipped = 0;
    for (let i = 0; i < whole.length; i++) {
      const w = whole[i], p = part[i];
      if (typeof w.t !== 'number' || w.t >= mid || !('after' in w)) { expect(p).toEqual(w); continue; }
      skipped++;
      const rest = { ...w };
      delete rest.before;
      delete rest.after;
      expect(p).toEqual(rest);
    }
    expect(skipped).toBeGreaterThan(100);
  });

  it("gives back events.csv's columns: clocks whole, names for ids", async () => {
    const rows: string[][] = [];
    for await (const { value: e } of readTrace(join(dir, 'trace.jsonl'))) {
      if (typeof e.ev !== 'number') continue;
      rows.push([String(e.ev), String(e.t), String(e.node), String(e.type), String(e.msg), e.type === 'join' || e.type === 'send' ? '' : String(e.from)]);
    }
    const x = new TraceExpander();
    const clocks: [string, string][] = [];
    for (const line of readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n')) {
      if (line === '') continue;
      const l = x.expand(line);
      if (typeof l.value.ev === 'number') clocks.push([l.clockText('before') ?? '', l.clockText('after') ?? '']);
    }
    const old = parseCsv(gz('events.csv.gz'));
    expect(rows.length).toBe(old.length);
    for (let i = 0; i < old.length; i++) {
      const o = old[i];
      expect([...rows[i], ...clocks[i]], `event ${i}`).toEqual([o.event, o.time_us, o.node, o.kind, o.message, o.peer, o.clock_before, o.clock_after]);
    }
  });
});
