// The report's overview (src/export/overview.ts) against summary.json: every binned series
// sums to the summary's figure, the checker's verdicts per bin and per pair of lanes sum to
// its exact counts and match a pair-by-pair enumeration, `vcsim render` recomputes the same
// overview from trace.jsonl, and report.html stays under 5 MB for the headline's cousin and a
// 1,000-node run (static membership and the lamport rule, as the bench's scale rows).
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, renderRun, runScenario, type Override, type RunResult } from '../../src/api/index.js';
import { CausalityChecker, type Category } from '../../src/check/checker.js';
import { DETAIL_CATEGORIES } from '../../src/check/verdicts.js';
import { OverviewConsumer, type OverviewData } from '../../src/export/overview.js';
import { ClockSizeConsumer } from '../../src/export/clock-size.js';
import { readTrace } from '../../src/trace/read.js';
import { DRAW_LIMITS } from '../../src/export/slice.js';
import { PICTURE_BYTES } from '../../src/export/visuals.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';

const MB5 = 5 * 1024 * 1024;

function embedded(html: string): OverviewData {
  const m = /<script type="application\/json" id="vcsim-overview">(.*?)<\/script>/s.exec(html);
  expect(m, 'the overview data in report.html').not.toBeNull();
  return (JSON.parse(m![1]) as { o: OverviewData }).o;
}

const total = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0);

function expectMatchesSummary(o: OverviewData, r: RunResult): void {
  const s = r.summary;
  const S = o.series;
  expect(total(S.events)).toBe(s.events);
  expect(total(S.sends)).toBe(s.sends);
  expect(total(S.receives)).toBe(s.receives);
  expect(total(S.duplicates)).toBe(s.duplicates);
  for (const k of ['dropped', 'partitioned', 'receiver_dead', 'receiver_down'] as const) expect(total(S[k]), k).toBe(s.deliveries[k]);
  expect(total(S.receiver_deaths)).toBe(total(Object.values(s.receiver_deaths)));
  expect(total(S.chat_bytes)).toBe(s.bytes.chat);
  expect(total(S.clock_entries)).toBe(s.clock_entries.total);
  const ratio = total(S.chat_attempts) === 0 ? 1 : Math.round((total(S.chat_delivered) / total(S.chat_attempts)) * 1e6) / 1e6;
  expect(ratio).toBe(s.delivery_ratio);
  for (const [kind, n] of Object.entries(s.anomalies)) expect(total(o.anomalies[kind] ?? []), kind).toBe(n);
  expect(total(o.lanes.activity.map(total))).toBe(s.events);
  // One mark per node whose receiving thread died (its first death).
  expect(o.lanes.deaths.length).toBeLessThanOrEqual(total(Object.values(s.receiver_deaths)));
  expect(o.lanes.deaths.length > 0).toBe(total(Object.values(s.receiver_deaths)) > 0);
  const ck = s.checker;
  expect(ck.status).toBe('done');
  if (ck.status !== 'done') return;
  expect(o.verdicts).not.toBeNull();
  const v = o.verdicts!;
  DETAIL_CATEGORIES.forEach((cat, c) => {
    expect(total(v.bins.map((b) => b[c])), `${cat} per bin`).toBe(ck[cat]);
    let upper = 0;
    for (let x = 0; x < v.pairs.length; x++) for (let y = x; y < v.pairs.length; y++) upper += v.pairs[x][y][c];
    expect(upper, `${cat} per pair of lanes`).toBe(ck[cat]);
  });
}

let dir: string;
let run: RunResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vcsim-overview-'));
  const loaded = loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 14, flag: '--nodes' }, { path: ['duration'], value: '8s', flag: '--duration' }]);
  run = await runScenario({ loaded, seed: 1, outDir: dir });
});

