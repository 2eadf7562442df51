// Per-node physical clocks (src/world/clocks.ts, docs/scenarios.md, "Physical clocks").
import { describe, expect, it } from 'vitest';
import { loadScenarioData, loadScenarioText } from '../../src/api/index.js';
import { drawPhysicalClocks } from '../../src/world/clocks.js';
import { UserError } from '../../src/util/errors.js';

const sc = (physical: unknown, nodes = 4) => loadScenarioData({ name: 'pc', nodes, duration: '1s', physical_clocks: physical }, 'pc.yaml').scenario;

describe('physical clocks', () => {
  it('absent: undefined (every node reads true time)', () => {
    expect(drawPhysicalClocks(loadScenarioData({ name: 'pc', nodes: 2, duration: '1s' }, 'pc.yaml').scenario, 1)).toBeUndefined();
  });

  it('constants and signed durations', () => {
    expect(drawPhysicalClocks(sc({ offset: '-3ms', drift_ppm: 25 }, 2), 1)).toEqual([{ offset: -3000, driftPpm: 25 }, { offset: -3000, driftPpm: 25 }]);
    expect(drawPhysicalClocks(sc({ offset: 1500 }, 1), 1)).toEqual([{ offset: 1500, driftPpm: 0 }]);
  });

  it('uniform draws stay in range, are fixed by the seed and differ between seeds', () => {
    const s = sc({ offset: { dist: 'uniform', min: '-5ms', max: '5ms' }, drift_ppm: { dist: 'uniform', min: -100, max: 100 } }, 50);
    const a = drawPhysicalClocks(s, 7)!;
    expect(drawPhysicalClocks(s, 7)).toEqual(a);
    expect(drawPhysicalClocks(s, 8)).not.toEqual(a);
    for (const c of a) {
      expect(Number.isSafeInteger(c.offset)).toBe(true);
      expect(Math.abs(c.offset)).toBeLessThanOrEqual(5000);
      expect(Math.abs(c.driftPpm)).toBeLessThanOrEqual(100);
    }
    expect(new Set(a.map((c) => c.offset)).size).toBeGreaterThan(40);
  });

  it('bad values are one problem each, naming the field', () => {
    const yaml = 'name: pc\nnodes: 2\nduration: 1s\nphysical_clocks:\n  offset: fast\n  drift_ppm: { dist: uniform, min: x, max: 1 }\n';
    let err: unknown;
    try { loadScenarioText(yaml, 'pc.yaml'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UserError);
    const text = (err as Error).message;
    expect(text).toMatch(/pc\.yaml:5:\d+.*physical_clocks\.offset/);
    expect(text).toMatch(/pc\.yaml:6:\d+.*physical_clocks\.drift_ppm/);
  });
});
