// Scenario errors: every class of mistake gets one line naming file:line:column (or the flag),
// the field, what was expected and what was found.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile, loadScenarioText, UserError } from '../../src/api/index.js';
import type { Override } from '../../src/scenario/load.js';

function problems(yaml: string, overrides: Override[] = []): string[] {
  try {
    loadScenarioText(yaml, 'bad.yaml', overrides);
  } catch (e) {
    if (e instanceof UserError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario errors', () => {
  it('a wrong type', () => {
    expect(problems('nodes: ten\nduration: 1s\n')).toEqual(['bad.yaml:1:8: nodes: expected a whole number of nodes, at least 1, found ten']);
  });

  it('an unknown field, at the key', () => {
    expect(problems('nodes: 3\nduration: 1s\nnetwork:\n  los: 0.1\n')).toEqual(['bad.yaml:4:3: network.los: unknown field']);
  });

  it('a negative duration', () => {
    expect(problems('nodes: 3\nduration: -2s\n')).toEqual(['bad.yaml:2:11: duration: expected a duration that is not negative, found -2s']);
  });

  it('a duration without a unit', () => {
    expect(problems('nodes: 3\nduration: 10\n')).toEqual(['bad.yaml:2:11: duration: expected a duration with a unit, like 250ms, 2s or 1m, found 10']);
  });

  it('loss 1.5', () => {
    expect(problems('nodes: 3\nduration: 1s\nnetwork: {loss: 1.5}\n')).toEqual(['bad.yaml:3:17: network.loss: expected a probability from 0 to 1, found 1.5']);
  });

  it('a partition naming a node that does not exist', () => {
    expect(problems('nodes: 3\nduration: 1s\npartitions:\n  - groups: [[n0, n7]]\n    start: 0s\n')).toEqual([
      'bad.yaml:4:19: partitions.0.groups.0.1: expected a node of this scenario (n0, n1, n2), found "n7"',
    ]);
  });

  it('a partition that names a node removed by --nodes is blamed on the file position', () => {
    const p = problems('nodes: 8\nduration: 1s\npartitions: [{groups: [[n6]], start: 0s}]\n', [{ path: ['nodes'], value: 4, flag: '--nodes' }]);
    expect(p).toEqual(['bad.yaml:3:25: partitions.0.groups.0.0: expected a node of this scenario (n0, n1, n2, n3), found "n6"']);
  });

  it('a YAML syntax error', () => {
    const p = problems('nodes: 3\nduration: [1s\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('a missing required field', () => {
    expect(problems('nodes: 3\n')).toEqual(['bad.yaml:1:1: duration: expected a duration with a unit, like 250ms, 2s or 1m, found nothing (the field is required)']);
  });

  it('every problem in a file, one line each', () => {
    expect(problems('nodes: 0\nduration: 1x\nprotocol: {clock: vector}\nextra: 1\n')).toHaveLength(4);
  });

  it('a bad value from a flag names the flag', () => {
    expect(problems('nodes: 3\nduration: 1s\n', [{ path: ['duration'], value: 'soon', flag: '--duration' }])).toEqual([
      '--duration: duration: expected a duration with a unit, like 250ms, 2s or 1m, found "soon"',
    ]);
  });

  it('a time outside the run', () => {
    expect(problems('nodes: 3\nduration: 1s\npartitions: [{groups: halves, start: 5s}]\n')[0]).toMatch(/^bad\.yaml:3:38: partitions\.0\.start: expected a time within the run/);
  });

  it('a missing file', () => {
    expect(() => loadScenarioFile('/nonexistent/x.yaml')).toThrow(/\/nonexistent\/x\.yaml: no such file/);
  });

  it('a file that is not a mapping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-'));
    writeFileSync(join(dir, 'list.yaml'), '- 1\n- 2\n');
    expect(() => loadScenarioFile(join(dir, 'list.yaml'))).toThrow(/list\.yaml:1:1: expected a YAML mapping of scenario fields/);
  });

  it('durations resolve to integer microseconds', () => {
    const { scenario } = loadScenarioText('nodes: 2\nduration: 1.5s\nnetwork: {latency: 250us}\nworkload: {interval: 2m}\n', 'ok.yaml');
    expect(scenario.duration).toBe(1_500_000);
    expect(scenario.network.latency).toEqual({ dist: 'constant', value: 250 });
    expect(scenario.workload.interval).toBe(120_000_000);
  });
});