describe("report.html's figures", () => {
  it("equal summary.json's: every series, anomalies, and the checker's verdicts per bin and per pair of nodes", () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const o = embedded(html);
    expectMatchesSummary(o, run);
    const ck = run.summary.checker;
    if (ck.status !== 'done') throw new Error('the checker did not run');
    expect(ck.disagree).toBeGreaterThan(0);
    // The glance shows the summary's headline figures.
    expect(html).toContain(`<div class="v">${ck.missed} / ${ck.false_order} / ${ck.reversed}</div>`);
    expect(html).toContain(`<div class="v">${run.summary.sends} / ${run.summary.receives}</div>`);
    expect(html).toContain(`<div class="v">${run.summary.delivery_ratio}</div>`);
  });

  it('vcsim render recomputes the same overview from trace.jsonl', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vcsim-overview-'));
    await renderRun({ runDir: dir, outDir: out });
    expect(embedded(readFileSync(join(out, 'report.html'), 'utf8'))).toEqual(embedded(readFileSync(join(dir, 'report.html'), 'utf8')));
  });

  it('bins the verdicts exactly as a pair-by-pair enumeration does', async () => {
    let header: TraceHeader | null = null;
    const events: TraceEvent[] = [];
    for await (const { value } of readTrace(join(dir, 'trace.jsonl'))) {
      if (value.type === 'header') header = value as unknown as TraceHeader;
      else events.push(value as unknown as TraceEvent);
    }
    // Few lanes and bins, so that cells hold many pairs: 4 lanes over 14 nodes.
    const overview = new OverviewConsumer(null, new ClockSizeConsumer());
    overview.header(header!);
    for (const e of events) overview.event(e);
    const spec = { ...overview.verdictSpec(), groups: 4, groupOf: (slot: number) => Math.floor((slot * 4) / 14) };
    const checker = new CausalityChecker({ scope: 'all' });
    checker.wantDetail(() => spec);
    checker.header(header!);
    for (const e of events) checker.event(e);
    const detail = checker.detail()!;
    const bins = new Float64Array(spec.bins * 4);
    const pairs = new Float64Array(4 * 4 * 4);
    const index: Record<Category, number> = { agree: 0, missed: 1, false_order: 2, reversed: 3 };
    for (const p of checker.pairs('all')) {
      const c = index[p.category];
      bins[spec.binOf(p.b.t) * 4 + c]++;
      const x = spec.groupOf(p.a.node), y = spec.groupOf(p.b.node);
      pairs[(x * 4 + y) * 4 + c]++;
      if (x !== y) pairs[(y * 4 + x) * 4 + c]++;
    }
    expect(Array.from(detail.bins)).toEqual(Array.from(bins));
    expect(Array.from(detail.pairs)).toEqual(Array.from(pairs));
    expect(bins.some((v, i) => i % 4 !== 0 && v > 0), 'some disagreement to place').toBe(true);
  });
});

describe('report.html stays small', () => {
  it('a run within the event limits whose drawing would be too many bytes is drawn in part', async () => {
    // 20 nodes of partition.yaml: about 7,000 events, each with two 20-entry clocks in its title.
    const d = mkdtempSync(join(tmpdir(), 'vcsim-overview-'));
    const r = await runScenario({ loaded: loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 20, flag: '--nodes' }]), seed: 1, outDir: d });
    expect(r.summary.events).toBeLessThan(DRAW_LIMITS.events);
    expect(r.pictures).toBe('part');
    for (const f of ['report.html', 'diagram.svg']) expect(statSync(join(d, f)).size, f).toBeLessThan(PICTURE_BYTES);
    expectMatchesSummary(embedded(readFileSync(join(d, 'report.html'), 'utf8')), r);
  });

  it('a 1,000-node run (static membership, lamport) gets a report under 5 MB matching its summary', async () => {
    const d = mkdtempSync(join(tmpdir(), 'vcsim-overview-'));
    const set = (path: string[], value: string | number): Override => ({ path, value, flag: '--set' });
    const loaded = loadScenarioFile('scenarios/bench-broadcast.yaml', [
      set(['nodes'], 1000), set(['duration'], '3s'), set(['join', 'membership'], 'static'), set(['protocol', 'clock'], 'lamport'),
      set(['workload', 'senders'], 30), set(['workload', 'count'], 1),
    ]);
    const r = await runScenario({ loaded, seed: 1, outDir: d, scope: 'sends' });
    expect(r.summary.nodes).toBe(1000);
    expect(r.summary.receives).toBeGreaterThan(20_000);
    expect(r.pictures).toBe('part');
    const size = statSync(join(d, 'report.html')).size;
    expect(size).toBeLessThan(MB5);
    const o = embedded(readFileSync(join(d, 'report.html'), 'utf8'));
    expect(o.lanes.names.length).toBe(64);
    expect(o.lanes.names[0]).toBe('n0..n15');
    expectMatchesSummary(o, r);
  });
});
