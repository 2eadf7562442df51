// diagram.svg: the run as a Lamport (space-time) diagram. One horizontal lane per node, time
// flowing left to right; an arrow for every delivery (chat dark, handshake grey, duplicate
// dashed orange, fatal red), a dashed stub ending in a cross for every drop (coloured by
// reason), distinct marks for sends, receives, joins, handshake receipts and receiver deaths,
// shaded spans for partitions. Every mark carries its clocks in a <title> (hover), and a
// compact clock label is written above it when there is room. Pure: a slice in, SVG text out.
//
// Marks are <g class="ev ..." data-ev="N" data-node="..."> so the report can make them
// clickable; arrows are <line class="arrow ..."> and drops <g class="drop ...">.

import type { PlainClock, PlainEvent } from './plain.js';
import { clockText } from './plain.js';
import { DRAW_LIMITS, type RunSlice } from './slice.js';
import type { TrueClock } from './causal.js';
import { niceStep, timeAxis, type TimeAxis } from './timeaxis.js';
import { xmlEscape } from '../util/escape.js';

const LEFT = 84;
const RIGHT = 40;
const TOP = 104;
const CHAR_W = 5.5; // width of one character of the 9px monospace labels

/** Time for people: seconds with as many decimals as the microseconds need (at most 6). */
export function fmtTime(us: number): string {
  let s = (us / 1_000_000).toFixed(6).replace(/0+$/, '');
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s + 's';
}

const n1 = (v: number): string => (Math.round(v * 10) / 10).toString();

/** A compact clock label: a Lamport number, dense `[1,0,·,2]` (lane order) or sparse `n3:2 n7:1`. */
export function clockLabel(c: PlainClock, allNodes: readonly string[]): string {
  if (typeof c === 'number') return String(c);
  if (allNodes.length <= 10) return '[' + allNodes.map((n) => (n in c ? String(c[n]) : '·')).join(',') + ']';
  const parts = allNodes.filter((n) => (c[n] ?? 0) !== 0).map((n) => `${n}:${c[n]}`);
  return parts.length === 0 ? '0' : parts.join(' ');
}

interface Layout {
  readonly x: (t: number) => number;
  readonly y: (node: string) => number;
  readonly lane: ReadonlyMap<string, number>;
  readonly gap: number;
  readonly plotW: number;
  readonly width: number;
  readonly lanesBottom: number;
  /** The first lane's y. */
  readonly top: number;
  readonly height: number;
  readonly axis: TimeAxis;
}

function layout(slice: RunSlice, captionW = 0): Layout {
  const lane = new Map(slice.nodes.map((n, i) => [n, i] as const));
  const perLane = new Map<string, number>();
  for (const e of slice.events) {
    const n = (e as { node?: string }).node;
    if (n !== undefined && 'ev' in e) perLane.set(n, (perLane.get(n) ?? 0) + 1);
  }
  const busiest = Math.max(0, ...perLane.values());
  const plotW = Math.min(16_000, Math.max(900, busiest * 16));
  const gap = slice.nodes.length <= 12 ? 52 : slice.nodes.length <= 24 ? 36 : 26;
  const [w0, w1] = slice.window;
  const top = TOP + (captionW > 0 ? 40 : 0);
  const lanesBottom = top + gap * Math.max(0, slice.nodes.length - 1);
  const times: number[] = [];
  for (const e of slice.events) {
    if (e.type === 'fault' || e.type === 'end') continue;
    times.push(e.t);
    if ('sent' in e) times.push(e.sent);
  }
  const axis = timeAxis(times, w0, w1, LEFT, plotW);
  return {
    axis,
    x: axis.x,
    y: (n) => top + gap * (lane.get(n) ?? 0), top,
    lane, gap, plotW, width: Math.max(LEFT + plotW + RIGHT, LEFT + captionW + 10), lanesBottom, height: lanesBottom + 40 + 82,
  };
}

