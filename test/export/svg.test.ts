// diagram.svg: well-formed XML, one lane per node, one arrow per delivery in the window, a
// mark per drop and per node event, windows and lane selections cut it, and a very large run
// gets a diagram of a part of it chosen for it (src/export/focus.ts), saying which.
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario, renderRun } from '../../src/api/index.js';
import { DRAW_LIMITS, type RunSlice } from '../../src/export/slice.js';
import { FOCUS_LANES } from '../../src/export/focus.js';
import { fmtTime, renderSvg } from '../../src/export/svg.js';
import type { TraceHeader } from '../../src/trace/events.js';
import { readTrace } from '../../src/trace/read.js';

function parseXml(text: string): Document {
  return new DOMParser({ onError: (level, msg) => { throw new Error(`${level}: ${msg}`); } }).parseFromString(text, 'image/svg+xml');
}

function all(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagName('*')) as Element[];
}

const classes = (el: Element): string[] => (el.getAttribute('class') ?? '').split(/\s+/);
const withClass = (doc: Document, tag: string, cls: string): Element[] => all(doc).filter((e) => e.tagName === tag && classes(e).includes(cls));

async function traceEvents(dir: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const { value } of readTrace(join(dir, 'trace.jsonl'))) if (value.type !== 'header') out.push(value);
  return out;
}

const DELIVERED = new Set(['receive', 'join_seen', 'reply_seen', 'receiver_died']);

let dir: string;
let events: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
  const loaded = loadScenarioFile('scenarios/partition.yaml', []);
  await runScenario({ loaded, seed: 1, outDir: dir });
  events = await traceEvents(dir);
});

