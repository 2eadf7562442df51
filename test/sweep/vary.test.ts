// --vary parsing: lists, ranges, types, and the grid of points.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/errors.js';
import { parseVaries, parseVary, points } from '../../src/sweep/vary.js';

const problem = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('expected a UserError');
};

describe('--vary', () => {
  it('reads comma lists of numbers, booleans and text', () => {
    expect(parseVary('network.loss=0,0.01, 0.05').values).toEqual([0, 0.01, 0.05]);
    expect(parseVary('protocol.clock=seed,fidge-mattern').values).toEqual(['seed', 'fidge-mattern']);
    expect(parseVary('network.deliver_to_self=true,false').values).toEqual([true, false]);
    expect(parseVary('workload.interval=100ms,1s').values).toEqual(['100ms', '1s']);
  });

  it('expands ranges a..b:step without floating-point noise', () => {
    expect(parseVary('nodes=10..100:10').values).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(parseVary('network.loss=0..0.3:0.1').values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseVary('nodes=3..5').values).toEqual([3, 4, 5]);
    expect(parseVary('nodes=2,5..7,20').values).toEqual([2, 5, 6, 7, 20]);
  });

  it('refuses malformed specs, naming the flag', () => {
    expect(problem(() => parseVary('network.loss'))).toMatch(/^--vary: expected PATH=VALUES/);
    expect(problem(() => parseVary('nodes=5..1'))).toMatch(/^--vary nodes: expected a range a\.\.b with a <= b/);
    expect(problem(() => parseVary('nodes=1..5:0'))).toMatch(/^--vary nodes: expected a step above 0/);
    expect(problem(() => parseVary('nodes=1,,2'))).toMatch(/^--vary nodes: expected a comma list/);
    expect(problem(() => parseVary('nodes=1,1'))).toMatch(/listed twice/);
    expect(problem(() => parseVary('seed=1,2'))).toMatch(/^--vary seed: cannot be varied/);
    expect(problem(() => parseVaries(['nodes=1', 'nodes=2']))).toMatch(/given twice/);
    expect(problem(() => parseVaries([]))).toMatch(/at least one --vary/);
  });

  it('spans the grid with the first field outermost', () => {
    const v = parseVaries(['network.loss=0,0.1', 'protocol.clock=seed,lamport,fidge-mattern']);
    const ps = points(v);
    expect(ps).toHaveLength(6);
    expect(ps[0].values).toEqual([0, 'seed']);
    expect(ps[2].values).toEqual([0, 'fidge-mattern']);
    expect(ps[3].values).toEqual([0.1, 'seed']);
    expect(ps.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