function eventTitle(e: PlainEvent, truth: TrueClock | undefined): string {
  const r = e as Record<string, unknown>;
  const lines = [`${String(r.node)} ${e.type}${r.msg !== undefined ? ` msg ${String(r.msg)}` : ''}${typeof r.from === 'string' ? ` from ${r.from}` : ''}${r.copy === 1 ? ' (duplicate copy)' : ''} at ${fmtTime(e.t)} (event ${String(r.ev)})`];
  if (e.type === 'send') lines.push(`text ${JSON.stringify(e.text)}`);
  if (e.type === 'receiver_died') lines.push(`receiving thread died: ${e.cause}: ${e.detail}`);
  if (e.type === 'join_seen' && e.reset) lines.push('reset an existing entry to 0');
  if ('before' in e) lines.push(`clock before ${clockText(e.before)}`);
  if ('after' in e) lines.push(`clock after  ${clockText(e.after)}`);
  if (truth !== undefined) lines.push(`true vector  ${JSON.stringify(truth)}`);
  return lines.join('\n');
}

const DROP_COLOUR: Readonly<Record<string, string>> = { dropped: '#7f7f7f', partitioned: '#8e44ad', receiver_dead: '#c0392b' };
/** How node faults look on their lanes. */
const NODE_FAULT = {
  crash: { fill: '#f4c7c3', mark: '#b71c1c', startGlyph: '✕', endGlyph: '↻', label: 'crashed' },
  pause: { fill: '#d9d9d9', mark: '#555555', startGlyph: '❚❚', endGlyph: '▶', label: 'paused' },
  leave: { fill: '#bdbdbd', mark: '#212121', startGlyph: '⏏', endGlyph: '', label: 'left' },
} as const;

const GROUP_TINT = ['#dbe9f7', '#fde7cf', '#dff3e0', '#f3dff0'];

/** When the whole run is too large, the diagram shows a part chosen for it (src/export/focus.ts). */
export interface DiagramCaption {
  /** Which part is shown and why, in words. */
  readonly what: string;
  /** The exact command that draws another part. */
  readonly command: string;
}

