// report.html: one self-contained page per run (no network needed; it opens by double-click;
// docs/pictures.md, "report.html"): the run at a glance; the whole run in time bins (charts
// drawn with uPlot, inlined; a heatmap per lane; the checker's verdicts per pair of lanes),
// from the overview (overview.ts), so the page stays small whatever the run's size; the
// interactive diagram of the slice drawn (click a chat event: its causal past and future
// according to the truth and, in other colours, according to the clocks; see
// report-client.ts), which a window selected in the charts marks (report-overview-client.ts);
// and the scenario as run. Pure but for reading uPlot's files: a slice and figures in, HTML out.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ExpectationResult } from './expect.js';
import { renderCommand } from './focus.js';
import type { OverviewData } from './overview.js';
import { OVERVIEW_SCRIPT } from './report-overview-client.js';
import type { Summary } from './summary.js';
import type { PlainClock } from './plain.js';
import type { RunSlice } from './slice.js';
import { fmtTime, renderSvg, type DiagramCaption } from './svg.js';
import { xmlEscape } from '../util/escape.js';
import { shellQuote } from '../util/shell.js';
import { REPORT_SCRIPT } from './report-client.js';
import type { TrueClock } from './causal.js';

export interface ReportExtras {
  readonly summary?: Summary;
  readonly expectations?: readonly ExpectationResult[];
}

/** What renderReport needs besides the slice drawn. */
export interface ReportInputs extends ReportExtras {
  /** The whole run in bins. */
  readonly overview: OverviewData;
  /** The run folder, as commands name it. */
  readonly folder: string;
  /** The slice asked for, when the one drawn is a part of it (with the caption saying which). */
  readonly whole?: RunSlice;
  readonly caption?: DiagramCaption | null;
}

/** One chat event as the page's script reads it. */
export interface ReportChatEvent {
  readonly e: number;
  readonly n: string;
  readonly k: string;
  readonly t: number;
  readonly m?: number;
  readonly a: PlainClock;
  readonly v: TrueClock;
}

/** The chat events of the slice with their clocks and true vector timestamps. */
export function reportChatEvents(slice: RunSlice): ReportChatEvent[] {
  const out: ReportChatEvent[] = [];
  const shown = new Set(slice.nodes);
  for (const e of slice.events) {
    if (!('ev' in e) || !shown.has(e.node)) continue;
    const v = slice.truth.get(e.ev);
    if (v === undefined) continue;
    out.push({ e: e.ev, n: e.node, k: e.type, t: e.t, m: 'msg' in e ? e.msg : undefined, a: e.after, v });
  }
  return out;
}

/** Pairs of chat events ordered by the truth, by the clocks, and where they differ. */
export interface Agreement {
  readonly events: number;
  readonly truthPairs: number;
  readonly clockPairs: number;
  /** Ordered by the truth, not by the clocks. */
  readonly missed: number;
  /** Ordered by the clocks, not by the truth. */
  readonly invented: number;
}

export const AGREEMENT_LIMIT = 3000;