describe('diagram.svg', () => {
  it('is well-formed XML with one lane per node, in order', () => {
    const doc = parseXml(readFileSync(join(dir, 'diagram.svg'), 'utf8'));
    expect(doc.documentElement?.tagName).toBe('svg');
    const lanes = withClass(doc, 'g', 'lane').map((g) => g.getAttribute('data-node'));
    expect(lanes).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
  });

  it('draws one arrow per delivery, one mark per node event, one cross per drop, and the partition', () => {
    const doc = parseXml(readFileSync(join(dir, 'diagram.svg'), 'utf8'));
    const deliveries = events.filter((e) => DELIVERED.has(e.type as string));
    const arrows = withClass(doc, 'line', 'arrow');
    expect(arrows.length).toBe(deliveries.length);
    expect(new Set(arrows.map((a) => a.getAttribute('data-ev')))).toEqual(new Set(deliveries.map((e) => String(e.ev))));
    expect(withClass(doc, 'line', 'duplicate').length).toBe(deliveries.filter((e) => e.copy === 1 && e.type !== 'receiver_died').length);
    const marks = withClass(doc, 'g', 'ev');
    expect(marks.length).toBe(events.filter((e) => 'ev' in e).length);
    const drops = events.filter((e) => e.type === 'drop');
    expect(withClass(doc, 'g', 'drop').length).toBe(drops.length);
    expect(withClass(doc, 'g', 'partitioned').length).toBe(drops.filter((e) => e.outcome === 'partitioned').length);
    expect(withClass(doc, 'g', 'partition').length).toBe(1);
    // Every mark's clocks are readable on hover.
    const send = marks.find((g) => classes(g).includes('send'))!;
    const title = send.getElementsByTagName('title')[0].textContent ?? '';
    expect(title).toMatch(/clock before \{.*\}\nclock after +\{.*\}\ntrue vector +\{/);
  });

  it('marks receiver deaths and turns the dead lane dashed', async () => {
    const d = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
    await runScenario({ loaded: loadScenarioFile('scenarios/reordering-death.yaml', []), seed: 1, outDir: d });
    const doc = parseXml(readFileSync(join(d, 'diagram.svg'), 'utf8'));
    const deaths = (await traceEvents(d)).filter((e) => e.type === 'receiver_died');
    expect(deaths.length).toBeGreaterThan(0);
    expect(withClass(doc, 'g', 'receiver_died').length).toBe(deaths.length);
    expect(withClass(doc, 'line', 'dead').length).toBe(deaths.length);
    expect(withClass(doc, 'g', 'receiver_dead').length).toBe((await traceEvents(d)).filter((e) => e.outcome === 'receiver_dead').length);
  });

  it('--window and --nodes-shown cut it: lanes shown in the order given, arrows of deliveries inside only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
    const shown = ['n7', 'n0', 'n3'];
    const r = await renderRun({ runDir: dir, outDir: out, window: [2_500_000, 4_500_000], nodes: shown });
    expect(r.files).toEqual(['diagram.svg', 'report.html', 'shiviz.log']);
    const doc = parseXml(readFileSync(join(out, 'diagram.svg'), 'utf8'));
    expect(withClass(doc, 'g', 'lane').map((g) => g.getAttribute('data-node'))).toEqual(shown);
    const inside = (e: Record<string, unknown>) => (e.t as number) >= 2_500_000 && (e.t as number) <= 4_500_000;
    const expected = events.filter((e) => DELIVERED.has(e.type as string) && inside(e) && shown.includes(e.node as string) && shown.includes(e.from as string));
    expect(expected.length).toBeGreaterThan(5);
    const arrows = withClass(doc, 'line', 'arrow');
    expect(arrows.map((a) => a.getAttribute('data-ev')).sort()).toEqual(expected.map((e) => String(e.ev)).sort());
    const marks = withClass(doc, 'g', 'ev');
    expect(marks.length).toBe(events.filter((e) => 'ev' in e && inside(e) && shown.includes(e.node as string)).length);
  });

  it('a very large run gets a diagram of a part of it, saying which part and the command that draws others', async () => {
    const d = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
    const r = await runScenario({ loaded: loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 40, flag: '--nodes' }, { path: ['duration'], value: '6s', flag: '--duration' }]), seed: 1, outDir: d });
    expect(r.pictures).toBe('part');
    expect(r.files).toContain('report.html');
    expect(r.files).not.toContain('shiviz.log');
    const focus = r.focus!;
    expect(focus.nodes.length).toBeLessThanOrEqual(FOCUS_LANES);
    // Around the first anomaly, which is on a shown lane and inside the window.
    const first = r.summary.anomaly_examples[0];
    expect(focus.why).toContain(`first anomaly (${first.kind} at ${first.node}`);
    expect(focus.nodes).toContain(first.node);
    expect(first.time_us).toBeGreaterThanOrEqual(focus.window[0]);
    expect(first.time_us).toBeLessThanOrEqual(focus.window[1]);
    const text = readFileSync(join(d, 'diagram.svg'), 'utf8');
    const doc = parseXml(text);
    expect(text).toContain('Too large to draw whole');
    expect(text).toContain(`vcsim render ${d} --window ${fmtTime(focus.window[0])}..${fmtTime(focus.window[1])} --nodes-shown ${focus.nodes.join(',')}`);
    expect(withClass(doc, 'g', 'lane').map((g) => g.getAttribute('data-node'))).toEqual(focus.nodes);
    // Every node event of those lanes in that window is drawn, and nothing else.
    const all40 = await traceEvents(d);
    const inside = (e: Record<string, unknown>) => (e.t as number) >= focus.window[0] && (e.t as number) <= focus.window[1];
    const want = all40.filter((e) => 'ev' in e && inside(e) && focus.nodes.includes(e.node as string)).map((e) => String(e.ev));
    expect(want.length).toBeGreaterThan(20);
    expect(want.length).toBeLessThanOrEqual(DRAW_LIMITS.events);
    expect(withClass(doc, 'g', 'ev').map((g) => g.getAttribute('data-ev'))).toEqual(want);
    expect(withClass(doc, 'line', 'arrow').length).toBeGreaterThan(0);
    // vcsim render draws the same part, byte for byte.
    const again = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
    await renderRun({ runDir: d, outDir: again });
    for (const f of ['diagram.svg', 'report.html']) expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(d, f), 'utf8'));
  });

  it('a slice still too large gets a note naming the flags that cut it', () => {
    const header = JSON.parse(readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n')[0]) as TraceHeader;
    const slice: RunSlice = { header, nodes: header.nodes, window: [0, 9_000_000], windowed: false, events: [], truth: new Map(), count: 20_000, end: 9_000_000, firstSend: 2_000_000, tooLarge: true };
    const text = renderSvg(slice, '/runs/x');
    parseXml(text);
    expect(text).toContain(`limit ${DRAW_LIMITS.events}`);
    expect(text).toMatch(/vcsim render \/runs\/x --window \S+\.\.\S+/);
  });

  it('is byte-identical across renders of one run', async () => {
    const a = mkdtempSync(join(tmpdir(), 'vcsim-svg-'));
    await renderRun({ runDir: dir, outDir: a });
    for (const f of ['diagram.svg', 'report.html', 'shiviz.log']) expect(readFileSync(join(a, f), 'utf8'), f).toBe(readFileSync(join(dir, f), 'utf8'));
  });
});