/** The diagram of a slice, or a note saying why it is not drawn. */
export function renderSvg(slice: RunSlice, folderHint = '<run folder>', caption: DiagramCaption | null = null): string {
  if (slice.tooLarge) return renderTooLarge(slice, folderHint);
  const L = layout(slice, caption === null ? 0 : captionWidth(caption));
  const out: string[] = [];
  drawFrame(out, slice, L, caption);
  drawFaults(out, slice, L);
  drawAxis(out, L);
  drawLanes(out, slice, L);
  drawEvents(out, slice, L);
  out.push(legend(L.lanesBottom + 44));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The title, the marker definitions, the background and the heading lines. */
function drawFrame(out: string[], slice: RunSlice, L: Layout, caption: DiagramCaption | null): void {
  const [w0, w1] = slice.window;
  const h = slice.header;
  const title = `vcsim ${String(h.scenario.name ?? '')}: seed ${h.seed}, clock ${h.clock}, ${h.nodes.length} nodes` +
    `${slice.nodes.length < h.nodes.length ? ` (${slice.nodes.length} shown)` : ''}, ${slice.windowed ? 'window' : 'time'} ${fmtTime(w0)}..${fmtTime(w1)}`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${n1(L.width)}" height="${n1(L.height)}" viewBox="0 0 ${n1(L.width)} ${n1(L.height)}" font-family="Helvetica, Arial, sans-serif" font-size="11" class="vcsim-diagram">`);
  out.push(`<title>${xmlEscape(title)}</title>`);
  out.push('<defs>' +
    '<marker id="ah" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0.8 L8,4 L0,7.2 z" fill="#2b3a55"/></marker>' +
    '<marker id="ah-hs" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,1 L8,4 L0,7 z" fill="#b0b0b0"/></marker>' +
    '<marker id="ah-dup" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0.8 L8,4 L0,7.2 z" fill="#e67e22"/></marker>' +
    '<marker id="ah-dead" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0.8 L8,4 L0,7.2 z" fill="#c0392b"/></marker>' +
    '</defs>');
  out.push(`<rect x="0" y="0" width="${n1(L.width)}" height="${n1(L.height)}" fill="#ffffff"/>`);
  out.push(`<text x="${LEFT}" y="20" font-size="14" font-weight="bold">${xmlEscape(title)}</text>`);
  out.push(`<text x="${LEFT}" y="36" fill="#555">Hover a mark for its clocks. Labels above marks: clock after the event${typeof firstClock(slice) === 'number' ? ' (Lamport)' : h.nodes.length <= 10 ? `, entries in the order ${h.nodes.join(',')}; · = no entry` : ', non-zero entries'}.</text>`);
  if (caption !== null) {
    out.push(`<g class="caption"><rect x="${LEFT - 6}" y="44" width="${n1(captionWidth(caption))}" height="38" fill="#fffbe6" stroke="#d8c66a"/>` +
      `<text x="${LEFT}" y="59" fill="#5a4a00">${xmlEscape(caption.what)}</text>` +
      `<text x="${LEFT}" y="76" fill="#5a4a00">Draw another part: <tspan font-family="Menlo, Consolas, monospace">${xmlEscape(caption.command)}</tspan></text></g>`);
  }
}

/** The caption box's width: its longer line, 11px sans-serif or monospace. */
function captionWidth(c: DiagramCaption): number {
  return Math.max(c.what.length * 6.1, 19 * 6.1 + c.command.length * 6.7) + 14;
}

type FaultEv = Extract<PlainEvent, { type: 'fault' }>;
interface FaultSpan { id: string; start: number; end: number; ended: boolean; e: FaultEv }

/** Fault spans from their start and end events (open ones run to the window's end). */
function faultSpans(slice: RunSlice): FaultSpan[] {
  const open = new Map<string, { t: number; e: FaultEv }>();
  const spans: FaultSpan[] = [];
  for (const e of slice.events) {
    if (e.type !== 'fault') continue;
    if (e.phase === 'start') open.set(e.id, { t: e.t, e });
    else {
      const o = open.get(e.id);
      if (o !== undefined) spans.push({ id: e.id, start: o.t, end: e.t, ended: true, e: o.e });
      open.delete(e.id);
    }
  }
  for (const [id, o] of open) spans.push({ id, start: o.t, end: slice.window[1], ended: false, e: o.e });
  return spans;
}

// Faults: partitions as shaded spans with the groups tinted; node faults (crash until
// restart, pause until resume, leave) as bands on their lanes with a mark at each end; link
// faults and the quiet phase as labelled spans above.
function drawFaults(out: string[], slice: RunSlice, L: Layout): void {
  const [w0, w1] = slice.window;
  let aboveRow = 0;
  for (const s of faultSpans(slice)) {
    if (s.end < w0 || s.start > w1) continue;
    const xa = L.x(Math.max(s.start, w0));
    const width = n1(Math.max(1, L.x(Math.min(s.end, w1)) - xa));
    const kind = s.e.kind;
    if (kind === 'partition') drawPartition(out, s, L, xa, width);
    else if ((kind === 'crash' || kind === 'pause' || kind === 'leave') && (s.e.nodes ?? []).length > 0) drawNodeFault(out, s, kind, L, xa, width, w0, w1);
    else drawLinkFault(out, s, L, xa, width, aboveRow++ % 2);
  }
}

function drawPartition(out: string[], s: FaultSpan, L: Layout, xa: number, width: string): void {
  const top = L.top - L.gap / 2, bottom = L.lanesBottom + L.gap / 2;
  const groupsText = s.e.groups.map((g) => '{' + g.join(',') + '}').join(' | ');
  out.push(`<g class="fault partition"><title>${xmlEscape(`partition ${s.id} from ${fmtTime(s.start)} to ${fmtTime(s.end)}: ${groupsText}`)}</title>`);
  out.push(`<rect x="${n1(xa)}" y="${n1(top - 14)}" width="${width}" height="${n1(bottom - top + 14)}" fill="#f6f1d5" stroke="#d8c66a" stroke-dasharray="4 3"/>`);
  s.e.groups.forEach((g, gi) => {
    for (const n of g) {
      if (!L.lane.has(n)) continue;
      out.push(`<rect x="${n1(xa)}" y="${n1(L.y(n) - L.gap * 0.38)}" width="${width}" height="${n1(L.gap * 0.76)}" fill="${GROUP_TINT[gi % GROUP_TINT.length]}" opacity="0.85"/>`);
    }
  });
  out.push(`<text x="${n1(xa + 4)}" y="${n1(top - 3)}" fill="#7a6a10" font-size="10">partition ${xmlEscape(s.id)} (${s.e.groups.length} groups)</text></g>`);
}

function drawNodeFault(out: string[], s: FaultSpan, kind: 'crash' | 'pause' | 'leave', L: Layout, xa: number, width: string, w0: number, w1: number): void {
  const style = NODE_FAULT[kind];
  const words = kind === 'crash' ? (s.ended ? `crashed at ${fmtTime(s.start)}, restarted at ${fmtTime(s.end)}` : `crashed at ${fmtTime(s.start)}, never restarted`)
    : kind === 'pause' ? `paused from ${fmtTime(s.start)} to ${fmtTime(s.end)}` : `left for good at ${fmtTime(s.start)}`;
  for (const n of s.e.nodes ?? []) {
    if (!L.lane.has(n)) continue;
    const yn = L.y(n);
    out.push(`<g class="fault ${kind}"><title>${xmlEscape(`${n} ${words} (${s.id})`)}</title>`);
    out.push(`<rect x="${n1(xa)}" y="${n1(yn - L.gap * 0.3)}" width="${width}" height="${n1(L.gap * 0.6)}" fill="${style.fill}" opacity="0.6"/>`);
    if (s.start >= w0) out.push(`<text x="${n1(L.x(s.start))}" y="${n1(yn + 4)}" text-anchor="middle" font-size="13" font-weight="bold" fill="${style.mark}">${style.startGlyph}</text>`);
    if (s.ended && s.end <= w1 && style.endGlyph !== '') out.push(`<text x="${n1(L.x(s.end))}" y="${n1(yn + 4)}" text-anchor="middle" font-size="13" font-weight="bold" fill="${style.mark}">${style.endGlyph}</text>`);
    out.push(`<text x="${n1(xa + 8)}" y="${n1(yn - L.gap * 0.3 - 2)}" font-size="9" fill="${style.mark}">${xmlEscape(style.label)}</text></g>`);
  }
}

/** Link faults (one-way, link, loss-burst, clog, capacity) and the quiet phase. */
function drawLinkFault(out: string[], s: FaultSpan, L: Layout, xa: number, width: string, row: number): void {
  const kind = s.e.kind;
  const nodes = s.e.nodes ?? [];
  const yy = L.top - L.gap / 2 - 14 - row * 6;
  const who = [...(s.e.from ?? []), ...(s.e.to ?? []), ...nodes];
  const detail = s.e.from !== undefined && s.e.to !== undefined ? `: ${s.e.from.join(',')} -> ${s.e.to.join(',')}` : nodes.length > 0 ? `: ${nodes.join(',')}` : '';
  out.push(`<g class="fault ${xmlEscape(kind)}"><title>${xmlEscape(`${kind} ${s.id} from ${fmtTime(s.start)} to ${fmtTime(s.end)}${detail}${s.e.released !== undefined ? `; ${s.e.released} deliveries released` : ''}`)}</title>`);
  out.push(`<rect x="${n1(xa)}" y="${n1(yy - 4)}" width="${width}" height="4" fill="${kind === 'quiet' ? '#7fbf7f' : '#b39ddb'}"/>`);
  for (const n of new Set(who)) {
    if (!L.lane.has(n) || kind === 'quiet') continue;
    out.push(`<rect x="${n1(xa)}" y="${n1(L.y(n) - 2)}" width="${width}" height="4" fill="#b39ddb" opacity="0.7"/>`);
  }
  out.push(`<text x="${n1(xa + 2)}" y="${n1(yy - 6)}" font-size="9" fill="#5e4b8b">${xmlEscape(kind === 'quiet' ? 'quiet phase' : `${kind} ${s.id}`)}</text></g>`);
}

/** The time axis, with its breaks (long idle stretches cut short). */
function drawAxis(out: string[], L: Layout): void {
  const top = L.top - L.gap / 2, bottom = L.lanesBottom + L.gap / 2;
  out.push('<g class="axis" fill="#666" font-size="10">');
  for (const tk of L.axis.ticks) {
    out.push(`<line x1="${n1(tk.x)}" y1="${n1(top - 16)}" x2="${n1(tk.x)}" y2="${n1(bottom)}" stroke="#eeeeee"/>`);
    out.push(`<text x="${n1(tk.x)}" y="${n1(top - 20)}" text-anchor="middle">${(tk.t / 1_000_000).toFixed(L.axis.decimals)}s</text>`);
  }
  for (const b of L.axis.breaks) {
    out.push(`<g class="axis-break"><title>${xmlEscape(`nothing happens from ${fmtTime(b.t0)} to ${fmtTime(b.t1)}: cut short`)}</title>` +
      `<rect x="${n1(b.x0 + 4)}" y="${n1(top - 16)}" width="${n1(b.x1 - b.x0 - 8)}" height="${n1(bottom - top + 16)}" fill="#f1f2f4"/>` +
      `<path d="M${n1(b.x0 + 8)},${n1(top - 18)} l6,-6 M${n1(b.x0 + 14)},${n1(top - 18)} l6,-6" stroke="#888" stroke-width="1.2"/>` +
      `<text transform="translate(${n1((b.x0 + b.x1) / 2 + 3)},${n1((top + bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="10" fill="#777">${((b.t1 - b.t0) / 1_000_000).toFixed(2)}s idle</text></g>`);
  }
  out.push('</g>');
}

/** Lanes; a receiver's lane turns dashed red once its receiving thread has died. */
function drawLanes(out: string[], slice: RunSlice, L: Layout): void {
  const died = new Map<string, number>();
  for (const e of slice.events) if (e.type === 'receiver_died' && !died.has(e.node)) died.set(e.node, e.t);
  out.push('<g class="lanes">');
  for (const n of slice.nodes) {
    const yn = L.y(n);
    const d = died.get(n);
    const xEnd = LEFT + L.plotW;
    out.push(`<g class="lane" data-node="${xmlEscape(n)}"><text x="${LEFT - 10}" y="${n1(yn + 4)}" text-anchor="end" font-weight="bold" font-size="12">${xmlEscape(n)}</text>`);
    out.push(`<line x1="${LEFT}" y1="${n1(yn)}" x2="${n1(d === undefined ? xEnd : L.x(d))}" y2="${n1(yn)}" stroke="#9aa5b1" stroke-width="1.2"/>`);
    if (d !== undefined) out.push(`<line x1="${n1(L.x(d))}" y1="${n1(yn)}" x2="${n1(xEnd)}" y2="${n1(yn)}" stroke="#c0392b" stroke-width="1.2" stroke-dasharray="2 4"><title>${xmlEscape(`${n}: receiving thread dead from ${fmtTime(d)} (can still send)`)}</title></line>`);
    out.push('</g>');
  }
  out.push('</g>');
}

interface Label { x: number; text: string; send: boolean }

/** Drops, then arrows, then marks on top, then the clock labels. */
function drawEvents(out: string[], slice: RunSlice, L: Layout): void {
  const drops: string[] = [];
  const arrows: string[] = [];
  const marks: string[] = [];
  const labels = new Map<string, Label[]>();
  for (const e of slice.events) {
    if (e.type === 'drop') {
      if (L.lane.has(e.to) && L.lane.has(e.from)) drops.push(dropMark(e, L));
      continue;
    }
    if (e.type !== 'join' && e.type !== 'send' && e.type !== 'join_seen' && e.type !== 'reply_seen' && e.type !== 'receive' && e.type !== 'receiver_died') continue;
    // Crash, restart and pause marks go here when the trace carries them; event types this
    // version does not know are skipped, so a newer trace still draws.
    if (!L.lane.has(e.node)) continue;
    const xe = L.x(e.t); const ye = L.y(e.node);
    if (e.type !== 'join' && e.type !== 'send' && L.lane.has(e.from)) arrows.push(arrow(e, L.x(e.sent), L.y(e.from), xe, ye, e.sent < slice.window[0]));
    const truth = slice.truth.get(e.ev);
    marks.push(mark(e, xe, ye, eventTitle(e, truth), truth !== undefined));
    const lab = labels.get(e.node) ?? [];
    lab.push({ x: xe, text: clockLabel(e.after, slice.header.nodes), send: e.type === 'send' });
    labels.set(e.node, lab);
  }
  out.push('<g class="drops">', ...drops, '</g>');
  out.push('<g class="arrows">', ...arrows, '</g>');
  out.push('<g class="marks">', ...marks, '</g>');
  drawLabels(out, slice, L, labels);
}

function dropMark(e: Extract<PlainEvent, { type: 'drop' }>, L: Layout): string {
  const x1 = L.x(e.sent); const y1 = L.y(e.from); const x2 = L.x(e.t); const y2 = L.y(e.to);
  const c = DROP_COLOUR[e.outcome] ?? '#7f7f7f';
  const r = 3.5;
  return `<g class="drop ${e.outcome}" data-msg="${e.msg}" data-t="${e.t}"><title>${xmlEscape(`msg ${e.msg} (${e.dg}${e.copy > 0 ? ', duplicate copy' : ''}) ${e.from} -> ${e.to} not delivered: ${e.outcome} (${e.reason}) at ${fmtTime(e.t)}`)}</title>` +
    `<line x1="${n1(x1)}" y1="${n1(y1)}" x2="${n1(x2)}" y2="${n1(y2)}" stroke="${c}" stroke-width="0.9" stroke-dasharray="3 3" opacity="${e.outcome === 'receiver_dead' ? 0.35 : 0.55}"/>` +
    `<path d="M${n1(x2 - r)},${n1(y2 - r)} L${n1(x2 + r)},${n1(y2 + r)} M${n1(x2 - r)},${n1(y2 + r)} L${n1(x2 + r)},${n1(y2 - r)}" stroke="${c}" stroke-width="1.8"/></g>`;
}

// Clock labels where there is room, greedily: first the sends' (they may reach over
// neighbouring marks, not over another label), then the others', only where a label covers
// no other mark of its lane.
function drawLabels(out: string[], slice: RunSlice, L: Layout, labels: ReadonlyMap<string, Label[]>): void {
  out.push('<g class="labels" font-family="Menlo, Consolas, monospace" font-size="9" fill="#223" stroke="#ffffff" stroke-width="3" paint-order="stroke" pointer-events="none">');
  for (const n of slice.nodes) {
    const ls = (labels.get(n) ?? []).slice().sort((a, b) => a.x - b.x);
    const placed: [number, number][] = [];
    const free = (a: number, b: number): boolean => a >= LEFT - 12 && b <= L.width - 2 && placed.every(([p, q]) => b + 6 <= p || a >= q + 6);
    for (const pass of [true, false]) {
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i];
        if (l.send !== pass) continue;
        const half = (l.text.length * CHAR_W) / 2;
        const a = l.x - half, b = l.x + half;
        if (!free(a, b)) continue;
        if (!l.send && ((i > 0 && a < ls[i - 1].x + 3) || (i + 1 < ls.length && b > ls[i + 1].x - 3))) continue;
        placed.push([a, b]);
        out.push(`<text x="${n1(l.x)}" y="${n1(L.y(n) - 8)}" text-anchor="middle">${xmlEscape(l.text)}</text>`);
      }
    }
  }
  out.push('</g>');
}

