// The diagram's time axis: time flows left to right, linearly, except that a long stretch in
// which nothing happens (over a tenth of the window, e.g. between the joins and the first
// chat message) is cut down to a narrow break, drawn as such with its length written on it.
// Pure: the times of the things drawn in, a mapping from time to x and the ticks out.

export interface AxisBreak {
  readonly t0: number;
  readonly t1: number;
  readonly x0: number;
  readonly x1: number;
}

export interface TimeAxis {
  readonly x: (t: number) => number;
  readonly breaks: readonly AxisBreak[];
  readonly ticks: readonly { readonly t: number; readonly x: number }[];
  /** Decimals that the tick labels need (in seconds). */
  readonly decimals: number;
}

const BREAK_PX = 40;

export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  for (const m of [1, 2, 5]) if (m * p >= raw) return m * p;
  return 10 * p;
}

interface Segment { t0: number; t1: number; x0: number; scale: number; cut: boolean }

export function timeAxis(times: readonly number[], w0: number, w1: number, left: number, plotW: number): TimeAxis {
  const span = Math.max(1, w1 - w0);
  const ts = [...new Set([w0, w1, ...times.map((t) => Math.min(Math.max(t, w0), w1))])].sort((a, b) => a - b);
  const minGap = span / 10;
  const margin = span / 100;
  const cuts: [number, number][] = [];
  for (let i = 0; i + 1 < ts.length; i++) if (ts[i + 1] - ts[i] > minGap) cuts.push([ts[i] + margin, ts[i + 1] - margin]);
  const cutTime = cuts.reduce((s, [a, b]) => s + (b - a), 0);
  const scale = (plotW - cuts.length * BREAK_PX) / Math.max(1, span - cutTime);
  const segs: Segment[] = [];
  let t = w0;
  let x = left;
  for (const [a, b] of cuts) {
    segs.push({ t0: t, t1: a, x0: x, scale, cut: false });
    x += (a - t) * scale;
    segs.push({ t0: a, t1: b, x0: x, scale: BREAK_PX / (b - a), cut: true });
    x += BREAK_PX;
    t = b;
  }
  segs.push({ t0: t, t1: w1, x0: x, scale, cut: false });
  const xOf = (tt: number): number => {
    const c = Math.min(Math.max(tt, w0), w1);
    for (const s of segs) if (c <= s.t1) return s.x0 + (c - s.t0) * s.scale;
    const s = segs[segs.length - 1];
    return s.x0 + (s.t1 - s.t0) * s.scale;
  };
  const step = niceStep(100 / scale);
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step / 1_000_000))));
  const ticks: { t: number; x: number }[] = [];
  for (let tt = Math.ceil(w0 / step) * step; tt <= w1; tt += step) {
    if (segs.some((s) => s.cut && tt > s.t0 && tt < s.t1)) continue;
    const xt = xOf(tt);
    if (ticks.length > 0 && xt - ticks[ticks.length - 1].x < 56) continue;
    ticks.push({ t: tt, x: xt });
  }
  const breaks = segs.filter((s) => s.cut).map((s) => ({ t0: s.t0, t1: s.t1, x0: s.x0, x1: s.x0 + BREAK_PX }));
  return { x: xOf, breaks, ticks, decimals };
}
