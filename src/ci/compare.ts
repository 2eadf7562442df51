// Comparing one run with its baseline: figure by figure, then the digest; when the digest
// changed and the baseline kept its trace, the header fields that differ (an edited scenario,
// another vcsim version) and the first differing event, found by the replay's line compare.
// Both traces are compared expanded to format 1 (src/trace/expand.ts), so a baseline kept in
// another trace format than the run's still shows its first differing event, in full.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expandTraceText } from '../trace/expand.js';
import { compareFiles } from '../util/lines.js';
import { SyncLineReader } from '../util/lines.js';
import type { FigureValue, SeedBaseline } from './baseline.js';

export interface FigureChange {
  readonly path: string;
  /** Undefined (absent in JSON) when the figure is new. */
  readonly baseline?: FigureValue;
  /** Undefined (absent in JSON) when the figure is gone. */
  readonly measured?: FigureValue;
}

/** The first differing event line (1-based, the header is line 1); null on a side that ended. */
export interface EventDifference {
  readonly line: number;
  readonly baseline: string | null;
  readonly now: string | null;
}

export interface BaselineComparison {
  /** same: figures and digest equal; changed: something differs; missing: no baseline for this seed. */
  readonly status: 'same' | 'changed' | 'missing';
  /** Figures whose value changed (these fail the check). */
  readonly figures: readonly FigureChange[];
  /** Figures new in this version or gone from it (notes only: the digest says whether behaviour changed). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly digest: { readonly baseline: string | null; readonly measured: string };
  /** Trace header fields that differ, when the digest changed and the baseline trace was kept. */
  readonly header: readonly FigureChange[];
  readonly first_difference: EventDifference | null;
  /** Why the first difference is not shown, when it is not. */
  readonly note: string;
  /** True when --update rewrote this seed's baseline. */
  updated: boolean;
}

export function compareRun(
  base: SeedBaseline | undefined,
  figures: Readonly<Record<string, FigureValue>>,
  digest: string,
  tracePath: string,
  baselinesDir: string,
): BaselineComparison {
  if (base === undefined) {
    return { status: 'missing', figures: [], added: [], removed: [], digest: { baseline: null, measured: digest }, header: [], first_difference: null, note: 'no baseline for this seed: run vcsim check --update and commit results/baselines/', updated: false };
  }
  const changed: FigureChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const path of Object.keys(figures)) {
    if (!(path in base.figures)) added.push(path);
    else if (base.figures[path] !== figures[path]) changed.push({ path, baseline: base.figures[path], measured: figures[path] });
  }
  for (const path of Object.keys(base.figures)) if (!(path in figures)) removed.push(path);
  const same = changed.length === 0 && base.digest === digest;
  let header: FigureChange[] = [];
  let first: EventDifference | null = null;
  let note = '';
  if (base.digest !== digest) {
    if (base.trace === null) note = 'the baseline trace was too large to keep, so the first differing event cannot be shown';
    else {
      const located = locate(join(baselinesDir, base.trace), tracePath);
      header = located.header;
      first = located.first;
      note = located.note;
    }
  }
  return { status: same ? 'same' : 'changed', figures: changed, added, removed, digest: { baseline: base.digest, measured: digest }, header, first_difference: first, note, updated: false };
}

function locate(baselineTrace: string, tracePath: string): { header: FigureChange[]; first: EventDifference | null; note: string } {
  let text: Buffer;
  try {
    text = gunzipSync(readFileSync(baselineTrace));
  } catch (e) {
    return { header: [], first: null, note: `the baseline trace ${baselineTrace} cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'vcsim-check-'));
  try {
    const old = join(tmp, 'baseline.jsonl');
    const now = join(tmp, 'now.jsonl');
    try {
      writeFileSync(old, expandTraceText(text.toString('utf8'), baselineTrace));
      writeFileSync(now, expandTraceText(readFileSync(tracePath, 'utf8'), tracePath));
    } catch (e) {
      return { header: [], first: null, note: `the traces cannot be compared (${e instanceof Error ? e.message : String(e)})` };
    }
    const header = headerChanges(firstLine(old), firstLine(now));
    const { divergence } = compareFiles(old, now, 1);
    const first = divergence === null ? null : { line: divergence.line, baseline: divergence.a, now: divergence.b };
    return { header, first, note: first === null ? 'every event is the same; only the header differs' : '' };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function firstLine(file: string): string | null {
  const r = new SyncLineReader(file);
  try {
    return r.next();
  } finally {
    r.close();
  }
}

function headerChanges(a: string | null, b: string | null): FigureChange[] {
  const fa = flattenAll(parse(a));
  const fb = flattenAll(parse(b));
  const out: FigureChange[] = [];
  for (const path of Object.keys(fa)) {
    if (!(path in fb)) out.push({ path, baseline: fa[path] });
    else if (fa[path] !== fb[path]) out.push({ path, baseline: fa[path], measured: fb[path] });
  }
  for (const path of Object.keys(fb)) if (!(path in fa)) out.push({ path, measured: fb[path] });
  return out;
}

function parse(line: string | null): unknown {
  try {
    return line === null ? null : JSON.parse(line);
  } catch {
    return line;
  }
}

/** Every leaf by dotted path, lists included by index (`faults.0.kind`). */
export function flattenAll(v: unknown, path = '', out: Record<string, FigureValue> = {}): Record<string, FigureValue> {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) flattenAll(x, path === '' ? k : `${path}.${k}`, out);
  } else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) {
    out[path] = v;
  }
  return out;
}
