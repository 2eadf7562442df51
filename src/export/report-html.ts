// report.html: one self-contained page per run (no network needed; it opens by double-click):
// the summary, the verdicts (expectations, anomalies, and how far the clocks are from the
// truth over the chat events shown), the interactive diagram (click a chat event: its causal
// past and future according to the truth and, in other colours, according to the clocks;
// see report-client.ts), and the scenario as run. Pure: a slice and figures in, HTML out.

import type { ExpectationResult } from './expect.js';
import type { Summary } from './summary.js';
import type { PlainClock } from './plain.js';
import type { RunSlice } from './slice.js';
import { fmtTime, renderSvg } from './svg.js';
import { xmlEscape } from '../util/escape.js';
import { REPORT_SCRIPT } from './report-client.js';
import type { TrueClock } from './causal.js';

export interface ReportExtras {
  readonly summary?: Summary;
  readonly expectations?: readonly ExpectationResult[];
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
`;

export function renderReport(slice: RunSlice, extras: ReportExtras): string {
  const h = slice.header;
  const name = String(h.scenario.name ?? 'run');
  const chat = reportChatEvents(slice);
  const agree = agreement(chat);
  const s = extras.summary;
  const parts: string[] = [];
  parts.push(`<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  parts.push(`<title>vcsim report: ${esc(name)}, seed ${h.seed}, clock ${esc(h.clock)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<header><h1>vcsim report: ${esc(name)}</h1><p>${h.nodes.length} nodes, clock ${esc(h.clock)}, seed ${h.seed}, transport ${esc(h.transport)}, vcsim ${esc(h.vcsim)}` +
    `${slice.windowed || slice.nodes.length < h.nodes.length ? `; this report shows ${slice.nodes.length} nodes from ${fmtTime(slice.window[0])} to ${fmtTime(slice.window[1])}` : ''}</p></header><main>`);