export function agreement(chat: readonly ReportChatEvent[]): Agreement | null {
  if (chat.length > AGREEMENT_LIMIT) return null;
  // Clocks as dense arrays over every name they mention (missing = 0), for a tight loop.
  const names: string[] = [];
  const slot = new Map<string, number>();
  for (const c of chat) if (typeof c.a !== 'number') for (const k in c.a) if (!slot.has(k)) { slot.set(k, names.length); names.push(k); }
  const dense = chat.map((c) => {
    const d = new Float64Array(Math.max(1, names.length));
    if (typeof c.a === 'number') d.fill(c.a);
    else for (const k in c.a) d[slot.get(k) as number] = c.a[k];
    return d;
  });
  const less = (a: Float64Array, b: Float64Array): boolean => {
    let strict = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] > b[i]) return false;
      if (a[i] < b[i]) strict = true;
    }
    return strict;
  };
  // The truth's entry for each event's own node, read from every event: a -> b iff
  // V(a)[node(a)] <= V(b)[node(a)].
  const nodeSlot = new Map<string, number>();
  for (const c of chat) if (!nodeSlot.has(c.n)) nodeSlot.set(c.n, nodeSlot.size);
  const truth = chat.map((c) => {
    const d = new Float64Array(Math.max(1, nodeSlot.size));
    for (const [n, i] of nodeSlot) d[i] = c.v[n] ?? 0;
    return d;
  });
  let truthPairs = 0, clockPairs = 0, missed = 0, invented = 0;
  for (let i = 0; i < chat.length; i++) {
    const ni = nodeSlot.get(chat[i].n) as number;
    const own = truth[i][ni];
    for (let j = 0; j < chat.length; j++) {
      if (i === j) continue;
      const t = own <= truth[j][ni];
      const c = less(dense[i], dense[j]);
      if (t) truthPairs++;
      if (c) clockPairs++;
      if (t && !c) missed++;
      if (c && !t) invented++;
    }
  }
  return { events: chat.length, truthPairs, clockPairs, missed, invented };
}

const esc = xmlEscape;

function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function flatten(o: unknown, prefix = '', out: [string, string][] = []): [string, string][] {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    const entries = Object.entries(o as Record<string, unknown>);
    if (entries.length === 0 && prefix !== '') out.push([prefix, 'none']);
    for (const [k, v] of entries) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out.push([prefix, typeof o === 'string' ? o : JSON.stringify(o)]);
  }
  return out;
}

