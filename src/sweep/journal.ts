// The sweep's journal: sweep.journal.jsonl in the output folder. Its first line is what the
// sweep is (vcsim version, scenario, varied fields, seeds); every later line is one finished
// run (point, seed, figures), appended and flushed to disk as soon as the run ends. A sweep
// run again with the same arguments skips the runs the journal holds; with other arguments
// it refuses rather than mix two experiments. A last line cut short by a crash is dropped.

import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { userError } from '../util/errors.js';
import type { Figures } from './figures.js';

export const JOURNAL = 'sweep.journal.jsonl';
const FORMAT = 1;

export interface SweepIdentity {
  readonly vcsim: string;
  readonly scenario: Record<string, unknown>;
  readonly vary: readonly { path: string; values: readonly unknown[] }[];
  readonly seeds: { first: number; last: number };
  readonly checker: 'on' | 'off';
}

export interface JournalRow {
  readonly point: number;
  readonly seed: number;
  readonly figures: Figures;
}

export const rowKey = (point: number, seed: number): string => `${point}:${seed}`;

export class Journal {
  readonly done = new Map<string, JournalRow>();
  private fd: number | null;

  constructor(readonly path: string, identity: SweepIdentity) {
    if (existsSync(path)) {
      const keep = this.read(identity);
      this.fd = openSync(path, 'r+');
      ftruncateSync(this.fd, keep);
      // Appends go to the end: reopen in append mode now that the torn tail is gone.
      closeSync(this.fd);
      this.fd = openSync(path, 'a');
    } else {
      this.fd = openSync(path, 'a');
      this.write(JSON.stringify({ vcsim_sweep: FORMAT, identity }));
    }
  }

  /** Reads finished runs; returns the byte length of the whole lines to keep. */
  private read(identity: SweepIdentity): number {
    const buf = readFileSync(this.path);
    const end = buf.lastIndexOf(0x0a) + 1;
    const lines = buf.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
    let head: { vcsim_sweep?: number; identity?: SweepIdentity };
    try {
      head = JSON.parse(lines[0] ?? '') as typeof head;
    } catch {
      throw userError(this.path, 'is not a sweep journal (delete it, or choose another --out)');
    }
    if (head.vcsim_sweep !== FORMAT || head.identity === undefined) throw userError(this.path, 'is not a sweep journal this vcsim can read (delete it, or choose another --out)');
    const diff = differences(head.identity, identity);
    if (diff.length > 0) {
      throw userError(this.path, `holds a sweep with other ${diff.join(', ')}; run it again with the same arguments to resume it, or pass --fresh to start over, or choose another --out`);
    }
    for (let i = 1; i < lines.length; i++) {
      let row: JournalRow;
      try {
        row = JSON.parse(lines[i]) as JournalRow;
      } catch {
        throw userError(`${this.path}:${i + 1}`, 'expected a finished run (JSON); the journal is damaged (delete it, or pass --fresh)');
      }
      this.done.set(rowKey(row.point, row.seed), row);
    }
    return end;
  }

  append(row: JournalRow): void {
    this.write(JSON.stringify(row));
    this.done.set(rowKey(row.point, row.seed), row);
  }

  private write(line: string): void {
    if (this.fd === null) throw new Error('bug: journal closed');
    writeSync(this.fd, line + '\n');
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function differences(a: SweepIdentity, b: SweepIdentity): string[] {
  const out: string[] = [];
  if (a.vcsim !== b.vcsim) out.push(`vcsim version (${a.vcsim})`);
  if (JSON.stringify(a.scenario) !== JSON.stringify(b.scenario)) out.push('scenario contents');
  if (JSON.stringify(a.vary) !== JSON.stringify(b.vary)) out.push(`--vary (${a.vary.map((v) => `${v.path}=${v.values.join(',')}`).join(' ')})`);
  if (a.seeds.first !== b.seeds.first || a.seeds.last !== b.seeds.last) out.push(`--seeds (${a.seeds.first}..${a.seeds.last})`);
  if (a.checker !== b.checker) out.push(`--checker (${a.checker})`);
  return out;
}
