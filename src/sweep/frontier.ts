// frontier.svg for `vcsim compare` (docs/clocks.md, "vcsim compare"): bytes per chat
// message on a log-scale x axis against the share of pairs judged wrong, one mark per clock
// per point of the other varied fields (labelled with N, the node count), with 95% interval
// bars both ways, and a line joining one clock's marks in point order. Plain SVG by hand.

import type { Stats } from './figures.js';
import { niceTicks } from './plot.js';
import type { Vary } from './vary.js';

/** One clock at one point of the other varied fields, with its figures' statistics over seeds. */
export interface CompareMark {
  readonly clock: string;
  /** The other varied fields' values at this point. */
  readonly values: readonly (string | number | boolean)[];
  readonly point: number;
  readonly stats: ReadonlyMap<string, Stats | null>;
}

export interface FrontierInput {
  readonly scenario: string;
  readonly marks: readonly CompareMark[];
  readonly vary: readonly Vary[];
  readonly seeds: number;
}

const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#999999'];
const W = 860;
const H = 520;
const M = { left: 80, right: 220, top: 60, bottom: 60 };

export function frontierPlot(input: FrontierInput): string {
  const { marks } = input;
  const clocks: string[] = [];
  for (const m of marks) if (!clocks.includes(m.clock)) clocks.push(m.clock);
  const get = (m: CompareMark, f: string): { mean: number; lo: number; hi: number } | null => {
    const s = m.stats.get(f) ?? null;
    if (s === null) return null;
    return { mean: s.mean, lo: s.ci95 ? s.ci95[0] : s.mean, hi: s.ci95 ? s.ci95[1] : s.mean };
  };
  const shown = marks.filter((m) => get(m, 'bytes_per_message') !== null && get(m, 'wrong_share') !== null);
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = M.top;
  const y1 = H - M.bottom;

  // x: log10 of bytes, whole decades around the data.
  const bytes = shown.flatMap((m) => { const b = get(m, 'bytes_per_message')!; return [Math.max(1, b.lo), Math.max(1, b.hi), Math.max(1, b.mean)]; });
  const dLo = Math.floor(Math.log10(Math.min(10, ...bytes)));
  const dHi = Math.max(dLo + 1, Math.ceil(Math.log10(Math.max(10, ...bytes))));
  const xOf = (b: number): number => x0 + ((Math.log10(Math.max(1, b)) - dLo) / (dHi - dLo)) * (x1 - x0);
  // y: the wrong share, from 0.
  const wrong = shown.flatMap((m) => { const w = get(m, 'wrong_share')!; return [w.hi, w.mean]; });
  const yTicks = niceTicks(0, Math.max(0.01, ...wrong), 5);
  const yHi = yTicks[yTicks.length - 1];
  const yOf = (v: number): number => y1 - (Math.max(0, v) / yHi) * (y1 - y0);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(`vcsim compare ${input.scenario}: mean of ${input.seeds} seed${input.seeds === 1 ? '' : 's'} per mark, bars = 95% interval`)}</text>`);
  out.push(`<text x="${W / 2}" y="42" text-anchor="middle" fill="#555">${esc('lower left is better: fewer bytes per message, fewer pairs judged wrong; marks labelled with N')}</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}" fill="none" stroke="#333"/>`);
  for (let d = dLo; d <= dHi; d++) {
    const x = r1(xOf(10 ** d));
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y1}" stroke="#ddd"/><text x="${x}" y="${y1 + 18}" text-anchor="middle">${esc(decade(d))}</text>`);
    if (d < dHi) for (let k = 2; k < 10; k++) { const xm = r1(xOf(k * 10 ** d)); out.push(`<line x1="${xm}" y1="${y1}" x2="${xm}" y2="${y1 - 4}" stroke="#999"/>`); }
  }
  for (const t of yTicks) {
    const y = r1(yOf(t));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#eee"/><text x="${x0 - 8}" y="${y + 4}" text-anchor="end">${esc(String(Number(t.toPrecision(6))))}</text>`);
  }
  out.push(`<text x="${(x0 + x1) / 2}" y="${H - 18}" text-anchor="middle">bytes per chat message (log scale)</text>`);
  out.push(`<text transform="translate(20 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">share of pairs judged wrong (disagree / pairs)</text>`);

  clocks.forEach((clock, ci) => {
    const color = COLORS[ci % COLORS.length];
    const mine = shown.filter((m) => m.clock === clock);
    const g: string[] = [`<g class="clock" data-clock="${esc(clock)}">`];
    if (mine.length > 1) {
      g.push(`<polyline fill="none" stroke="${color}" stroke-opacity="0.5" points="${mine.map((m) => `${r1(xOf(get(m, 'bytes_per_message')!.mean))},${r1(yOf(get(m, 'wrong_share')!.mean))}`).join(' ')}"/>`);
    }
    for (const m of mine) {
      const b = get(m, 'bytes_per_message')!;
      const w = get(m, 'wrong_share')!;
      const x = r1(xOf(b.mean));
      const y = r1(yOf(w.mean));
      g.push(`<line x1="${r1(xOf(b.lo))}" y1="${y}" x2="${r1(xOf(b.hi))}" y2="${y}" stroke="${color}"/>`);
      g.push(`<line x1="${x}" y1="${r1(yOf(w.lo))}" x2="${x}" y2="${r1(yOf(w.hi))}" stroke="${color}"/>`);
      g.push(`<circle cx="${x}" cy="${y}" r="4" fill="${color}"><title>${esc(`${clock} ${label(m, input.vary)}: ${fmt3(b.mean)} bytes, ${fmt3(w.mean)} wrong`)}</title></circle>`);
      g.push(`<text x="${x + 6}" y="${y - 6}" fill="${color}" font-size="11">${esc(label(m, input.vary))}</text>`);
    }
    g.push(`<rect x="${x1 + 16}" y="${y0 + ci * 20 - 5}" width="10" height="10" fill="${color}"/><text x="${x1 + 32}" y="${y0 + ci * 20 + 4}">${esc(clock)}</text>`);
    g.push('</g>');
    out.push(g.join('\n'));
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A mark's label: N (the mean node count), and any other varied field but nodes. */
function label(m: CompareMark, vary: readonly Vary[]): string {
  const n = m.stats.get('nodes')?.mean;
  const parts = n === undefined ? [] : [`N=${Math.round(n)}`];
  vary.forEach((v, i) => { if (v.path !== 'nodes') parts.push(`${v.path}=${String(m.values[i])}`); });
  return parts.join(' ');
}

function decade(d: number): string {
  return d < 4 ? String(10 ** d) : d < 7 ? `${10 ** (d - 3)}k` : `${10 ** (d - 6)}M`;
}

const fmt3 = (x: number): string => String(Number(x.toPrecision(3)));
const r1 = (x: number): number => Math.round(x * 10) / 10;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
