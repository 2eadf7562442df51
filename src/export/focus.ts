// The part of a run drawn when the whole run is too large for a readable diagram
// (docs/pictures.md, "When a run is too large"): a time window around the first anomaly, else
// around the busiest second, on at most FOCUS_LANES lanes, cut short until it holds about
// FOCUS_EVENTS events. Chosen from the overview's bins alone, so it costs nothing per event.

import type { Anomaly } from '../check/anomalies.js';
import type { OverviewData } from './overview.js';
import { fmtTime } from './svg.js';
import { shellQuote } from '../util/shell.js';

export const FOCUS_LANES = 12;
export const FOCUS_EVENTS = 800;

export interface Focus {
  readonly window: readonly [number, number];
  readonly nodes: readonly string[];
  /** Why this part, in words. */
  readonly why: string;
}

/** Events in [t0, t1) as the bins estimate them (a bin partly inside counts in proportion). */
function eventsIn(o: OverviewData, t0: number, t1: number): number {
  let n = 0;
  const ev = o.series.events;
  for (let b = 0; b < o.bins; b++) {
    const a = b * o.binUs, z = a + o.binUs;
    const inside = Math.min(z, t1) - Math.max(a, t0);
    if (inside > 0) n += (ev[b] * inside) / o.binUs;
  }
  return n;
}

/** The centre of the busiest second inside `within` (the earliest such). */
function busiestSecond(o: OverviewData, within: readonly [number, number]): number {
  const k = Math.max(1, Math.round(1_000_000 / o.binUs));
  const ev = o.series.events;
  const first = Math.min(o.bins - 1, Math.floor(within[0] / o.binUs));
  const last = Math.min(o.bins - 1, Math.floor(within[1] / o.binUs));
  let best = -1, at = first, sum = 0;
  for (let b = first; b <= last; b++) {
    sum += ev[b] - (b - k >= first ? ev[b - k] : 0);
    if (sum > best) { best = sum; at = Math.max(first, b - k + 1); }
  }
  const centre = Math.round(at * o.binUs + (Math.min(k, last - first + 1) * o.binUs) / 2);
  return Math.min(Math.max(centre, within[0]), within[1]);
}

/** Lanes: the anomaly's node and peer and their neighbours in the run's order, or the busiest nodes. */
function chooseNodes(o: OverviewData, nodes: readonly string[], first: Anomaly | undefined, t0: number, t1: number): string[] {
  if (nodes.length <= FOCUS_LANES) return [...nodes];
  const pick = new Set<number>();
  if (first !== undefined) {
    const at = nodes.indexOf(first.node);
    const peer = nodes.indexOf(first.peer);
    if (at >= 0) pick.add(at);
    if (peer >= 0) pick.add(peer);
    for (let d = 1; pick.size < FOCUS_LANES && d < nodes.length; d++) {
      for (const c of [at + d, at - d]) if (c >= 0 && c < nodes.length && pick.size < FOCUS_LANES) pick.add(c);
    }
  } else {
    // The lanes (nodes or groups of nodes) most active in the window; a group gives its first node.
    const b0 = Math.floor(t0 / o.binUs), b1 = Math.min(o.bins - 1, Math.floor(t1 / o.binUs));
    const busy = o.lanes.activity.map((row, l) => ({ l, n: row.slice(b0, b1 + 1).reduce((x, y) => x + y, 0) }));
    busy.sort((a, b) => b.n - a.n || a.l - b.l);
    const firstOf: number[] = [];
    o.lanes.size.reduce((start, size, l) => { firstOf[l] = start; return start + size; }, 0);
    for (const { l } of busy.slice(0, FOCUS_LANES)) pick.add(firstOf[l]);
  }
  return [...pick].sort((a, b) => a - b).map((i) => nodes[i]);
}

/** The part to draw of the slice of `nodes` in `within` (the whole run, or what --window cut). */
export function chooseFocus(o: OverviewData, nodes: readonly string[], anomalies: readonly Anomaly[], within: readonly [number, number]): Focus {
  // The first anomaly that happened at an event (membership divergence is found at the end).
  const first = anomalies.find((a) => a.kind !== 'membership_divergence' && a.t >= within[0] && a.t <= within[1] && nodes.includes(a.node));
  const centre = first !== undefined ? first.t : busiestSecond(o, within);
  const share = Math.min(1, FOCUS_LANES / Math.max(1, nodes.length));
  let half = 500_000;
  while (half > 1000 && eventsIn(o, centre - half, centre + half) * share > FOCUS_EVENTS) half /= 2;
  half = Math.round(half);
  const t0 = Math.max(within[0], centre - half), t1 = Math.max(t0 + 1, Math.min(within[1], o.end, centre + half));
  const picked = chooseNodes(o, nodes, first, t0, t1);
  const why = first !== undefined
    ? `around the first anomaly (${first.kind} at ${first.node}, ${fmtTime(first.t)})`
    : 'around the busiest second';
  return { window: [t0, t1], nodes: picked, why };
}

/** The exact command that draws a part of the run. */
export function renderCommand(folder: string, window: readonly [number, number], nodes: readonly string[] | null): string {
  const q = shellQuote;
  return `vcsim render ${q(folder)} --window ${fmtTime(window[0])}..${fmtTime(window[1])}${nodes !== null && nodes.length > 0 ? ` --nodes-shown ${q(nodes.join(','))}` : ''}`;
}
