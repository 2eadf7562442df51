// The explore journal: every finished seed's outcome, one checksummed line each
// (src/util/journal.ts), appended in seed order and flushed to disk as batches finish, so an interrupted
// explore run again with the same arguments runs only the seeds the journal lacks. Its
// head says what the exploration is (vcsim version, scenario, seed range, shard,
// determinism sample); a journal of another exploration is refused, not mixed
// (docs/repro.md, "Journal and resuming").

import { existsSync, rmSync } from 'node:fs';
import { userError } from '../util/errors.js';
import { isObject, isWhole, JournalWriter, readJournal } from '../util/journal.js';
import type { SeedOutcome } from './failure.js';

const FORMAT = 1;

export interface ExploreIdentity {
  readonly vcsim: string;
  readonly scenario: Record<string, unknown>;
  readonly seeds: { readonly first: number; readonly last: number };
  /** `2/4`, or null for the whole range. */
  readonly shard: string | null;
  readonly determinism_every: number | null;
}

export interface ExploreRow {
  readonly outcome: SeedOutcome;
  /** The digest of the second run, for a seed of the determinism sample; else null. */
  readonly again: string | null;
}

function isRow(x: unknown): x is ExploreRow {
  if (!isObject(x) || !isObject(x.outcome) || !(x.again === null || typeof x.again === 'string')) return false;
  const o = x.outcome;
  return isWhole(o.seed) && typeof o.failed === 'boolean' && typeof o.kind === 'string' && Array.isArray(o.failures) && isWhole(o.nodes) && isWhole(o.events) && typeof o.digest === 'string';
}

export class ExploreJournal {
  readonly done = new Map<number, ExploreRow>();
  readonly damaged: readonly number[];
  private readonly writer: JournalWriter;

  constructor(readonly path: string, identity: ExploreIdentity, fresh = false) {
    const head = { vcsim_explore: FORMAT, identity };
    if (fresh) rmSync(path, { force: true });
    if (!existsSync(path)) {
      this.damaged = [];
      this.writer = new JournalWriter(path, [head]);
      return;
    }
    const c = readJournal(path, 'an explore journal', isRow);
    const h = c.head as { vcsim_explore?: unknown; identity?: ExploreIdentity };
    if (!isObject(h) || h.vcsim_explore !== FORMAT || !isObject(h.identity)) throw userError(path, 'is not an explore journal this vcsim can read (delete it, pass --fresh, or choose another --report)');
    const diff = differences(h.identity, identity);
    if (diff.length > 0) throw userError(path, `holds an exploration with other ${diff.join(', ')}; run it again with the same arguments to resume it, or pass --fresh to start over, or choose another --report`);
    for (const r of c.rows) this.done.set(r.outcome.seed, r);
    this.damaged = c.damaged;
    this.writer = new JournalWriter(path, c.rewrite ? [head, ...this.done.values()] : null);
  }

  append(rows: readonly ExploreRow[]): void {
    this.writer.append(...rows);
    for (const r of rows) this.done.set(r.outcome.seed, r);
  }

  close(): void {
    this.writer.close();
  }
}

/**
 * Rows kept in seed order: a finished row is written once every seed before it (in `seeds`,
 * ascending) has finished, so that the journal is the same file whatever the number of
 * workers; `end` writes the rest (seeds finished past one that never ran), in seed order.
 */
export class InOrder {
  private readonly finished = new Map<number, ExploreRow>();
  private written = 0;

  constructor(private readonly seeds: readonly number[], private readonly write: (rows: readonly ExploreRow[]) => void) {}

  add(rows: readonly ExploreRow[]): void {
    for (const r of rows) this.finished.set(r.outcome.seed, r);
    const out: ExploreRow[] = [];
    for (let row; this.written < this.seeds.length && (row = this.finished.get(this.seeds[this.written])) !== undefined; this.written++) {
      out.push(row);
      this.finished.delete(row.outcome.seed);
    }
    if (out.length > 0) this.write(out);
  }

  end(): void {
    const rest = [...this.finished.values()].sort((a, b) => a.outcome.seed - b.outcome.seed);
    this.finished.clear();
    if (rest.length > 0) this.write(rest);
  }
}

function differences(a: ExploreIdentity, b: ExploreIdentity): string[] {
  const out: string[] = [];
  if (a.vcsim !== b.vcsim) out.push(`vcsim version (${a.vcsim})`);
  if (JSON.stringify(a.scenario) !== JSON.stringify(b.scenario)) out.push('scenario contents (or --nodes, --duration, --clock)');
  if (a.seeds.first !== b.seeds.first || a.seeds.last !== b.seeds.last) out.push(`--seeds (${a.seeds.first}..${a.seeds.last})`);
  if (a.shard !== b.shard) out.push(`--shard (${a.shard ?? 'none'})`);
  if (a.determinism_every !== b.determinism_every) out.push(`--check-determinism (${a.determinism_every ?? 'none'})`);
  return out;
}
