// The project checks itself: `vcsim check` over scenarios/ against results/baselines/ (as CI
// runs it). Every scenario must carry expectations and pinned seeds; each scenario and seed
// is one test here, so a regression fails CI and names what changed.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/ci/check.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { ROOT, tempDir, vcsim, type CliResult } from '../helpers/cli.js';

const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();
const runs = files.flatMap((f) => {
  const sc = loadScenarioFile(join(ROOT, 'scenarios', f)).scenario;
  return (sc.seeds ?? [sc.seed]).map((seed) => ({ file: `scenarios/${f}`, name: sc.name, seed }));
});

describe('vcsim check on the project\'s own scenarios', () => {
  let r: CliResult;
  let report: CheckReport;

  beforeAll(() => {
    const json = join(tempDir(), 'check.json');
    r = vcsim(['check', '--json', json]);
    report = JSON.parse(readFileSync(json, 'utf8')) as CheckReport;
  }, 300_000);

  it('every scenario carries expectations and pinned seeds', () => {
    for (const f of files) {
      const sc = loadScenarioFile(join(ROOT, 'scenarios', f)).scenario;
      expect(Object.keys(sc.expect).length, f).toBeGreaterThan(0);
      expect(sc.seeds, f).toBeDefined();
    }
    expect(report.skipped).toEqual([]);
  });

  it.each(runs)('$name seed $seed holds its expectations, matches its baseline and is deterministic', ({ name, seed }) => {
    const s = report.scenarios.find((x) => x.scenario === name)?.seeds.find((x) => x.seed === seed);
    expect(s, `${name} seed ${seed} was not run`).toBeDefined();
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`FAIL ${name} seed ${seed} `));
    const why = at < 0 ? '' : lines.slice(at, at + 40).join('\n');
    expect(s!.ok, why).toBe(true);
  });

  it('exits 0', () => {
    expect(r.stderr).not.toMatch(/error|warning/i);
    expect(r.status).toBe(0);
  });
});
