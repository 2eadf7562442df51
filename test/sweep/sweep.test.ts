// vcsim sweep: a two-field sweep over three seeds has a row per point and seed, the same
// files whatever the worker count, statistics that match its rows, a plot with one line
// per series; an interrupted sweep resumes without recomputing what it finished, and a bad
// --vary is a clear error naming the flag.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { UserError } from '../../src/util/errors.js';
import { JOURNAL } from '../../src/sweep/journal.js';
import { sweep, type SweepOptions } from '../../src/sweep/sweep.js';
import { parseVaries } from '../../src/sweep/vary.js';
import { parseCsv } from '../helpers/csvparse.js';
import { tempDir, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/lossy.yaml';
const FILES = ['sweep.csv', 'sweep-summary.csv', 'sweep.svg'];

function options(outDir: string, workers: number): SweepOptions {
  const loaded = loadScenarioFile(FILE);
  return {
    input: { ...loaded.input, duration: '1s' },
    origin: FILE,
    vary: parseVaries(['network.loss=0,0.2', 'protocol.clock=seed,fidge-mattern']),
    range: { first: 1, last: 3 },
    outDir,
    workers,
  };
}

const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('a two-field sweep over three seeds', () => {
  let one: string;
  let two: string;
  beforeAll(async () => {
    one = tempDir();
    two = tempDir();
    await sweep(options(one, 1));
    await sweep(options(two, 2));
  });

  it('has one row per point and seed, in point then seed order', () => {
    const rows = parseCsv(read(one, 'sweep.csv'));
    expect(rows).toHaveLength(4 * 3);
    expect(rows.map((r) => `${r['vary.network.loss']}/${r['vary.protocol.clock']}/${r.seed}`).slice(0, 4)).toEqual(['0/seed/1', '0/seed/2', '0/seed/3', '0/fidge-mattern/1']);
    expect(rows.every((r) => r.clock === undefined && Number(r.nodes) === 5)).toBe(true);
    // The varied fields really reached the runs: loss drops datagrams, fidge-mattern has no deaths.
    for (const r of rows) {
      if (r['vary.network.loss'] === '0') expect(Number(r['drops_by_reason.loss'])).toBe(0);
      else expect(Number(r['drops_by_reason.loss'])).toBeGreaterThan(0);
      if (r['vary.protocol.clock'] === 'fidge-mattern') expect(Number(r['anomalies.receiver_died'])).toBe(0);
    }
    for (const col of ['delivery_ratio', 'anomalies.receiver_died', 'checker.disagree', 'checker.sends.disagree', 'anomalies.membership_divergence', 'bytes.total', 'bytes.per_chat_message', 'bytes.per_handshake', 'clock_entries.per_message', 'events', 'sim_time_us']) {
      expect(rows[0][col], col).toMatch(/^[0-9.]+$/);
    }
  });

  it('writes identical files with 1 and 2 workers', () => {
    for (const f of FILES) expect(read(two, f), f).toBe(read(one, f));
  });

  it('has summary statistics that match the rows', () => {
    const rows = parseCsv(read(one, 'sweep.csv'));
    const summary = parseCsv(read(one, 'sweep-summary.csv'));
    const figures = Object.keys(rows[0]).slice(4);
    expect(summary).toHaveLength(4 * figures.length);
    for (const s of summary) {
      const mine = rows.filter((r) => r.point === s.point).map((r) => Number(r[s.figure]));
      expect(mine).toHaveLength(3);
      const sorted = [...mine].sort((a, b) => a - b);
      const mean = mine.reduce((a, b) => a + b, 0) / 3;
      expect(Number(s.n)).toBe(3);
      expect(Number(s.mean)).toBeCloseTo(mean, 5);
      expect(Number(s.median)).toBeCloseTo(sorted[1], 5);
      expect(Number(s.min)).toBeCloseTo(sorted[0], 5);
      expect(Number(s.max)).toBeCloseTo(sorted[2], 5);
      const sd = Math.sqrt(mine.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
      expect(Number(s.ci95_high)).toBeCloseTo(mean + 4.303 * sd / Math.sqrt(3), 4);
      expect(Number(s.ci95_low)).toBeCloseTo(mean - 4.303 * sd / Math.sqrt(3), 4);
    }
  });

  it('plots a well-formed SVG with one line per series in each panel', () => {
    const svg = read(one, 'sweep.svg');
    expect(wellFormed(svg)).toBe(true);
    const panels = svg.split('<g class="panel"').slice(1);
    expect(panels.map((p) => /data-metric="([^"]+)"/.exec(p)![1])).toEqual(['anomalies.receiver_died', 'checker.disagree']);
    for (const p of panels) {
      const lines = [...p.matchAll(/<polyline class="series" data-series="([^"]+)" points="([^"]*)"/g)];
      expect(lines.map((l) => l[1])).toEqual(['protocol.clock=seed', 'protocol.clock=fidge-mattern']);
      for (const l of lines) expect(l[2].trim().split(' ')).toHaveLength(2); // two loss values
      expect(p.match(/class="legend-entry"/g)).toHaveLength(2);
      expect(p).toContain('>network.loss<');
    }
  });
});

describe('an interrupted sweep', () => {
  it('resumes without recomputing finished runs and ends with the same files', async () => {
    const whole = tempDir();
    await sweep(options(whole, 1));
    const dir = tempDir();
    const ac = new AbortController();
    const first = await sweep({ ...options(dir, 1), signal: ac.signal, onProgress: (p) => { if (p.done === 5) ac.abort(); } });
    expect(first.complete).toBe(false);
    expect(first.computed).toBe(5);
    expect(read(dir, JOURNAL).trim().split('\n')).toHaveLength(1 + 5);
    // A crash in the middle of a line leaves a torn last line: it is dropped and redone.
    appendFileSync(join(dir, JOURNAL), '{"point":1,"seed":3,"figu');
    const second = await sweep(options(dir, 2));
    expect(second.complete).toBe(true);
    expect(second.resumed).toBe(5);
    expect(second.computed).toBe(12 - 5);
    for (const f of FILES) expect(read(dir, f), f).toBe(read(whole, f));
    const third = await sweep(options(dir, 1));
    expect(third.computed).toBe(0);
  });

  it('refuses to resume a journal made with other arguments', async () => {
    const dir = tempDir();
    await sweep({ ...options(dir, 1), range: { first: 1, last: 1 } });
    const err = await sweep(options(dir, 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/sweep\.journal\.jsonl: holds a sweep with other --seeds \(1\.\.1\)/);
    const fresh = await sweep({ ...options(dir, 1), fresh: true });
    expect(fresh.computed).toBe(12);
  });
});

describe('vcsim sweep on the command line', () => {
  it('runs and prints a table of the plotted figures', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'name: tiny\nnodes: 3\nduration: 500ms\n');
    const r = vcsim(['sweep', join(dir, 's.yaml'), '--vary', 'nodes=2,4', '--seeds', '1..2', '--workers', '1', '--out', join(dir, 'out'), '--metric', 'bytes.total']);
    expect(r.stderr).toContain('2 point(s) x 2 seed(s) = 4 runs');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/nodes\s+bytes\.total \(mean ±95%\)/);
    expect(parseCsv(readFileSync(join(dir, 'out', 'sweep.csv'), 'utf8'))).toHaveLength(4);
  });

  it.each([
    [['--vary', 'network.los=0,0.1', '--seeds', '1..2'], /^vcsim: --vary network\.los: unknown field/m],
    [['--vary', 'network.loss=0,lots', '--seeds', '1..2'], /^vcsim: --vary network\.loss: expected a probability from 0 to 1, found "lots"/m],
    [['--vary', 'nodes=2,2.5', '--seeds', '1..2'], /^vcsim: --vary nodes: expected a whole number of nodes, at least 1, found 2\.5/m],
    [['--vary', 'protocol.clock=seed,vector', '--seeds', '1..2'], /^vcsim: --vary protocol\.clock: expected one of seed, fidge-mattern, lamport/m],
    [['--vary', 'nodes=2', '--seeds', '3..1'], /^vcsim: --seeds: expected a range/m],
  ])('%j is a clear error naming the flag, exit 2', (args, message) => {
    const dir = tempDir();
    const r = vcsim(['sweep', FILE, '--out', dir, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });
});

/** Tags balance and every attribute is quoted: enough XML well-formedness for our writer. */
function wellFormed(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1]) { if (stack.pop() !== m[2]) return false; }
    else if (!m[4]) stack.push(m[2]);
  }
  const stripped = xml.replace(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '');
  return stack.length === 0 && !/[<>]/.test(stripped) && xml.startsWith('<svg');
}

