// The diagram's time axis: linear where things happen, long idle stretches cut to a break.
import { describe, expect, it } from 'vitest';
import { timeAxis } from '../../src/export/timeaxis.js';

describe('timeAxis', () => {
  it('is linear and increasing when nothing is idle for long', () => {
    const a = timeAxis([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 0, 1000, 50, 1000);
    expect(a.breaks).toEqual([]);
    expect(a.x(0)).toBe(50);
    expect(a.x(1000)).toBe(1050);
    expect(a.x(500)).toBe(550);
  });

  it('cuts a long idle stretch to a break, keeps order, and puts no tick inside it', () => {
    const times = [0, 50_000, 100_000, 2_000_000, 2_050_000, 3_000_000];
    const a = timeAxis(times, 0, 3_000_000, 0, 1000);
    expect(a.breaks.length).toBe(2);
    const [b] = a.breaks;
    expect(b.t0).toBeGreaterThan(100_000);
    expect(b.t1).toBeLessThan(2_000_000);
    expect(b.x1 - b.x0).toBe(40);
    const xs = times.map(a.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
    expect(a.x(3_000_000)).toBeCloseTo(1000, 6);
    for (const t of a.ticks) for (const br of a.breaks) expect(t.t <= br.t0 || t.t >= br.t1).toBe(true);
    // The stretches that stay are drawn at one scale.
    expect((a.x(50_000) - a.x(0)) / 50_000).toBeCloseTo((a.x(2_050_000) - a.x(2_000_000)) / 50_000, 9);
  });
});
