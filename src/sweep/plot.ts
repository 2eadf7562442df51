// sweep.svg: one panel per plotted figure, the mean over seeds against the first varied
// field, one line per combination of the other varied fields, with 95% interval error bars
// and a legend. Plain SVG written by hand (no plotting dependency): numeric x values get a
// linear axis, other values (clock rules, durations) evenly spaced categories.

import { xmlEscape } from '../util/escape.js';
import type { Stats } from './figures.js';
import type { SweepTable } from './tables.js';
import type { Point, Vary, VaryValue } from './vary.js';

export interface PlotInput {
  readonly scenario: string;
  readonly vary: readonly Vary[];
  readonly points: readonly Point[];
  readonly table: SweepTable;
  readonly metrics: readonly string[];
  readonly seeds: number;
}

export interface PlotSeries {
  readonly label: string;
  /** Point indexes on this line, in x order. */
  readonly points: readonly number[];
}

/** Okabe-Ito colours (readable for colour-blind readers), then markers to tell lines apart. */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const W = 820;
const PANEL_H = 300;
const M = { left: 78, right: 210, top: 56, bottom: 56 };
const TITLE_H = 40;

export function plotSeries(vary: readonly Vary[], points: readonly Point[]): PlotSeries[] {
  const groups = new Map<string, number[]>();
  const labels = new Map<string, string>();
  for (const p of points) {
    const key = JSON.stringify(p.values.slice(1));
    if (!groups.has(key)) {
      groups.set(key, []);
      labels.set(key, vary.slice(1).map((v, i) => `${v.path}=${String(p.values[i + 1])}`).join(', '));
    }
    groups.get(key)!.push(p.index);
  }
  const numeric = isNumeric(vary[0].values);
  return [...groups.entries()].map(([key, idx]) => ({
    label: labels.get(key)!,
    points: numeric ? [...idx].sort((a, b) => (points[a].values[0] as number) - (points[b].values[0] as number)) : idx,
  }));
}

function isNumeric(values: readonly VaryValue[]): boolean {
  return values.every((v) => typeof v === 'number');
}

export function sweepPlot(input: PlotInput): string {
  const { vary, points, table, metrics } = input;
  const series = plotSeries(vary, points);
  const height = TITLE_H + metrics.length * (PANEL_H + M.top + M.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${xmlEscape(`vcsim sweep ${input.scenario}: mean of ${input.seeds} seed${input.seeds === 1 ? '' : 's'} per point, bars = 95% interval`)}</text>`);
  metrics.forEach((metric, i) => {
    out.push(panel(metric, TITLE_H + i * (PANEL_H + M.top + M.bottom), vary, points, table, series));
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A panel's plot area in SVG units: x0..x1 left to right, y0..y1 top to bottom. */
interface Frame {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

interface Axis {
  readonly ticks: readonly { at: number; label: string }[];
}

interface XAxis extends Axis {
  readonly of: (p: Point) => number;
}

interface YAxis extends Axis {
  readonly of: (v: number) => number;
  /** The lowest value seen: intervals are clipped here (a count never goes below 0, whatever t says). */
  readonly floor: number;
}

/** One panel: the axes, one line per series with its error bars, and the legend. */
function panel(metric: string, top: number, vary: readonly Vary[], points: readonly Point[], table: SweepTable, series: readonly PlotSeries[]): string {
  const frame: Frame = { x0: M.left, x1: W - M.right, y0: top + M.top, y1: top + M.top + PANEL_H };
  const stats = (p: number): Stats | null => table.stats.get(p)?.get(metric) ?? null;
  const x = xAxis(vary[0], frame);
  const y = yAxis(points, stats, frame);
  const g: string[] = [`<g class="panel" data-metric="${xmlEscape(metric)}">`];
  g.push(`<text x="${frame.x0}" y="${frame.y0 - 14}" font-size="13" font-weight="bold">${xmlEscape(metric)}</text>`);
  drawAxes(g, frame, x, y, vary[0].path, metric);
  drawSeries(g, metric, series, points, stats, x, y);
  drawLegend(g, frame, vary, series);
  g.push('</g>');
  return g.join('\n');
}

/** The x scale: linear over the first varied field's values, or evenly spaced categories. */
function xAxis(first: Vary, { x0, x1 }: Frame): XAxis {
  if (isNumeric(first.values)) {
    const xs = first.values as number[];
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const ticks = niceTicks(lo, hi === lo ? lo + 1 : hi, 6);
    const dLo = Math.min(lo, ticks[0]);
    const dHi = Math.max(hi, ticks[ticks.length - 1]);
    const pad = (dHi - dLo) * 0.03;
    const scale = (v: number): number => x0 + ((v - (dLo - pad)) / (dHi - dLo + 2 * pad)) * (x1 - x0);
    return { of: (p) => scale(p.values[0] as number), ticks: ticks.map((t) => ({ at: scale(t), label: tickLabel(t) })) };
  }
  const step = (x1 - x0) / first.values.length;
  const pos = (v: VaryValue): number => x0 + step * (first.values.indexOf(v) + 0.5);
  return { of: (p) => pos(p.values[0]), ticks: first.values.map((v) => ({ at: pos(v), label: String(v) })) };
}

/** The y scale: from 0 (or the lowest value seen) to the highest interval end. */
function yAxis(points: readonly Point[], stats: (p: number) => Stats | null, { y0, y1 }: Frame): YAxis {
  let lo = 0;
  let hi = 0;
  for (const p of points) {
    const s = stats(p.index);
    if (s === null) continue;
    lo = Math.min(lo, s.min);
    hi = Math.max(hi, s.ci95 ? s.ci95[1] : s.mean, s.mean);
  }
  const floor = lo;
  if (hi === lo) hi = lo + 1;
  const ticks = niceTicks(lo, hi, 6);
  const yLo = ticks[0];
  const yHi = ticks[ticks.length - 1];
  const of = (v: number): number => y1 - ((v - yLo) / (yHi - yLo)) * (y1 - y0);
  return { of, floor, ticks: ticks.map((t) => ({ at: of(t), label: tickLabel(t) })) };
}

/** Grid lines, ticks and their labels, the frame, and the axis titles. */
function drawAxes(g: string[], { x0, x1, y0, y1 }: Frame, x: XAxis, y: YAxis, xTitle: string, metric: string): void {
  for (const t of y.ticks) {
    const at = r1(t.at);
    g.push(`<line x1="${x0}" x2="${x1}" y1="${at}" y2="${at}" stroke="#e4e4e4"/>`);
    g.push(`<line x1="${x0 - 5}" x2="${x0}" y1="${at}" y2="${at}" stroke="#333"/>`);
    g.push(`<text x="${x0 - 8}" y="${at + 4}" text-anchor="end">${xmlEscape(t.label)}</text>`);
  }
  for (const t of x.ticks) {
    const at = r1(t.at);
    g.push(`<line x1="${at}" x2="${at}" y1="${y1}" y2="${y1 + 5}" stroke="#333"/>`);
    g.push(`<text x="${at}" y="${y1 + 19}" text-anchor="middle">${xmlEscape(t.label)}</text>`);
  }
  g.push(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${PANEL_H}" fill="none" stroke="#333"/>`);
  g.push(`<text x="${(x0 + x1) / 2}" y="${y1 + 42}" text-anchor="middle" font-size="13">${xmlEscape(xTitle)}</text>`);
  g.push(`<text transform="translate(${x0 - 56} ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${xmlEscape(shortMetric(metric))}</text>`);
}

