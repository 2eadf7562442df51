// Journals checksum every line (issue 16, item 7): a byte flipped in the middle of
// sweep.journal.jsonl used to be read silently (a column `sim_timXXus` appeared); now the
// damaged line is dropped and its run redone, never used, and the files equal a clean run.
// A damaged head is refused; a journal of format 1 (before checksums) is still resumed.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { UserError } from '../../src/util/errors.js';
import { journalLine, readJournalLine } from '../../src/util/journal.js';
import { JOURNAL } from '../../src/sweep/journal.js';
import { sweep, type SweepOptions } from '../../src/sweep/sweep.js';
import { parseVaries } from '../../src/sweep/vary.js';
import { tempDir, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/lossy.yaml';
const FILES = ['sweep.csv', 'sweep-summary.csv', 'sweep.svg'];
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

function options(outDir: string): SweepOptions {
  const loaded = loadScenarioFile(FILE);
  return { input: { ...loaded.input, duration: '500ms' }, origin: FILE, vary: parseVaries(['network.loss=0,0.2']), range: { first: 1, last: 2 }, outDir, workers: 1 };
}

describe('a journal line', () => {
  it('reads back what it carries, and reads as damaged after any single byte changes', () => {
    const line = journalLine({ point: 1, seed: 2, figures: { sim_time_us: 500000, 'anomalies.receiver_died': 0 } });
    expect(readJournalLine(line)).toEqual({ point: 1, seed: 2, figures: { sim_time_us: 500000, 'anomalies.receiver_died': 0 } });
    for (let i = 0; i < line.length; i++) {
      for (const c of ['X', '0', '"', '}']) {
        if (line[i] === c) continue;
        expect(readJournalLine(line.slice(0, i) + c + line.slice(i + 1)), `byte ${i} -> ${c}`).toBeUndefined();
      }
    }
    expect(readJournalLine(line.slice(0, -7))).toBeUndefined();
  });
});

describe('a byte flipped in the middle of sweep.journal.jsonl', () => {
  let whole: string;
  beforeAll(async () => {
    whole = tempDir();
    await sweep(options(whole));
  });

  it('is never used: the damaged run is redone and the files equal a clean run', async () => {
    const dir = tempDir();
    await sweep(options(dir));
    const text = read(dir, JOURNAL);
    const at = text.indexOf('sim_time_us', text.indexOf('\n', text.indexOf('\n') + 1)); // in the 3rd line
    writeFileSync(join(dir, JOURNAL), text.slice(0, at) + 'sim_timXXus' + text.slice(at + 11));
    const again = await sweep(options(dir));
    expect(again.resumed).toBe(3);
    expect(again.computed).toBe(1);
    for (const f of FILES) expect(read(dir, f), f).toBe(read(whole, f));
    expect(read(dir, 'sweep.csv')).not.toContain('sim_timXXus');
    // The journal was rewritten without the damaged line: all lines check again.
    expect(read(dir, JOURNAL).trim().split('\n').every((l) => readJournalLine(l) !== undefined)).toBe(true);
  });

  it('is reported on the command line, with the line number', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'name: tiny\nnodes: 2\nduration: 300ms\n');
    const args = ['sweep', join(dir, 's.yaml'), '--vary', 'nodes=2,3', '--seeds', '1..2', '--workers', '1', '--out', join(dir, 'out'), '--metric', 'bytes.total'];
    expect(vcsim(args).status).toBe(0);
    const csv = read(join(dir, 'out'), 'sweep.csv');
    const text = read(join(dir, 'out'), JOURNAL);
    const lines = text.split('\n');
    lines[2] = lines[2].replace('"sim_time_us"', '"sim_timXXus"');
    writeFileSync(join(dir, 'out', JOURNAL), lines.join('\n'));
    const r = vcsim(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'out', JOURNAL)}: line(s) 3 torn or damaged (checksum); dropped, those runs are done again`);
    expect(r.stdout).toContain('4 runs (1 run now, 3 from the journal)');
    expect(read(join(dir, 'out'), 'sweep.csv')).toBe(csv);
  });

  it('in the head is refused, naming the file and line', async () => {
    const dir = tempDir();
    await sweep(options(dir));
    const text = read(dir, JOURNAL);
    writeFileSync(join(dir, JOURNAL), text.replace('"checker":"on"', '"checker":"of"'));
    const err = await sweep(options(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`${join(dir, JOURNAL)}:1: expected the head of a sweep journal; the file is damaged or is not one (delete it, or pass --fresh)`);
  });
});

describe('a journal of format 1 (no checksums)', () => {
  it('is resumed, its torn last line redone, and rewritten with checksums', async () => {
    const whole = tempDir();
    await sweep(options(whole));
    const dir = tempDir();
    const ac = new AbortController();
    await sweep({ ...options(dir), signal: ac.signal, onProgress: (p) => { if (p.done === 2) ac.abort(); } });
    // Write the same journal as format 1 wrote it: plain JSON lines, no shard, and a torn line.
    const lines = read(dir, JOURNAL).trim().split('\n').map((l) => readJournalLine(l) as Record<string, unknown>);
    const head = lines[0] as { vcsim_sweep: number; identity: Record<string, unknown> };
    const { shard: _shard, ...identity } = head.identity;
    const old = [JSON.stringify({ vcsim_sweep: 1, identity }), ...lines.slice(1).map((l) => JSON.stringify(l))].join('\n') + '\n{"point":1,"seed":1,"fig';
    writeFileSync(join(dir, JOURNAL), old);
    const r = await sweep(options(dir));
    expect(r.resumed).toBe(2);
    expect(r.computed).toBe(2);
    for (const f of FILES) expect(read(dir, f), f).toBe(read(whole, f));
    const now = read(dir, JOURNAL).trim().split('\n');
    expect(now).toHaveLength(5);
    expect(now.every((l) => readJournalLine(l) !== undefined)).toBe(true);
  });
});
