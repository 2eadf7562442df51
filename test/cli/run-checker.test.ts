// End to end: `vcsim run` with the checker's flags and a scenario's expectations, through the
// built CLI (the global setup builds dist/ first). Exit codes: 0 all held, 1 one failed, 2 bad input.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'vcsim-cli-checker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vcsim(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/vcsim.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function scenario(name: string, expect: string, network = '{ latency: 5ms }'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nnodes: 3\nduration: 1s\nprotocol: { clock: fidge-mattern }\nnetwork: ${network}\nworkload: { process: fixed, interval: 100ms }\n${expect ? `expect:\n${expect}` : ''}`);
  return file;
}

describe('vcsim run: checker, orderings and expectations', () => {
  test('all expectations hold: exit 0, checker and orderings in the summary', () => {
    const out = join(dir, 'ok');
    const r = vcsim('run', scenario('ok', '  checker.missed: 0\n  checker.sends.disagree: 0\n  anomalies.receiver_died: 0\n  delivery_ratio: ">= 0.95"\n'), '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/checker +sends: \d+ pairs of \d+ events: \d+ agree, 0 missed, 0 false order, 0 reversed; 0 equal stamps; precision 1, recall 1/);
    expect(r.out).toMatch(/orderings +orderings\.csv: \d+ pairs of scope sends/);
    expect(r.out).toMatch(/expect +4\/4 held/);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.checker).toMatchObject({ status: 'done', scope: 'all', clock: 'fidge-mattern', missed: 0 });
    expect(s.anomalies).toEqual({ receiver_died: 0, clock_regression: 0, membership_divergence: 0, undelivered: 0 });
    expect(existsSync(join(out, 'orderings.csv'))).toBe(true);
    expect(readFileSync(join(out, 'anomalies.csv'), 'utf8')).toBe('kind,time_us,node,peer,event,message,cause\n');
  });

  test('a failed expectation prints the measured value and exits 1', () => {
    const r = vcsim('run', scenario('fail', '  checker.agree: 1\n  checker.missed: 0\n'), '--out', join(dir, 'fail'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vcsim: expectation failed: checker\.agree expected 1, measured \d+$/m);
    expect(r.err).not.toMatch(/checker\.missed/);
  });

  test('the seed clock misses orderings of receives in scope all but not of sends', () => {
    const file = scenario('seedscope', '  checker.sends.missed: 0\n  checker.missed: "> 0"\n', '{ latency: 5ms, duplicate: 0.5 }');
    const r = vcsim('run', file, '--clock', 'seed', '--out', join(dir, 'seedscope'), '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  test('--checker off: the summary says so and checker figures are missing', () => {
    const out = join(dir, 'off');
    const r = vcsim('run', scenario('off', '  checker.missed: 0\n'), '--checker', 'off', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expectation checker\.missed: no such figure/);
    expect(r.out).toMatch(/checker +off: checker switched off/);
    expect(r.out).toMatch(/orderings +orderings\.csv not written: checker switched off/);
    expect(existsSync(join(out, 'orderings.csv'))).toBe(false);
  });

  test('--orderings-limit: too many pairs, no file, a note in the summary', () => {
    const out = join(dir, 'limit');
    const r = vcsim('run', scenario('limit', ''), '--orderings', 'all', '--orderings-limit', '10', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/orderings\.csv not written: \d+ pairs in scope all exceed the limit of 10 rows/);
    expect(existsSync(join(out, 'orderings.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).orderings).toMatchObject({ scope: 'all', written: false });
  });

  test('--orderings none writes no orderings.csv; bad flags exit 2', () => {
    const out = join(dir, 'none');
    expect(vcsim('run', scenario('none', ''), '--orderings', 'none', '--out', out).code).toBe(0);
    expect(existsSync(join(out, 'orderings.csv'))).toBe(false);
    expect(vcsim('run', scenario('bad1', ''), '--scope', 'everything', '--out', out).code).toBe(2);
    const bad = vcsim('run', scenario('bad2', ''), '--orderings-limit', '-3', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^vcsim: --orderings-limit: expected a whole number of rows >= 0, found -3$/m);
  });

  test('a malformed expectation is bad input: exit 2', () => {
    const r = vcsim('run', scenario('badexp', '  checker.missed: "about zero"\n'), '--out', join(dir, 'badexp'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/badexp\.yaml:\d+:\d+: expect\.checker\.missed: expected a number, or a comparison like ">= 0\.95"/);
  });
});