function firstClock(slice: RunSlice): PlainClock | undefined {
  for (const e of slice.events) if ('after' in e) return e.after;
  return undefined;
}

type DeliveredEvent = Extract<PlainEvent, { type: 'receive' | 'join_seen' | 'reply_seen' | 'receiver_died' }>;

function arrow(e: DeliveredEvent, x1: number, y1: number, x2: number, y2: number, fromOutside: boolean): string {
  const kind = e.type === 'receiver_died' ? 'dead' : e.copy > 0 ? 'duplicate' : e.dg !== 'chat' ? 'handshake' : 'chat';
  // Stop short of the mark so the arrowhead shows.
  const dx = x2 - x1; const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  const k = len > 8 ? (len - 4.5) / len : 1;
  const style = {
    chat: 'stroke="#2b3a55" stroke-width="0.9" marker-end="url(#ah)"',
    handshake: 'stroke="#b0b0b0" stroke-width="0.7" marker-end="url(#ah-hs)"',
    duplicate: 'stroke="#e67e22" stroke-width="1.1" stroke-dasharray="5 3" marker-end="url(#ah-dup)"',
    dead: 'stroke="#c0392b" stroke-width="1.4" marker-end="url(#ah-dead)"',
  }[kind];
  const t = `msg ${e.msg} (${e.dg}${e.copy > 0 ? ', duplicate copy' : ''}) ${e.from} -> ${e.node}: sent ${fmtTime(e.sent)}, delivered ${fmtTime(e.t)}${fromOutside ? ' (sent before the window)' : ''}`;
  return `<line class="arrow ${kind}${fromOutside ? ' from-outside' : ''}" data-msg="${e.msg}" data-ev="${e.ev}" data-t="${e.t}" data-node="${xmlEscape(e.node)}" x1="${n1(x1)}" y1="${n1(y1)}" x2="${n1(x1 + dx * k)}" y2="${n1(y1 + dy * k)}" ${style}><title>${xmlEscape(t)}</title></line>`;
}

