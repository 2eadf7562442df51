// `vcsim render` as an API: the pictures of an existing run folder (diagram.svg, report.html,
// shiviz.log), from its trace.jsonl alone, optionally cut to a time window and a set of lanes.
// Reads files; never prints or exits (the CLI does that).

import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkExpectations, type ExpectationResult } from '../export/expect.js';
import type { Summary } from '../export/summary.js';
import { readRunPictures, writeVisuals } from '../export/visuals.js';
import type { Focus } from '../export/focus.js';
import type { RunSlice } from '../export/slice.js';
import { parseDuration } from '../scenario/duration.js';
import { userError } from '../util/errors.js';
import { isHeader, readTraceLines } from '../trace/read.js';

export interface RenderOptions {
  readonly runDir: string;
  /** Where to write (default: the run folder). */
  readonly outDir?: string;
  /** [from, to] in microseconds. */
  readonly window?: readonly [number, number] | null;
  readonly nodes?: readonly string[] | null;
  /** Hears how many trace lines have been read, now and then (for a progress line). */
  readonly progress?: (lines: number) => void;
}

export interface RenderResult {
  readonly outDir: string;
  readonly files: string[];
  /** The slice asked for. */
  readonly slice: RunSlice;
  /** Set when that slice was too large and diagram.svg shows this part of it. */
  readonly focus: Focus | null;
  readonly drawn: RunSlice;
}

/** Parses `2s..4s` (either side may be empty: `..4s`, `2s..`). */
export function parseWindow(text: string, flag = '--window'): [number, number] {
  const m = /^(.*)\.\.(.*)$/.exec(text);
  if (!m) throw userError(flag, `expected a time window like 2s..4s, found "${text}"`);
  const side = (s: string, dflt: number): number => {
    if (s.trim() === '') return dflt;
    const d = parseDuration(s);
    if (!d.ok) throw userError(flag, `${d.expected}, found "${s}"`);
    return d.us;
  };
  const from = side(m[1], 0);
  const to = side(m[2], Number.MAX_SAFE_INTEGER);
  if (to <= from) throw userError(flag, `the window must end after it starts, found "${text}"`);
  return [from, to];
}

/** Why lanes asked for are not in a run with these node names, or null when all are. */
export function unknownNodesProblem(nodes: readonly string[], names: readonly string[]): string | null {
  const unknown = nodes.filter((n) => !names.includes(n));
  return unknown.length === 0 ? null : `no node named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in this run (it has ${names.join(',')})`;
}

export async function renderRun(opts: RenderOptions): Promise<RenderResult> {
  const { runDir } = opts;
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw userError(runDir, 'no such run folder');
  const trace = join(runDir, 'trace.jsonl');
  if (!existsSync(trace)) throw userError(trace, 'no such file (the run was made with --outputs none?)');
  let names: readonly string[] = [];
  for await (const { value } of readTraceLines(trace)) {
    if (!isHeader(value)) throw userError(trace, 'the first line is not a vcsim trace header');
    names = value.nodes;
    break;
  }
  if (opts.nodes) {
    const problem = unknownNodesProblem(opts.nodes, names);
    if (problem !== null) throw userError('--nodes-shown', problem);
  }
  const outDir = opts.outDir ?? runDir;
  mkdirSync(outDir, { recursive: true });
  const summaryFile = join(runDir, 'summary.json');
  const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary) : undefined;
  // The checker as the run had it: its scope, and off if it did not run (so the report's
  // verdicts are the ones in summary.json).
  const ran = summary?.checker;
  const checker = { scope: ran?.status === 'done' ? ran.scope : 'all' as const, enabled: ran === undefined || ran.status === 'done' };
  const { slice, overview, anomalies } = await readRunPictures(trace, { window: opts.window ?? null, nodes: opts.nodes ?? null }, checker, opts.progress);
  const expect = slice.header.scenario.expect;
  const expectations: ExpectationResult[] | undefined = summary !== undefined && expect !== null && typeof expect === 'object'
    ? checkExpectations(summary, expect as Record<string, number | boolean | string>) : undefined;
  const p = await writeVisuals(outDir, slice, { summary, expectations, overview, anomalies, traceFile: trace, folder: runDir });
  return { outDir, files: p.files, slice, focus: p.focus, drawn: p.drawn };
}
