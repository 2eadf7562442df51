// Replay: rerun a run from its trace header alone and verify that the new trace is
// byte-identical to the recorded one. The header carries the scenario as loaded (overrides
// applied) and the seed; the new trace is compared line by line as the simulator emits it,
// against the recorded file read in step, so neither trace is held in memory, and the run
// stops at the first differing line.
//
// A trace written by another vcsim version is replayed all the same (the caller says so up
// front); its header is compared with the `vcsim` field taken as this version's. A format-1
// trace (docs/outputs.md, "The trace format") is compared with the replayed events encoded
// as format 1 wrote them, and its digest is that of the format-1 text.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MANIFEST, runFolderProblem } from '../util/atomic.js';
import { runScenario } from '../api/index.js';
import { loadScenarioData } from '../scenario/load.js';
import { userError } from '../util/errors.js';
import type { TraceConsumer } from '../trace/bus.js';
import { encodeEventV1 } from '../trace/encode.js';
import { TRACE_FORMAT, type TraceEvent, type TraceHeader } from '../trace/events.js';
import { createHash, type Hash } from 'node:crypto';
import { VERSION } from '../util/version.js';
import { SyncLineReader, type Divergence } from '../util/lines.js';

export interface ReplayResult {
  readonly file: string;
  readonly header: TraceHeader;
  /** The vcsim version that wrote the trace, when it is not this one. */
  readonly otherVersion: string | null;
  /** Null when the traces are byte-identical. */
  readonly divergence: Divergence | null;
  /** Lines that matched before the divergence (all lines when none). */
  readonly lines: number;
  readonly digest: string | null;
}

/** The trace file of a run: the path itself, or <folder>/trace.jsonl. */
export function traceFileOf(path: string): string {
  if (!existsSync(path)) throw userError(path, 'no such file or folder');
  if (statSync(path).isDirectory()) {
    const f = join(path, 'trace.jsonl');
    if (!existsSync(f)) throw userError(path, 'expected a run folder holding trace.jsonl (run without --outputs none), found none');
    checkRunFolder(path);
    return f;
  }
  if (basename(path) === 'trace.jsonl' && existsSync(join(dirname(path), MANIFEST))) checkRunFolder(dirname(path));
  return path;
}

/** Refuses a folder whose files are not one run (docs/outputs.md, "One run per folder"). */
export function checkRunFolder(dir: string): void {
  const why = runFolderProblem(dir);
  if (why !== null) throw userError(dir, `not one run: ${why}; run it again into an empty folder`);
}

/** Reads and checks the header line of a trace file. */
export function readHeader(file: string): TraceHeader {
  const r = new SyncLineReader(file);
  let line: string | null;
  try {
    line = r.next();
  } finally {
    r.close();
  }
  let h: unknown;
  try {
    h = line === null ? null : JSON.parse(line);
  } catch {
    throw userError(`${file}:1`, 'expected a trace header (JSON), found text that is not JSON');
  }
  if (h === null || typeof h !== 'object' || (h as { type?: unknown }).type !== 'header') {
    throw userError(`${file}:1`, 'expected a trace header line {"type":"header",...}');
  }
  const header = h as TraceHeader;
  if (typeof header.seed !== 'number' || header.scenario === null || typeof header.scenario !== 'object') {
    throw userError(`${file}:1`, 'expected a trace header with "seed" and "scenario"');
  }
  if (header.replayable !== true) {
    throw userError(`${file}:1`, `a ${header.transport ?? 'live'} trace cannot be replayed: its events came from real sockets and wall time, not from the seed`);
  }
  return header;
}

class Diverged extends Error {}

/**
 * Compares each emitted line with the recorded trace, in step. With `format1`, the events
 * are encoded as format 1 wrote them (and hashed, for the digest of that text).
 */
class Comparer implements TraceConsumer {
  readonly wantsLines = true;
  divergence: Divergence | null = null;
  line = 0;
  readonly hash: Hash | null;

  constructor(private readonly reader: SyncLineReader, private readonly fixHeader: (recorded: string) => string, private readonly format1: boolean) {
    this.hash = format1 ? createHash('sha256') : null;
  }

  header(h: TraceHeader, line: string): void {
    this.check(this.format1 ? JSON.stringify({ ...h, format: 1 }) : line, this.fixHeader);
  }

  event(e: TraceEvent, line: string): void {
    this.check(this.format1 ? encodeEventV1(e) : line, (x) => x);
  }

  private check(replayed: string, fix: (s: string) => string): void {
    this.line++;
    const recorded = this.reader.next();
    this.hash?.update(replayed + '\n');
    if (recorded === null || fix(recorded) !== replayed) {
      this.divergence = { line: this.line, a: recorded, b: replayed };
      throw new Diverged();
    }
  }

  /** After the last event: the recorded trace must end here too. */
  finish(): void {
    if (this.divergence) return;
    const extra = this.reader.next();
    if (extra !== null) this.divergence = { line: this.line + 1, a: extra, b: null };
    else if (!this.reader.endsWithNewline) this.divergence = { line: this.line, a: '(the recorded trace lacks its final newline)', b: '' };
  }
}

export async function replayTrace(path: string): Promise<ReplayResult> {
  const file = traceFileOf(path);
  const header = readHeader(file);
  const loaded = loadScenarioData(header.scenario, `${file} (trace header)`);
  const otherVersion = header.vcsim === VERSION ? null : String(header.vcsim);
  const fixHeader = (recorded: string): string => {
    if (otherVersion === null) return recorded;
    return JSON.stringify({ ...(JSON.parse(recorded) as object), vcsim: VERSION });
  };
  const reader = new SyncLineReader(file);
  const format1 = header.format === 1;
  if (!format1 && header.format !== TRACE_FORMAT) throw userError(`${file}:1`, `expected a trace of format 1 or ${TRACE_FORMAT}, found format ${JSON.stringify(header.format)}`);
  const cmp = new Comparer(reader, fixHeader, format1);
  let digest: string | null = null;
  try {
    const r = await runScenario({ loaded, seed: header.seed, outDir: null, outputs: 'none', consumers: [cmp], digest: true, checker: 'off' });
    cmp.finish();
    digest = cmp.hash !== null ? 'sha256:' + cmp.hash.digest('hex') : r.summary.digest;
  } catch (e) {
    if (!(e instanceof Diverged)) throw e;
  } finally {
    reader.close();
  }
  const divergence = cmp.divergence;
  return { file, header, otherVersion, divergence, lines: divergence ? divergence.line - 1 : cmp.line, digest };
}