function mark(e: Extract<PlainEvent, { ev: number }>, x: number, y: number, title: string, chat: boolean): string {
  let shape: string;
  switch (e.type) {
    case 'join': shape = `<rect x="${n1(x - 4.5)}" y="${n1(y - 4.5)}" width="9" height="9" fill="#27ae60" stroke="#1e8449"/>`; break;
    case 'send': shape = `<circle class="dot" cx="${n1(x)}" cy="${n1(y)}" r="4.8" fill="#1f4e9c" stroke="#ffffff" stroke-width="0.8"/>`; break;
    case 'receive': shape = e.copy > 0
      ? `<circle class="dot" cx="${n1(x)}" cy="${n1(y)}" r="4" fill="#fbe3cc" stroke="#e67e22" stroke-width="1.8"/>`
      : `<circle class="dot" cx="${n1(x)}" cy="${n1(y)}" r="3.6" fill="#7fa7d9" stroke="#2b3a55" stroke-width="0.7"/>`; break;
    case 'receiver_died': shape = `<circle class="dot" cx="${n1(x)}" cy="${n1(y)}" r="6" fill="#fdecea" stroke="#c0392b" stroke-width="1.6"/><path d="M${n1(x - 3.2)},${n1(y - 3.2)} L${n1(x + 3.2)},${n1(y + 3.2)} M${n1(x - 3.2)},${n1(y + 3.2)} L${n1(x + 3.2)},${n1(y - 3.2)}" stroke="#c0392b" stroke-width="1.8"/>`; break;
    default: shape = `<circle cx="${n1(x)}" cy="${n1(y)}" r="2.8" fill="#ffffff" stroke="#9a9a9a" stroke-width="1"/>`; break; // join_seen, reply_seen
  }
  const dup = e.type === 'receive' && e.copy > 0 ? ' duplicate' : '';
  return `<g class="ev ${e.type}${dup}${chat ? ' chat' : ''}" data-ev="${e.ev}" data-t="${e.t}" data-node="${xmlEscape(e.node)}"><title>${xmlEscape(title)}</title>${shape}</g>`;
}