  // Summary and verdicts.
  parts.push('<div class="grid">');
  parts.push('<section id="summary"><h2>Summary</h2>');
  if (s !== undefined) {
    // The checker's figures have their own table, and the anomaly examples their own list:
    // the summary grid keeps to the run's figures, long values cut short (summary.json has all).
    const shown = flatten(s).filter(([k]) => k !== 'digest' && !k.startsWith('checker.') && k !== 'anomaly_examples');
    const short = (v: string): string => (v.length > 120 ? v.slice(0, 117) + '...' : v);
    const rows = shown.map(([k, v]) => `<div><span>${esc(k)}</span><span title="${esc(v)}">${esc(short(String(v)))}</span></div>`);
    parts.push(`<div class="kv">${rows.join('')}</div><p style="font-size:12px;color:#666">digest ${esc(s.digest ?? "not computed")}</p>`);
  }
  else parts.push('<p>No summary.json in the run folder.</p>');
  parts.push('</section><section id="verdicts"><h2>Verdicts and anomalies</h2>');
  const ex = extras.expectations ?? [];
  if (ex.length > 0) {
    parts.push(`<p>Expectations: <span class="${ex.every((e) => e.ok) ? 'ok' : 'bad'}">${ex.filter((e) => e.ok).length} of ${ex.length} held</span></p>`);
    parts.push(table(ex.map((e) => [e.path, e.expected, e.missing ? '(no such figure)' : JSON.stringify(e.measured), e.ok ? 'held' : 'FAILED']), ['figure', 'expected', 'measured', '']));
  } else parts.push('<p>The scenario states no expectations.</p>');
  if (s !== undefined) {
    const rows = [...Object.entries(s.anomalies).map(([k, v]) => [`anomaly ${k}`, String(v)]), ...Object.entries(s.receiver_deaths).map(([k, v]) => [`receiver death: ${k}`, String(v)]),
      ...Object.entries(s.drops_by_reason).map(([k, v]) => [`dropped: ${k}`, String(v)])];
    parts.push(table(rows));
  }
  const checker = s?.checker;
  parts.push('<h2 style="margin-top:14px">The causality checker</h2>');
  if (checker === undefined) parts.push('<p>No summary.json in the run folder.</p>');
  else if (checker.status !== 'done') parts.push(`<p>${esc(checker.status ?? 'off')}: ${esc(checker.note ?? '')}</p>`);
  else {
    const scopes = (['sends', 'all'] as const).filter((k) => checker[k] !== undefined);
    const figures = ['events', 'pairs', 'agree', 'missed', 'false_order', 'reversed', 'equal_stamps'] as const;
    parts.push(table(figures.map((f) => [f, ...scopes.map((k) => String(checker[k]?.[f] ?? ''))]), ['over all pairs of the run', ...scopes.map((k) => `scope ${k}`)]));
    parts.push('<p class="note">Exact counts over every pair of chat events in scope (docs/checker.md, "Verdicts"). missed: truly ordered, the clocks say concurrent or equal; false_order: truly concurrent, the clocks say ordered; reversed: the clocks order the pair the wrong way.</p>');
  }
  parts.push('<h2 style="margin-top:14px">Clocks against the truth, over the events shown</h2>');
  if (agree === null) parts.push(`<p>Not computed: more than ${AGREEMENT_LIMIT} chat events in this report.</p>`);
  else {
    const verdict = agree.missed === 0 && agree.invented === 0;
    parts.push(`<p class="${verdict ? 'ok' : 'bad'}">${verdict ? 'The clocks order the chat events exactly as happened-before does.' : 'The clocks and happened-before disagree.'}</p>`);
    parts.push(table([
      ['chat events (sends, receipts)', String(agree.events)],
      ['ordered pairs a→b (truth)', String(agree.truthPairs)],
      ['ordered pairs C(a)<C(b) (clocks)', String(agree.clockPairs)],
      ['ordered by the truth, not by the clocks', String(agree.missed)],
      ['ordered by the clocks, not by the truth', String(agree.invented)],
    ]));
    parts.push('<p class="note">Over ordered pairs (a, b) of distinct chat events shown. Truth: a happened before b (program order and messages, from the trace). Clocks: the clock after a is below the clock after b (componentwise, a missing entry is 0).</p>');
  }
  parts.push('</section></div>');

  // The diagram.
  parts.push('<section id="diagram"><h2>Diagram</h2>');
  parts.push('<div class="keys"><span>Click a chat event (a send or receive):</span>' +
    '<span><span class="sw" style="background:#2166ac"></span>causal past (truth)</span>' +
    '<span><span class="sw" style="background:#f28e2b"></span>causal future (truth)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#1a9850"></span>before it (clocks)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#c51b7d"></span>after it (clocks)</span>' +
    '<span><span class="sw ring-sw" style="border-color:#e41a1c;border-style:dashed"></span>truth and clocks disagree</span>' +
    '<span>Esc clears. Hover for clocks.</span></div>');
  parts.push('<div id="selection">Nothing selected.</div>');
  parts.push(`<div class="scroll">${renderSvg(slice)}</div></section>`);

  // The scenario.
  parts.push('<section id="scenario"><h2>Scenario</h2>');
  parts.push(`<pre>${esc(JSON.stringify(h.scenario, null, 2))}</pre>`);
  if (h.faults.length > 0) parts.push(`<h2>Fault schedule</h2>${table(h.faults.map((f) => [f.id, f.kind, `${fmtTime(f.start)}..${f.end === null ? 'end' : fmtTime(f.end)}`, f.groups.map((g) => '{' + g.join(',') + '}').join(' | ')]), ['id', 'kind', 'when', 'groups'])}`);
  parts.push('</section></main>');
  parts.push(`<script type="application/json" id="vcsim-data">${scriptJson({ nodes: slice.nodes, chat })}</script>`);
  parts.push(`<script>${REPORT_SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}
