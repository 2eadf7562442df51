// Fault scenario errors: a fault naming a node or group that does not exist, overlapping
// contradictory faults, and times outside the run are problems with file:line:column.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioText, UserError } from '../../src/api/index.js';
import { liveOptions } from '../../src/api/live.js';

function problems(yaml: string): string[] {
  try {
    loadScenarioText(yaml, 'bad.yaml');
  } catch (e) {
    if (e instanceof UserError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

const head = 'nodes: 4\nduration: 10s\n';

describe('fault scenario errors', () => {
  it('a node that does not exist', () => {
    expect(problems(head + 'faults:\n  - kind: crash\n    nodes: [n1, n9]\n    start: 1s\n')).toEqual([
      'bad.yaml:5:17: faults.0.nodes.1: expected a node or group of this scenario, found "n9"',
    ]);
  });

  it('a group that does not exist (and the groups that do)', () => {
    expect(problems(head + 'groups: {west: [n0, n1]}\nfaults:\n  - {kind: one-way, from: [west], to: [east], start: 1s}\n')).toEqual([
      'bad.yaml:5:40: faults.0.to.0: expected a node or group of this scenario (groups: west), found "east"',
    ]);
  });

  it('a group listing a node that does not exist', () => {
    expect(problems(head + 'groups:\n  west: [n0, x]\n')).toEqual(['bad.yaml:4:14: groups.west.1: expected a node of this scenario, found "x"']);
  });

  it('a partition group naming an unknown node', () => {
    expect(problems(head + 'faults:\n  - kind: partition\n    groups: [[n0], [zz]]\n    start: 1s\n')).toEqual([
      'bad.yaml:5:21: faults.0.groups.1.0: expected a node of this scenario (n0, n1, n2, n3), found "zz"',
    ]);
  });

  it('overlapping crash and pause of one node', () => {
    expect(problems(head + 'faults:\n  - {kind: crash, nodes: [n1], start: 1s, end: 3s}\n  - {kind: pause, nodes: [n1, n2], start: 2s, end: 4s}\n')).toEqual([
      'bad.yaml:5:5: faults.1: expected no other crash, pause or leave of n1 while faults[0] (crash) holds, found pause at 2s',
    ]);
  });

  it('a fault on a node after it left for good', () => {
    expect(problems(head + 'faults:\n  - {kind: leave, nodes: [n3], start: 1s}\n  - {kind: crash, nodes: [n3], start: 5s}\n')).toHaveLength(1);
  });

  it('two overrides of one link at once', () => {
    expect(problems(head + 'faults:\n  - {kind: link, from: [n0], loss: 0.5, start: 1s, end: 3s}\n  - {kind: loss-burst, to: [n2], start: 2s, end: 4s}\n')).toEqual([
      'bad.yaml:5:5: faults.1: expected no second latency/loss override of a link while faults[0] (link) holds on it, found loss-burst at 2s',
    ]);
  });

  it('the same kinds on disjoint links or at other times are fine', () => {
    expect(() => loadScenarioText(head + 'faults:\n  - {kind: link, from: [n0], loss: 0.5, start: 1s, end: 3s}\n  - {kind: link, from: [n1], loss: 0.5, start: 2s, end: 4s}\n  - {kind: crash, nodes: [n1], start: 1s, end: 2s}\n  - {kind: pause, nodes: [n1], start: 2s, end: 3s}\n', 'ok.yaml')).not.toThrow();
  });

  it('times outside the run', () => {
    expect(problems(head + 'faults:\n  - {kind: crash, nodes: [n1], start: 12s}\n  - {kind: clog, start: 1s, end: 11s}\n  - {kind: pause, nodes: [n2], start: 3s, end: 2s}\n')).toEqual([
      'bad.yaml:4:39: faults.0.start: expected a time within the run (duration 10s), found 12s',
      'bad.yaml:5:34: faults.1.end: expected a time within the run (duration 10s), found 11s',
      'bad.yaml:6:48: faults.2.end: expected a time after start (3s), found 2s',
    ]);
  });

  it('a fault starting in the quiet phase', () => {
    expect(problems(head + 'quiet: 2s\nfaults:\n  - {kind: crash, nodes: [n1], start: 9s}\n')).toEqual([
      'bad.yaml:5:39: faults.0.start: expected a time before the quiet phase (from 8s), found 9s',
    ]);
  });

  it('an unknown fault kind, and a link fault that changes nothing', () => {
    expect(problems(head + 'faults:\n  - {kind: meteor, start: 1s}\n')[0]).toMatch(/^bad\.yaml:4:12: faults\.0\.kind: expected kind: crash, pause, leave, .*found meteor$/);
    expect(problems(head + 'faults:\n  - {kind: link, start: 1s}\n')).toEqual(['bad.yaml:4:5: faults.0: expected at least one of latency, loss or duplicate for a link fault, found {kind: link, start: 1s}']);
  });

  it('more nodes to draw than exist', () => {
    expect(problems(head + 'faults:\n  - {kind: crash, nodes: 5, start: 1s}\n')).toEqual(['bad.yaml:4:26: faults.0.nodes: expected at most 4 nodes (the node count), found 5']);
  });

  it('a live run takes every fault, random faults and the quiet phase, and still refuses what cannot be live', () => {
    const faults = 'faults:\n  - {kind: crash, nodes: [n1], start: 1s, end: 2s}\n  - {kind: clog, from: [n0], start: 1s, end: 2s}\n  - {kind: capacity, rate: 5, start: 3s}\n';
    const random = 'random_faults: {rate: 1, kinds: [crash, pause, leave, join, one-way, loss-burst, clog]}\nquiet: 2s\n';
    const o = liveOptions(loadScenarioText(head + faults + random, 'live.yaml'), 1, {});
    expect(o.scenario.faults).toHaveLength(3);
    expect(() => liveOptions(loadScenarioText(head + 'partitions:\n  - {groups: bridge, start: 1s}\n', 'live.yaml'), 1, {})).not.toThrow();
    expect(() => liveOptions(loadScenarioText(head + faults + 'protocol: {clock: hlc}\n', 'live.yaml'), 1, {})).toThrow(UserError);
  });
});