/** The legend wraps past this width (it stays readable on a narrow diagram). */
const LEGEND_WIDTH = 900;

function legend(y0: number): string {
  const items: [string, string][] = [
    ['send', `<circle cx="6" cy="0" r="4.8" fill="#1f4e9c"/>`],
    ['receive', `<circle cx="6" cy="0" r="3.6" fill="#7fa7d9" stroke="#2b3a55" stroke-width="0.7"/>`],
    ['duplicate receive', `<circle cx="6" cy="0" r="4" fill="#fbe3cc" stroke="#e67e22" stroke-width="1.8"/>`],
    ['join', `<rect x="1.5" y="-4.5" width="9" height="9" fill="#27ae60"/>`],
    ['handshake seen', `<circle cx="6" cy="0" r="2.8" fill="#fff" stroke="#9a9a9a"/>`],
    ['receiver died', `<circle cx="6" cy="0" r="6" fill="#fdecea" stroke="#c0392b" stroke-width="1.6"/><path d="M2.8,-3.2 L9.2,3.2 M2.8,3.2 L9.2,-3.2" stroke="#c0392b" stroke-width="1.8"/>`],
    ['drop: loss', cross('#7f7f7f')],
    ['drop: partition', cross('#8e44ad')],
    ['drop: receiver dead', cross('#c0392b')],
    ['partition', `<rect x="0" y="-6" width="14" height="12" fill="#f6f1d5" stroke="#d8c66a" stroke-dasharray="3 2"/>`],
    ['crashed (✕ crash, ↻ restart)', `<rect x="0" y="-5" width="14" height="10" fill="${NODE_FAULT.crash.fill}"/>`],
    ['paused', `<rect x="0" y="-5" width="14" height="10" fill="${NODE_FAULT.pause.fill}"/>`],
    ['left', `<rect x="0" y="-5" width="14" height="10" fill="${NODE_FAULT.leave.fill}"/>`],
    ['link fault', `<rect x="0" y="-2" width="14" height="4" fill="#b39ddb"/>`],
  ];
  const out = [`<g class="legend" transform="translate(${LEFT},${n1(y0)})" font-size="11" fill="#333">`];
  let x = 0;
  let row = 0;
  for (const [label, glyph] of items) {
    const w = 30 + label.length * 6.2;
    if (x > 0 && x + w > LEGEND_WIDTH) { x = 0; row++; }
    out.push(`<g transform="translate(${x},${row * 18})">${glyph}<text x="18" y="4">${label}</text></g>`);
    x += w;
  }
  out.push(`<text x="0" y="${24 + row * 18}" fill="#555">Arrows: chat (dark), handshake (grey), duplicate copy (dashed orange), fatal delivery (red). Dashed lines end where a copy was lost.</text>`);
  out.push('</g>');
  return out.join('');
}