/** The lines with markers and error bars, nudged sideways a little so that error bars of different lines do not overlap. */
function drawSeries(g: string[], metric: string, series: readonly PlotSeries[], points: readonly Point[], stats: (p: number) => Stats | null, x: XAxis, y: YAxis): void {
  const dodge = Math.min(6, 36 / Math.max(series.length, 1));
  series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length];
    const dx = (si - (series.length - 1) / 2) * dodge;
    const pts = s.points.map((i) => ({ p: points[i], s: stats(i) })).filter((q): q is { p: Point; s: Stats } => q.s !== null);
    const coords = pts.map((q) => `${r1(x.of(q.p) + dx)},${r1(y.of(q.s.mean))}`).join(' ');
    const dash = DASHES[Math.floor(si / COLORS.length) % DASHES.length];
    g.push(`<polyline class="series" data-series="${xmlEscape(s.label || metric)}" points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const q of pts) {
      const px = r1(x.of(q.p) + dx);
      if (q.s.ci95) {
        const a = r1(y.of(Math.max(y.floor, q.s.ci95[0])));
        const b = r1(y.of(q.s.ci95[1]));
        g.push(`<path class="errorbar" d="M${px},${a}V${b}M${px - 4},${a}H${px + 4}M${px - 4},${b}H${px + 4}" stroke="${color}" stroke-width="1.2" fill="none"/>`);
      }
      g.push(marker(MARKERS[si % MARKERS.length], px, r1(y.of(q.s.mean)), color));
    }
  });
}

/** The legend, right of the plot: the other varied fields' values per line. */
function drawLegend(g: string[], { x1, y0 }: Frame, vary: readonly Vary[], series: readonly PlotSeries[]): void {
  const lx = x1 + 18;
  let ly = y0 + 6;
  const title = vary.length > 1 ? vary.slice(1).map((v) => v.path).join(', ') : '';
  if (title) {
    g.push(`<text x="${lx}" y="${ly + 4}" font-weight="bold">${xmlEscape(title)}</text>`);
    ly += 20;
  }
  series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length];
    const dash = DASHES[Math.floor(si / COLORS.length) % DASHES.length];
    g.push(`<g class="legend-entry"><line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    g.push(marker(MARKERS[si % MARKERS.length], lx + 13, ly, color));
    const label = vary.length > 1 ? s.label.split(', ').map((part) => part.slice(part.indexOf('=') + 1)).join(', ') : 'mean';
    g.push(`<text x="${lx + 34}" y="${ly + 4}">${xmlEscape(label)}</text></g>`);
    ly += 20;
  });
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, color: string): string {
  switch (kind) {
    case 'circle': return `<circle cx="${x}" cy="${y}" r="3.8" fill="${color}"/>`;
    case 'square': return `<rect x="${r1(x - 3.5)}" y="${r1(y - 3.5)}" width="7" height="7" fill="${color}"/>`;
    case 'triangle': return `<path d="M${x},${r1(y - 4.5)}L${r1(x + 4.5)},${r1(y + 3.5)}L${r1(x - 4.5)},${r1(y + 3.5)}Z" fill="${color}"/>`;
    case 'diamond': return `<path d="M${x},${r1(y - 5)}L${r1(x + 4.5)},${y}L${x},${r1(y + 5)}L${r1(x - 4.5)},${y}Z" fill="${color}"/>`;
  }
}

/** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = start; t < hi + step - 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks.length < 2) ticks.push(Number((start + step).toPrecision(12)));
  return ticks;
}

function tickLabel(t: number): string {
  if (Math.abs(t) >= 1e6) return `${Number((t / 1e6).toPrecision(6))}M`;
  if (Math.abs(t) >= 1e4) return `${Number((t / 1e3).toPrecision(6))}k`;
  return String(Number(t.toPrecision(6)));
}

/** The y label: the figure's path, unless too long for the axis. */
function shortMetric(m: string): string {
  return m.length > 40 ? '...' + m.slice(-37) : m;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