function table(rows: readonly (readonly string[])[], head?: readonly string[], cls = ''): string {
  const h = head ? `<thead><tr>${head.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>` : '';
  return `<table class="${cls}">${h}<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = `
.u-legend { font-size: 11.5px; } .u-title { font-size: 13px; } .u-legend .u-series:first-child { display: none; }
.grid > * { min-width: 0; } td:last-child { overflow-wrap: anywhere; } td { white-space: nowrap; } td:last-child { white-space: normal; } code { overflow-wrap: anywhere; }
body { font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; margin: 0; color: #1d2530; background: #f7f8fa; }
header { background: #1f2d45; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 20px; } header p { margin: 4px 0 0; color: #c9d3e3; font-size: 13px; }
main { padding: 12px 24px 40px; }
section { background: #fff; border: 1px solid #dde2ea; border-radius: 6px; padding: 10px 16px; margin: 12px 0; }
h2 { font-size: 16px; margin: 4px 0 10px; } section p { font-size: 13.5px; margin: 6px 0; }
.note { color: #55606e; font-size: 12.5px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 24px; }
table { border-collapse: collapse; font-size: 12.5px; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
td:first-child { color: #55606e; } th { border-bottom: 1px solid #ccd; }
.kv { columns: 2 260px; column-gap: 24px; font-size: 12.5px; } .kv div { break-inside: avoid; display: flex; gap: 10px; padding: 1px 0; }
.kv div span:first-child { color: #55606e; min-width: 150px; }
.ok { color: #1a7f37; font-weight: bold; } .bad { color: #c0392b; font-weight: bold; }
pre { background: #f3f4f6; padding: 8px; overflow: auto; font-size: 12px; max-height: 360px; }
#selection { position: sticky; left: 0; font-size: 13px; background: #fffdf0; border: 1px solid #e5dca0; border-radius: 4px; padding: 6px 10px; margin-bottom: 8px; min-height: 40px; }
#selection .differ b { color: #c0392b; } #selection .agree b { color: #1a7f37; }
.scroll { overflow: auto; border: 1px solid #e3e6eb; max-height: 80vh; background: #fff; }
.keys { font-size: 12.5px; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0 8px; align-items: center; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 50%; vertical-align: -2px; margin-right: 4px; }
.ring-sw { background: #fff; border: 3px solid; width: 8px; height: 8px; }
svg .ev.chat { cursor: pointer; }
svg .ev .ring, svg .ev .halo { display: none; fill: none; pointer-events: none; }
svg.selecting .ev:not(.sel):not(.t-past):not(.t-future):not(.c-past):not(.c-future) { opacity: 0.28; }
svg.selecting .arrows, svg.selecting .drops { opacity: 0.25; }
svg .ev.t-past .dot { fill: #2166ac; stroke: #2166ac; }
svg .ev.t-future .dot { fill: #f28e2b; stroke: #f28e2b; }
svg .ev.c-past .ring { display: inline; stroke: #1a9850; stroke-width: 2.6; }
svg .ev.c-future .ring { display: inline; stroke: #c51b7d; stroke-width: 2.6; }
svg .ev.disagree .halo { display: inline; stroke: #e41a1c; stroke-width: 1.6; stroke-dasharray: 2.5 2; }
svg .ev.sel .dot { fill: #000; stroke: #ffd400; stroke-width: 3; }
h3 { font-size: 14px; margin: 8px 0 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; margin-bottom: 10px; }
.card { border: 1px solid #dde2ea; border-radius: 6px; padding: 6px 10px; background: #fbfcfd; }
.card .v { font-size: 18px; font-weight: 600; overflow-wrap: anywhere; } .card .k { font-size: 11.5px; color: #55606e; }
.card.good .v { color: #1a7f37; } .card.bad .v, .card.warn .v { color: #c0392b; }
.chartbox { min-width: 0; } .chart { min-height: 60px; } .chart.empty { color: #55606e; font-size: 12.5px; min-height: 0; }
details summary { cursor: pointer; font-size: 13px; color: #1f2d45; margin: 6px 0; }
.drillbar { display: flex; gap: 10px; align-items: flex-start; margin: 6px 0 10px; }
#drill { flex: 1; font-size: 13px; background: #f1f6ff; border: 1px solid #b9cdf0; border-radius: 4px; padding: 6px 10px; }
#drill .cmd, code { font-family: Menlo, Consolas, monospace; font-size: 12px; background: #fff; padding: 1px 4px; border: 1px solid #dde2ea; border-radius: 3px; }
#drill .cmd { display: inline-block; margin: 3px 0; user-select: all; }
.part { background: #fffbe6; border: 1px solid #d8c66a; border-radius: 4px; padding: 6px 10px; font-size: 13px; }
svg.windowed .ev.out, svg.windowed .drop.out, svg.windowed .arrow.out { opacity: 0.12; }
#matrix { display: block; }
`;


/** uPlot's script and style, read once from its package (inlined: the page needs no network). */
let uplot: { js: string; css: string } | null = null;
function uPlotFiles(): { js: string; css: string } {
  if (uplot === null) {
    const req = createRequire(import.meta.url);
    const read = (f: string): string => readFileSync(req.resolve(`uplot/dist/${f}`), 'utf8').replace(/<\/(script|style)/gi, '<\\/$1');
    uplot = { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
  }
  return uplot;
}

export function renderReport(slice: RunSlice, r: ReportInputs): string {
  const h = slice.header;
  const name = String(h.scenario.name ?? 'run');
  const u = uPlotFiles();
  return [
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>vcsim report: ${esc(name)}, seed ${h.seed}, clock ${esc(h.clock)}</title><style>${u.css}${CSS}</style></head><body>`,
    `<header><h1>vcsim report: ${esc(name)}</h1><p>${h.nodes.length} nodes, clock ${esc(h.clock)}, seed ${h.seed}, transport ${esc(h.transport)}, vcsim ${esc(h.vcsim)}; run folder ${esc(r.folder)}</p></header><main>`,
    glanceSection(slice, r),
    timeSection(r.overview),
    lanesSection(r.overview),
    verdictsSection(r),
    diagramSection(slice, r),
    scenarioSection(slice),
    '</main>',
    `<script type="application/json" id="vcsim-data">${scriptJson({ nodes: slice.nodes, chat: reportChatEvents(slice) })}</script>`,
    `<script type="application/json" id="vcsim-overview">${scriptJson({ o: r.overview, nodes: h.nodes, folder: shellQuote(r.folder), drawn: `${fmtTime(slice.window[0])}..${fmtTime(slice.window[1])} on ${slice.nodes.length} lanes` })}</script>`,
    `<script>${u.js}</script>`,
    `<script>${REPORT_SCRIPT}</script>`,
    `<script>${OVERVIEW_SCRIPT}</script></body></html>\n`,
  ].join('\n');
}

function card(label: string, value: string, cls = ''): string {
  return `<div class="card ${cls}"><div class="v">${esc(value)}</div><div class="k">${esc(label)}</div></div>`;
}

const sumOf = (o: Record<string, number> | undefined): number => Object.values(o ?? {}).reduce((a, b) => a + b, 0);

/** The run at a glance: the headline figures as cards, then expectations and faults. */
function glanceSection(slice: RunSlice, r: ReportInputs): string {
  const s = r.summary;
  const h = slice.header;
  const ex = r.expectations ?? [];
  const ck = s?.checker;
  const kinds = Object.entries(s?.faults ?? {}).map(([k, v]) => `${v} ${k}`).join(', ');
  const cards = [
    card('nodes', String(h.nodes.length)),
    card('simulated', fmtTime(s?.sim_time_us ?? r.overview.end)),
    card('clock rule', h.clock),
    card('events', String(s?.events ?? '?')),
    card('sends / receives', s ? `${s.sends} / ${s.receives}` : '?'),
    card('delivery ratio', String(s?.delivery_ratio ?? '?')),
    card('faults', kinds === '' ? 'none' : kinds),
    card('receiver deaths', String(sumOf(s?.receiver_deaths)), sumOf(s?.receiver_deaths) > 0 ? 'warn' : ''),
    card('anomalies', String(sumOf(s?.anomalies)), sumOf(s?.anomalies) > 0 ? 'warn' : ''),
    card('converged at the end', s === undefined ? '?' : !s.convergence.checked ? 'not checked' : s.convergence.converged ? 'yes' : 'no', s?.convergence.checked && !s.convergence.converged ? 'warn' : ''),
    ck?.status === 'done'
      ? card(`checker (scope ${ck.scope}): missed / false order / reversed`, `${ck.missed} / ${ck.false_order} / ${ck.reversed}`, ck.disagree > 0 ? 'warn' : 'good')
      : card('checker', ck?.status ?? 'no summary'),
    card('expectations', ex.length === 0 ? 'none stated' : `${ex.filter((e) => e.ok).length} of ${ex.length} held`, ex.length === 0 ? '' : ex.every((e) => e.ok) ? 'good' : 'bad'),
  ];
  const parts = [`<section id="glance"><h2>The run at a glance</h2><div class="cards">${cards.join('')}</div>`];
  if (s === undefined) parts.push('<p>No summary.json in the run folder.</p>');
  parts.push('<div class="grid">');
  if (ex.length > 0) parts.push(`<div><h3>Expectations</h3>${table(ex.map((e) => [e.path, e.expected, e.missing ? '(no such figure)' : JSON.stringify(e.measured), e.ok ? 'held' : 'FAILED']), ['figure', 'expected', 'measured', ''])}</div>`);
  if (s !== undefined) {
    const rows = [...Object.entries(s.anomalies).map(([k, v]) => [`anomaly ${k}`, String(v)]), ...Object.entries(s.receiver_deaths).map(([k, v]) => [`receiver death: ${k}`, String(v)]),
      ...Object.entries(s.drops_by_reason).map(([k, v]) => [`dropped: ${k}`, String(v)])];
    parts.push(`<div><h3>Anomalies and drops</h3>${table(rows)}</div>`);
  }
  if (h.faults.length > 0) parts.push(`<div><h3>Fault schedule</h3>${table(h.faults.slice(0, 200).map((f) => [f.id, f.kind, `${fmtTime(f.start)}..${f.end === null ? 'end' : fmtTime(f.end)}`, f.groups.length > 0 ? f.groups.map((g) => '{' + g.join(',') + '}').join(' | ').slice(0, 160) : (f.nodes ?? []).join(',').slice(0, 160)]), ['id', 'kind', 'when', 'who'])}${h.faults.length > 200 ? `<p class="note">${h.faults.length - 200} more in the scenario below.</p>` : ''}</div>`);
  parts.push('</div>');
  if (s !== undefined) parts.push(summaryDetails(s));
  parts.push('</section>');
  return parts.join('');
}

/** Every figure of summary.json, folded away. */
function summaryDetails(s: Summary): string {
  // The checker's figures have their own table, and the anomaly examples their own list:
  // the summary grid keeps to the run's figures, long values cut short (summary.json has all).
  const shown = flatten(s).filter(([k]) => k !== 'digest' && !k.startsWith('checker.') && k !== 'anomaly_examples');
  const short = (v: string): string => (v.length > 120 ? v.slice(0, 117) + '...' : v);
  const rows = shown.map(([k, v]) => `<div><span>${esc(k)}</span><span title="${esc(v)}">${esc(short(String(v)))}</span></div>`);
  return `<details id="summary"><summary>Every figure of summary.json</summary><div class="kv">${rows.join('')}</div><p class="note">digest ${esc(s.digest ?? 'not computed')}</p></details>`;
}

/** The time series, drawn by the page's script into these boxes. */
function timeSection(o: OverviewData): string {
  const box = (id: string, title: string, note: string): string => `<div class="chartbox"><h3>${title}</h3><p class="note">${note}</p><div id="${id}" class="chart"></div></div>`;
  return `<section id="time"><h2>Over time</h2><p class="note">In ${o.bins} bins of ${fmtTime(o.binUs)}. Shaded: partitions (yellow), crashes (red), pauses (grey), link faults (purple), the quiet phase (green). <b>Drag across a chart</b> to select a time window: the diagram below marks its events and the exact command to draw it appears.</p>` +
    '<div class="grid">' +
    box('chart-traffic', 'Traffic', 'Chat sends and receives, and deliveries dropped, by why.') +
    box('chart-trouble', 'Trouble', 'Receiving threads that died, clock entries that went down, chat messages every copy of which was lost.') +
    box('chart-delivery', 'Delivery (convergence)', 'Share of chat copies to other nodes that reached them, per bin of the attempt.') +
    box('chart-wire', 'The wire', 'Mean bytes per chat message, and mean clock entries each carries.') +
    '</div></section>';
}

function lanesSection(o: OverviewData): string {
  const grouped = o.lanes.size.some((n) => n > 1);
  return `<section id="lanes"><h2>Activity per ${grouped ? 'group of nodes' : 'node'}</h2>` +
    `<p class="note">One row per ${grouped ? `group of about ${Math.round(o.lanes.size.reduce((a, b) => a + b, 0) / o.lanes.size.length)} neighbouring nodes` : 'node'}, one column per bin; darker = more node events (log scale). ` +
    '<span style="color:#c0392b">▲</span> a receiving thread died (first death of each node); outlined: crashed (red), paused (grey), left (black); yellow: partitions. <b>Drag</b> to select a time window and the rows spanned.</p>' +
    '<canvas id="heatmap" style="width:100%;display:block;cursor:crosshair"></canvas></section>';
}

/** Where the clocks go wrong: the checker's tables, its verdicts per bin and per pair of lanes. */
function verdictsSection(r: ReportInputs): string {
  const s = r.summary;
  const checker = s?.checker;
  const parts = ['<section id="verdicts"><h2>Where the clocks go wrong</h2>'];
  if (checker === undefined) parts.push('<p>No summary.json in the run folder.</p>');
  else if (checker.status !== 'done') parts.push(`<p>The causality checker did not run: ${esc(checker.status ?? 'off')}: ${esc(checker.note ?? '')}</p>`);
  else {
    const scopes = (['sends', 'all'] as const).filter((k) => checker[k] !== undefined);
    const figures = ['events', 'pairs', 'agree', 'missed', 'false_order', 'reversed', 'equal_stamps'] as const;
    parts.push('<div class="grid"><div>');
    parts.push(table(figures.map((f) => [f, ...scopes.map((k) => String(checker[k]?.[f] ?? ''))]), ['over all pairs of the run', ...scopes.map((k) => `scope ${k}`)]));
    parts.push('<p class="note">Exact counts over every pair of chat events in scope (docs/checker.md, "Verdicts"). missed: truly ordered, the clocks say concurrent or equal; false_order: truly concurrent, the clocks say ordered; reversed: the clocks order the pair the wrong way.</p>');
    if (r.overview.verdicts !== null) {
      parts.push(`<h3>Per bin (scope ${esc(checker.scope ?? '')})</h3><p class="note">Each pair counted once, in the bin of its later event.</p><div id="chart-verdicts" class="chart"></div>`);
    }
    parts.push('</div><div>');
    if (r.overview.verdicts !== null) {
      parts.push(`<h3>Per pair of ${r.overview.lanes.size.some((n) => n > 1) ? 'node groups' : 'nodes'}</h3><p class="note">Show <select id="matrix-category"><option value="disagree">all disagreements</option><option value="missed">missed</option><option value="false_order">false order</option><option value="reversed">reversed</option></select> <span id="matrix-max"></span> Hover a cell for its counts.</p><canvas id="matrix"></canvas>`);
    }
    parts.push('</div></div>');
  }
  parts.push('</section>');
  return parts.join('');
}

/** The Lamport diagram of the slice drawn, with the drill-down panel and click-to-highlight. */
function diagramSection(slice: RunSlice, r: ReportInputs): string {
  const parts = ['<section id="diagram"><h2>Diagram</h2>'];
  const whole = r.whole ?? slice;
  const c = r.caption ?? null;
  if (c !== null) parts.push(`<p class="part">${esc(c.what)} Draw another part: <code>${esc(c.command)}</code></p>`);
  parts.push(`<div class="drillbar"><div id="drill">Drag across a chart or the heatmap to select a time window; the exact command to draw it appears here, e.g. <code>${esc(renderCommand(r.folder, whole.window, null))}</code>.</div><button id="drill-clear" type="button">clear selection</button></div>`);
  parts.push(agreementPart(slice));
  parts.push('<div class="keys"><span>Click a chat event (a send or receive):</span>' +
    '<span><span class="sw" style="background:#2166ac"></span>causal past (truth)</span>' +
    '<span><span class="sw" style="background:#f28e2b"></span>causal future (truth)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#1a9850"></span>before it (clocks)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#c51b7d"></span>after it (clocks)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#e41a1c;border-style:dashed"></span>truth and clocks disagree</span>' +
    '<span>Esc clears. Hover for clocks.</span></div>');
  parts.push('<div id="selection">Nothing selected.</div>');
  parts.push(`<div class="scroll">${renderSvg(slice, r.folder)}</div></section>`);
  return parts.join('\n');
}

/** Clocks against the truth over the chat events drawn. */
function agreementPart(slice: RunSlice): string {
  const agree = agreement(reportChatEvents(slice));
  if (agree === null) return `<p class="note">Clocks against the truth over the events drawn: not computed, more than ${AGREEMENT_LIMIT} chat events.</p>`;
  if (agree.events === 0) return '<p class="note">No chat event with its true timestamp among the events drawn (none in this slice, or a part of a run past 2,000 nodes, for which the truth is not tracked).</p>';
  const verdict = agree.missed === 0 && agree.invented === 0;
  return `<p class="note">Over the ${agree.events} chat events drawn: ${agree.truthPairs} ordered pairs a→b by the truth, ${agree.clockPairs} by the clocks (C(a)&lt;C(b)); ` +
    `<span class="${verdict ? 'ok' : 'bad'}">${agree.missed} ordered by the truth, not by the clocks; ${agree.invented} ordered by the clocks, not by the truth</span>.</p>`;
}

function scenarioSection(slice: RunSlice): string {
  return `<section id="scenario"><details><summary>The scenario as run</summary><pre>${esc(JSON.stringify(slice.header.scenario, null, 2))}</pre></details></section>`;
}