function cross(c: string): string {
  return `<path d="M2.5,-3.5 L9.5,3.5 M2.5,3.5 L9.5,-3.5" stroke="${c}" stroke-width="1.8"/>`;
}

function renderTooLarge(slice: RunSlice, folderHint: string): string {
  const [w0, w1] = slice.window;
  const span = Math.max(1, w1 - w0);
  const lanes = slice.nodes.length;
  // Suggest a window holding about a quarter of the limit, starting where the chat starts.
  const shownLanes = Math.min(lanes, 12);
  const perLaneShare = shownLanes / Math.max(1, lanes);
  const raw = Math.max(1000, (span * (DRAW_LIMITS.events / 4)) / Math.max(1, slice.count * perLaneShare));
  const up = niceStep(raw);
  const length = up === raw ? up : up / (String(up).startsWith('5') ? 2.5 : 2); // the nice step just below
  const start = Math.max(w0, Math.floor((slice.firstSend ?? w0) / length) * length);
  const win = `${fmtTime(start)}..${fmtTime(Math.min(w1, start + length))}`;
  const nodesHint = lanes > 20 ? ` --nodes-shown ${slice.nodes.slice(0, shownLanes).join(',')}` : '';
  const lines = [
    'This run is too large to draw readably, so diagram.svg holds this note instead.',
    `The slice has ${slice.count} events (limit ${DRAW_LIMITS.events}) on ${lanes} lanes (limit ${DRAW_LIMITS.nodes}).`,
    'Cut it to a readable slice, for example:',
    `vcsim render ${folderHint} --window ${win}${nodesHint}`,
  ];
  const h = 40 + lines.length * 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${h}" viewBox="0 0 900 ${h}" font-family="Helvetica, Arial, sans-serif" font-size="14" class="vcsim-diagram too-large">\n` +
    `<rect x="0" y="0" width="900" height="${h}" fill="#fffbe6" stroke="#d8c66a"/>\n` +
    lines.map((l, i) => `<text x="20" y="${34 + i * 24}"${i === 3 ? ' font-family="Menlo, Consolas, monospace"' : ''}>${xmlEscape(l)}</text>`).join('\n') + '\n</svg>\n';
}
