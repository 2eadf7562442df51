// The sweep's journal: sweep.journal.jsonl in the output folder. Its first line is what the
// sweep is (vcsim version, scenario, varied fields, seeds, shard); every later line is one
// finished run (point, seed, figures), appended and flushed to disk as soon as the run ends.
// Every line carries a checksum (src/util/journal.ts): a line cut short by a crash or
// damaged on disk is dropped and its run redone, never used. A sweep run again with the
// same arguments skips the runs the journal holds; with other arguments it refuses rather
// than mix two experiments. Format 1 (no checksums, no shard) is still read, and rewritten
// as format 2 on resuming (docs/sweeps.md, "Progress, interruption, resuming").

import { existsSync } from 'node:fs';
import { userError } from '../util/errors.js';
import { isObject, isWhole, JournalWriter, readJournal } from '../util/journal.js';
import type { Figures } from './figures.js';

export const JOURNAL = 'sweep.journal.jsonl';
const FORMAT = 2;

export interface SweepIdentity {
  readonly vcsim: string;
  readonly scenario: Record<string, unknown>;
  readonly vary: readonly { path: string; values: readonly unknown[] }[];
  readonly seeds: { first: number; last: number };
  readonly checker: 'on' | 'off';
  /** The shard this journal holds (`2/4`), or null for the whole grid. */
  readonly shard: string | null;
}

export interface JournalRow {
  readonly point: number;
  readonly seed: number;
  readonly figures: Figures;
}

export const rowKey = (point: number, seed: number): string => `${point}:${seed}`;

function isRow(x: unknown): x is JournalRow {
  return isObject(x) && isWhole(x.point) && isWhole(x.seed) && isObject(x.figures) && Object.values(x.figures).every((v) => typeof v === 'number');
}

/** A line of format 1: plain JSON. */
function legacyLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

export interface SweepJournalContents {
  readonly identity: SweepIdentity;
  readonly done: Map<string, JournalRow>;
  /** Lines dropped (1-based): torn or damaged; their runs are redone. */
  readonly damaged: readonly number[];
  readonly rewrite: boolean;
}

/** Reads a sweep journal without changing it. */
export function readSweepJournal(path: string): SweepJournalContents {
  const c = readJournal(path, 'a sweep journal', isRow, legacyLine);
  const head = c.head as { vcsim_sweep?: unknown; identity?: SweepIdentity };
  if (!isObject(head) || (head.vcsim_sweep !== FORMAT && head.vcsim_sweep !== 1) || !isObject(head.identity)) {
    throw userError(path, 'is not a sweep journal this vcsim can read (delete it, or choose another --out)');
  }
  const identity: SweepIdentity = { ...head.identity, shard: head.identity.shard ?? null };
  const done = new Map<string, JournalRow>();
  for (const r of c.rows) done.set(rowKey(r.point, r.seed), r);
  return { identity, done, damaged: c.damaged, rewrite: c.rewrite || head.vcsim_sweep !== FORMAT };
}

export class Journal {
  readonly done: Map<string, JournalRow>;
  /** Lines of an existing journal that were dropped (1-based); their runs are redone. */
  readonly damaged: readonly number[];
  private readonly writer: JournalWriter;

  constructor(readonly path: string, identity: SweepIdentity) {
    const head = { vcsim_sweep: FORMAT, identity };
    if (existsSync(path)) {
      const c = readSweepJournal(path);
      const diff = differences(c.identity, identity);
      if (diff.length > 0) {
        throw userError(path, `holds a sweep with other ${diff.join(', ')}; run it again with the same arguments to resume it, or pass --fresh to start over, or choose another --out`);
      }
      this.done = c.done;
      this.damaged = c.damaged;
      this.writer = new JournalWriter(path, c.rewrite ? [head, ...c.done.values()] : null);
    } else {
      this.done = new Map();
      this.damaged = [];
      this.writer = new JournalWriter(path, [head]);
    }
  }

  append(...rows: readonly JournalRow[]): void {
    this.writer.append(...rows);
    for (const row of rows) this.done.set(rowKey(row.point, row.seed), row);
  }

  close(): void {
    this.writer.close();
  }
}

/** What differs between two sweeps, in words; `shard` is compared unless `ignoreShard`. */
export function differences(a: SweepIdentity, b: SweepIdentity, ignoreShard = false): string[] {
  const out: string[] = [];
  if (a.vcsim !== b.vcsim) out.push(`vcsim version (${a.vcsim})`);
  if (JSON.stringify(a.scenario) !== JSON.stringify(b.scenario)) out.push('scenario contents');
  if (JSON.stringify(a.vary) !== JSON.stringify(b.vary)) out.push(`--vary (${a.vary.map((v) => `${v.path}=${v.values.join(',')}`).join(' ')})`);
  if (a.seeds.first !== b.seeds.first || a.seeds.last !== b.seeds.last) out.push(`--seeds (${a.seeds.first}..${a.seeds.last})`);
  if (a.checker !== b.checker) out.push(`--checker (${a.checker})`);
  if (!ignoreShard && a.shard !== b.shard) out.push(`--shard (${a.shard ?? 'none'})`);
  return out;
}
