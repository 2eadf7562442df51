// vcsim check: a passing folder exits 0; a changed network moves figures and the digest and
// exits 1 naming what changed and the first differing event; --update accepts it; a broken
// baseline is exit 2 naming the file; JUnit parses as XML with one case per scenario and
// seed; the JSON report shows each run checked for determinism; scenarios without
// expectations are skipped and listed.

import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, vcsim } from '../helpers/cli.js';
import { all, parseXml } from './xml.js';
import type { CheckReport } from '../../src/ci/check.js';

describe('vcsim check on a folder of its own', () => {
  let dir: string;
  let sc: string;
  let base: string;

  beforeAll(() => {
    dir = tempDir();
    sc = join(dir, 'scenarios');
    base = join(dir, 'baselines');
    for (const f of ['lossy.yaml', 'late-joiner.yaml']) copyFileSync(join(ROOT, 'scenarios', f), join(dir, f));
    // A folder: the two scenarios plus one without expectations.
    mkdirSync(sc);
    copyFileSync(join(dir, 'lossy.yaml'), join(sc, 'lossy.yaml'));
    copyFileSync(join(dir, 'late-joiner.yaml'), join(sc, 'late-joiner.yaml'));
    writeFileSync(join(sc, 'plain.yaml'), 'name: plain\nnodes: 2\nduration: 1s\n');
  });

  it('without baselines every run fails with the command that writes them; --update writes them and prints what is new', () => {
    const first = vcsim(['check', sc, '--baselines', base, '--workers', '2']);
    expect(first.status).toBe(1);
    expect(first.stdout).toContain('no baseline for this seed: run vcsim check --update');
    const upd = vcsim(['check', sc, '--baselines', base, '--update', '--workers', '2']);
    expect(upd.status).toBe(0);
    expect(upd.stdout).toMatch(/updated lossy seed 1: .*\n {2}new baseline \(digest sha256:[0-9a-f]{64}\)/);
    const b = JSON.parse(readFileSync(join(base, 'lossy.json'), 'utf8')) as { seeds: Record<string, { trace: string; figures: Record<string, unknown> }> };
    expect(Object.keys(b.seeds)).toEqual(['1', '2', '3']);
    expect(b.seeds['1'].figures['anomalies.undelivered']).toBeGreaterThan(0);
    expect(existsSync(join(base, b.seeds['1'].trace))).toBe(true);
  });

  it('passes (exit 0) when nothing changed, saying what held, and skips the scenario without expectations', () => {
    const r = vcsim(['check', sc, '--baselines', base, '--workers', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ok {3}lossy seed 2: 4\/4 expectations held \(anomalies\.undelivered >= 1, .*\); same as the baseline; deterministic/);
    expect(r.stdout).toMatch(/skip plain \(.*plain\.yaml\): no expect: block/);
    expect(r.stdout).toContain('vcsim check: 5 passed, 0 failed (5 scenario-seed runs in 2 scenarios), 1 scenarios skipped');
  });

  it('writes JUnit XML with one test case per scenario and seed, and a JSON report with determinism per run', () => {
    const xml = join(dir, 'out', 'check.xml');
    const json = join(dir, 'out', 'check.json');
    const r = vcsim(['check', sc, '--baselines', base, '--junit', xml, '--json', json]);
    expect(r.status).toBe(0);
    const root = parseXml(readFileSync(xml, 'utf8'));
    expect(root.name).toBe('testsuites');
    const cases = all(root, 'testcase').filter((c) => all(c, 'skipped').length === 0);
    expect(cases.map((c) => c.attrs.name).sort()).toEqual(['late-joiner seed 1', 'late-joiner seed 2', 'lossy seed 1', 'lossy seed 2', 'lossy seed 3']);
    expect(all(root, 'failure')).toHaveLength(0);
    expect(all(root, 'skipped')).toHaveLength(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as CheckReport;
    expect(report.ok).toBe(true);
    for (const s of report.scenarios) for (const seed of s.seeds) {
      expect(seed.determinism?.ok).toBe(true);
      expect(seed.determinism?.digests[0]).toBe(seed.baseline.digest.measured);
    }
  });

  it('fails (exit 1) when a change to the network moves a figure, naming figure, header field and first differing event; --update then passes', () => {
    const file = join(sc, 'lossy.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^ {2}loss: 0\.1$/m);
    writeFileSync(file, text.replace(/^ {2}loss: 0\.1$/m, '  loss: 0.2'));
    const xml = join(dir, 'out', 'failing.xml');
    const r = vcsim(['check', sc, '--baselines', base, '--junit', xml]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL lossy seed 1 /);
    expect(r.stdout).toMatch(/drops_by_reason\.loss: \d+ -> \d+ \(\+\d+\)/);
    expect(r.stdout).toContain('the trace header differs (scenario or version): scenario.network.loss: 0.1 -> 0.2');
    expect(r.stdout).toMatch(/first difference at line \d+ \(/);
    expect(r.stdout).toMatch(/field +baseline +now/);
    expect(r.stdout).toContain('reproduce: vcsim run ');
    expect(r.stdout).toMatch(/ok {3}late-joiner seed 1/);
    const root = parseXml(readFileSync(xml, 'utf8'));
    const failing = all(root, 'testcase').filter((c) => all(c, 'failure').length > 0).map((c) => c.attrs.name);
    expect(failing.sort()).toEqual(['lossy seed 1', 'lossy seed 2', 'lossy seed 3']);
    expect(all(root, 'failure')[0].text).toContain('first difference at line');

    const upd = vcsim(['check', sc, '--baselines', base, '--update']);
    expect(upd.status).toBe(0);
    expect(upd.stdout).toMatch(/updated lossy seed 1: .*\n {2}changed from the baseline/);
    expect(upd.stdout).toContain(`wrote ${join(base, 'lossy.json')}`);
    expect(upd.stdout).not.toContain('wrote ' + join(base, 'late-joiner.json'));
    const again = vcsim(['check', sc, '--baselines', base]);
    expect(again.status).toBe(0);
  });

  it('fails (exit 1) when an expectation fails, with expected and measured', () => {
    const one = join(dir, 'one');
    mkdirSync(one);
    const text = readFileSync(join(dir, 'late-joiner.yaml'), 'utf8');
    writeFileSync(join(one, 'late-joiner.yaml'), text.replace('anomalies.membership_divergence: 6', 'anomalies.membership_divergence: 5'));
    const r = vcsim(['check', one, '--baselines', base, '--no-determinism']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('expectation failed: anomalies.membership_divergence expected == 5, measured 6');
  });

  it('a broken baseline file is bad input (exit 2) naming the file and where', () => {
    const broken = join(dir, 'broken');
    cpSync(base, broken, { recursive: true });
    writeFileSync(join(broken, 'lossy.json'), '{\n  "format": "vcsim-baseline/1",\n  "seeds": {,}\n}\n');
    const r = vcsim(['check', sc, '--baselines', broken]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`vcsim: ${escape(join(broken, 'lossy.json'))}:3:\\d+: expected a baseline \\(JSON\\)`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const wrong = JSON.parse(readFileSync(join(base, 'lossy.json'), 'utf8')) as { seeds: Record<string, { digest: string }> };
    wrong.seeds['1'].digest = 'md5:0';
    writeFileSync(join(broken, 'lossy.json'), JSON.stringify(wrong));
    const r2 = vcsim(['check', sc, '--baselines', broken]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain(`${join(broken, 'lossy.json')}: seeds.1.digest: expected "sha256:" and 64 hex digits`);
  });

  it('names a missing path as bad input', () => {
    const r = vcsim(['check', join(dir, 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no such file or folder');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
