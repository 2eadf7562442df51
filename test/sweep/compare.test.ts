// vcsim compare (docs/clocks.md, "vcsim compare"): every clock on the same seeds, the same
// files for 1 and 2 workers, rows and statistics that match, a frontier with a mark per
// clock and point, and clear errors for a bad clock list.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { compare, parseClocks, type CompareOptions } from '../../src/sweep/compare.js';
import { parseVaries } from '../../src/sweep/vary.js';
import { parseCsv } from '../helpers/csvparse.js';
import { tempDir, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/lossy.yaml';
const FILES = ['compare.csv', 'compare-summary.csv', 'frontier.svg'];
const CLOCKS = ['fidge-mattern', 'lamport', 'plausible:2', 'bloom:16x2', 'itc'];

function options(outDir: string, workers: number): CompareOptions {
  const loaded = loadScenarioFile(FILE);
  return {
    input: { ...loaded.input, duration: '1s' },
    origin: FILE,
    clocks: CLOCKS,
    vary: parseVaries(['nodes=3,6']),
    range: { first: 1, last: 3 },
    outDir,
    workers,
  };
}

describe('vcsim compare', () => {
  const one = tempDir();
  const two = tempDir();
  beforeAll(async () => {
    await compare(options(one, 1));
    await compare(options(two, 2));
  }, 120_000);

  it('writes the same files for 1 and 2 workers', () => {
    for (const f of FILES) expect(readFileSync(join(two, f), 'utf8'), f).toBe(readFileSync(join(one, f), 'utf8'));
  });

  it('compare.csv: one row per clock, point and seed; every clock saw the same networks', () => {
    const text = readFileSync(join(one, 'compare.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('clock,vary.nodes,seed,nodes,bytes_per_message,wrong_share,precision,recall,missed,false_order,reversed,pairs,delivery_ratio');
    const body = parseCsv(text);
    expect(body).toHaveLength(CLOCKS.length * 2 * 3);
    expect(body.map((r) => r.clock)).toEqual(CLOCKS.flatMap((c) => Array<string>(6).fill(c)));
    // Same seed and size: the same network, so the same delivery ratio and the same pairs.
    for (const size of ['3', '6']) {
      for (const seed of ['1', '2', '3']) {
        const same = body.filter((r) => r['vary.nodes'] === size && r.seed === seed);
        expect(same).toHaveLength(CLOCKS.length);
        expect(new Set(same.map((r) => r.delivery_ratio)).size).toBe(1);
        expect(new Set(same.map((r) => r.pairs)).size).toBe(1);
      }
    }
    for (const r of body.filter((x) => x.clock === 'fidge-mattern' || x.clock === 'itc')) expect(r.wrong_share).toBe('0');
    for (const r of body) expect(r.reversed).toBe('0');
    expect(body.some((r) => Number(r.wrong_share) > 0)).toBe(true);
  });

  it('compare-summary.csv: the mean over seeds of each clock and point', () => {
    const text = readFileSync(join(one, 'compare-summary.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('clock,vary.nodes,figure,n,mean,ci95_low,ci95_high');
    const rows = parseCsv(text);
    const runs = parseCsv(readFileSync(join(one, 'compare.csv'), 'utf8'));
    const bytes = runs.filter((r) => r.clock === 'lamport' && r['vary.nodes'] === '6').map((r) => Number(r.bytes_per_message));
    const row = rows.find((r) => r.clock === 'lamport' && r['vary.nodes'] === '6' && r.figure === 'bytes_per_message')!;
    expect(row.n).toBe('3');
    expect(Number(row.mean)).toBeCloseTo(bytes.reduce((a, b) => a + b, 0) / 3, 5);
    expect(Number(row.ci95_low)).toBeLessThanOrEqual(Number(row.mean));
    expect(rows).toHaveLength(CLOCKS.length * 2 * 10);
  });

  it('frontier.svg: a group per clock with one mark per point, labelled with N', () => {
    const svg = readFileSync(join(one, 'frontier.svg'), 'utf8');
    for (const c of CLOCKS) {
      const group = svg.split(`data-clock="${c}"`)[1].split('</g>')[0];
      expect(group.match(/<circle /g)).toHaveLength(2);
      expect(group).toContain('N=3');
      expect(group).toContain('N=6');
    }
    expect(svg).toContain('bytes per chat message (log scale)');
  });

  it('the command prints a table and names the files; bad clock lists are one line, exit 2', () => {
    const out = tempDir();
    const r = vcsim(['compare', FILE, '--clocks', 'lamport,plausible:2', '--seeds', '1..2', '--vary', 'duration=500ms', '--workers', '1', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/clock\s+duration\s+bytes_per_message \(mean ±95%\)/);
    expect(r.stdout).toMatch(/plausible:2\s+500ms/);
    for (const f of FILES) expect(existsSync(join(out, f))).toBe(true);
    const bad = vcsim(['compare', FILE, '--clocks', 'lamport,bloom:7', '--seeds', '1..2', '--out', tempDir()]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--clocks: "bloom:7": expected seed, fidge-mattern');
    expect(() => parseClocks('lamport,lamport')).toThrow(/once/);
  });
});
