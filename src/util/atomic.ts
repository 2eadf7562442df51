// Output files written whole or not at all: each is written under a temporary name in the
// same folder and renamed over its final name only when complete, so an interrupted run
// never leaves a half-written file under a final name. A write error (a full disk, a
// read-only file system) is kept, never an unhandled 'error' event: the writer's next drain
// or its commit rejects with it, and abortAll() removes every temporary file.
//
// A run folder is one run or nothing (docs/outputs.md, "One run per folder"): RunFolder
// clears a previous run's files before the first write, and writes manifest.json last, with
// each file's size and SHA-256; an unfinished RunFolder's committed files are removed on
// failure or interrupt too.

import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';

/** A file stream that hashes what it writes (for the run folder's manifest). */
class HashingStream extends WriteStream {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _write(chunk: Buffer, enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    super._write(chunk, enc, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    for (const c of chunks) {
      this.hash.update(c.chunk);
      this.bytes += c.chunk.length;
    }
    (super._writev as (c: { chunk: Buffer }[], cb: (e?: Error | null) => void) => void)(chunks, cb);
  }
}

export function tmpName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

export class AtomicFile {
  readonly stream: WriteStream;
  private readonly tmp: string;
  private done = false;
  /** The first write error, kept so that nothing throws it as an unhandled event. */
  error: Error | null = null;
  private failure: Promise<never> | null = null;
  private failReject: ((e: Error) => void) | null = null;
  /** Size and SHA-256 once committed. */
  sha256 = '';
  size = 0;

  constructor(readonly path: string, private readonly onCommit?: (f: AtomicFile) => void) {
    this.tmp = tmpName(path);
    // Opened synchronously: the temporary file exists from here on, so an interrupt that
    // removes it can never race an open still in flight.
    const fd = openSync(this.tmp, 'w');
    this.stream = new (HashingStream as unknown as new (path: string, o: { fd: number }) => HashingStream)(this.tmp, { fd });
    this.stream.on('error', (e: NodeJS.ErrnoException) => {
      // A write error names no file; the final name is the one a user knows.
      if (e.path === undefined || e.path === this.tmp) e.path = this.path;
      if (this.error === null) this.error = e;
      this.failReject?.(e);
    });
    LIVE.add(this);
  }

  /** A promise that rejects with the first write error (never resolves otherwise). */
  failed(): Promise<never> {
    if (this.failure === null) {
      this.failure = new Promise<never>((_resolve, reject) => {
        this.failReject = reject;
        if (this.error !== null) reject(this.error);
      });
      this.failure.catch(() => undefined);
    }
    return this.failure;
  }

  /** Resolves on the stream's 'drain', rejects on a write error. */
  drain(emitter: NodeJS.EventEmitter = this.stream): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    return Promise.race([new Promise<void>((resolve) => emitter.once('drain', resolve)), this.failed()]);
  }

  /** Finishes writing and renames the file into place; rejects with a write error. */
  async commit(): Promise<void> {
    if (this.done) return;
    if (this.error !== null) throw this.error;
    this.stream.end();
    await finished(this.stream);
    if (this.error !== null) throw this.error;
    renameSync(this.tmp, this.path);
    const s = this.stream as HashingStream;
    this.sha256 = s.hash.digest('hex');
    this.size = s.bytes;
    this.done = true;
    LIVE.delete(this);
    this.onCommit?.(this);
  }

  /** Drops the temporary file. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    rmSync(this.tmp, { force: true });
    LIVE.delete(this);
  }
}

const LIVE = new Set<AtomicFile>();
const SMALL = new Set<string>();
const FOLDERS = new Set<RunFolder>();

/**
 * Removes every temporary file not yet committed, and every file of a run folder whose
 * manifest was not written (on interrupt or failure). Returns the folders cleared.
 */
export function abortAll(): string[] {
  for (const f of [...LIVE]) f.abort();
  for (const t of [...SMALL]) rmSync(t, { force: true });
  SMALL.clear();
  const cleared: string[] = [];
  for (const r of [...FOLDERS]) if (r.abort()) cleared.push(r.dir);
  // Worker threads share this process id but not these registries: their temporary files
  // (and an unfinished run folder of theirs) are found by name in the watched folders.
  const tmp = new RegExp(`^\\..*\\.${process.pid}\\.tmp$`);
  for (const [dir, runFolder] of WATCHED) {
    if (!existsSync(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (tmp.test(n)) rmSync(join(dir, n), { force: true });
    if (runFolder && !existsSync(join(dir, MANIFEST))) {
      const left = RUN_FILES.filter((f) => names.includes(f));
      for (const f of left) rmSync(join(dir, f), { force: true });
      if (left.length > 0 && !cleared.includes(dir)) cleared.push(dir);
    }
  }
  return cleared;
}

const WATCHED = new Map<string, boolean>();

/**
 * Watches an output folder for abortAll: its temporary files of this process are removed,
 * and (`runFolder`) the files of a run whose manifest was not written yet.
 */
export function watchOutputDir(dir: string, runFolder: boolean): void {
  WATCHED.set(dir, runFolder || WATCHED.get(dir) === true);
}

/** Writes a small file whole, by the same temp-and-rename rule. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = tmpName(path);
  SMALL.add(tmp);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    SMALL.delete(tmp);
  }
}

export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 1;

export interface ManifestEntry {
  readonly size: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly type: 'vcsim-run';
  readonly format: number;
  readonly vcsim: string;
  readonly seed: number;
  readonly scenario: string;
  /** The trace digest, or null when the trace was not written. */
  readonly digest: string | null;
  readonly files: Record<string, ManifestEntry>;
}

/** Every file name a run may write into its folder (the ones cleared before a new run). */
export const RUN_FILES = ['trace.jsonl', 'events.csv', 'messages.csv', 'summary.json', 'timing.json', 'anomalies.csv', 'orderings.csv', 'diagram.svg', 'report.html', 'shiviz.log'] as const;

/** One run's output folder: cleared of another run's files first, its manifest written last. */
export class RunFolder {
  private readonly files = new Map<string, ManifestEntry>();
  private finished = false;
  /** Whether another run's files were removed before this one started. */
  private cleared = false;

  constructor(readonly dir: string) {
    // The manifest goes first: from here on the folder holds no complete run.
    for (const f of [MANIFEST, ...RUN_FILES]) {
      if (!existsSync(join(dir, f))) continue;
      rmSync(join(dir, f), { force: true });
      this.cleared = true;
    }
    FOLDERS.add(this);
  }

  /** A streamed file of this run. */
  file(name: string): AtomicFile {
    return new AtomicFile(join(this.dir, name), (f) => this.committed(f));
  }

  /** Records a streamed file once committed. */
  committed(f: AtomicFile): void {
    this.files.set(basename(f.path), { size: f.size, sha256: f.sha256 });
  }

  /** Writes a small file of this run whole. */
  write(name: string, text: string | Uint8Array): void {
    writeFileAtomic(join(this.dir, name), text);
    this.files.set(name, entryOf(text));
  }

  /** Records files of this run written whole by someone else (the pictures), from disk. */
  adopt(names: readonly string[]): void {
    for (const n of names) this.files.set(n, entryOf(readFileSync(join(this.dir, n))));
  }

  names(): string[] {
    return [...this.files.keys()];
  }

  /** Writes manifest.json, last: the folder now holds exactly one whole run. */
  finish(meta: Omit<Manifest, 'type' | 'format' | 'files'>): void {
    const files: Record<string, ManifestEntry> = {};
    for (const k of [...this.files.keys()].sort()) files[k] = this.files.get(k)!;
    const m: Manifest = { type: 'vcsim-run', format: MANIFEST_FORMAT, ...meta, files };
    writeFileAtomic(join(this.dir, MANIFEST), JSON.stringify(m, null, 2) + '\n');
    this.finished = true;
    FOLDERS.delete(this);
  }

  /** Removes this run's files (committed or not): the folder holds no part of it. True if any went. */
  abort(): boolean {
    FOLDERS.delete(this);
    if (this.finished) return false;
    const any = this.files.size > 0 || this.cleared;
    for (const name of this.files.keys()) rmSync(join(this.dir, name), { force: true });
    // Every run file left now is this run's (the folder was cleared of them at the start).
    for (const f of RUN_FILES) rmSync(join(this.dir, f), { force: true });
    this.files.clear();
    return any;
  }
}

function entryOf(text: string | Uint8Array): ManifestEntry {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { size: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** The SHA-256 of a file, read whole in chunks. */
function fileSha256(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Why a run folder's files are not one run, or null when they are (or when the folder has
 * no manifest: a folder written before manifests existed is read as before).
 * `which` limits the files whose contents are hashed (all listed files are size-checked).
 */
export function runFolderProblem(dir: string, which: readonly string[] | 'all' = 'all'): string | null {
  const mf = join(dir, MANIFEST);
  if (!existsSync(mf)) {
    const present = RUN_FILES.filter((f) => existsSync(join(dir, f)));
    if (present.includes('summary.json') || present.includes('trace.jsonl')) return null;
    return present.length > 0 ? `holds ${present.join(', ')} but no ${MANIFEST}: an unfinished or interrupted run` : null;
  }
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(mf, 'utf8')) as Manifest;
  } catch {
    return `${MANIFEST} is not JSON`;
  }
  if (m === null || typeof m !== 'object' || m.type !== 'vcsim-run' || typeof m.files !== 'object' || m.files === null) return `${MANIFEST} is not a vcsim run manifest`;
  for (const f of RUN_FILES) {
    const listed = Object.hasOwn(m.files, f);
    const there = existsSync(join(dir, f));
    if (there && !listed) return `${f} is not part of the run in ${MANIFEST} (seed ${m.seed}): the folder mixes two runs`;
  }
  // A listed file that was deleted leaves a folder of one run still (render needs only the trace).
  for (const [name, e] of Object.entries(m.files)) {
    const p = join(dir, name);
    if (!existsSync(p)) continue;
    if (statSync(p).size !== e.size) return `${name} has ${statSync(p).size} bytes, ${MANIFEST} says ${e.size}: the folder mixes two runs or a file was changed`;
    if ((which === 'all' || which.includes(name)) && fileSha256(p) !== e.sha256) return `${name} does not match its SHA-256 in ${MANIFEST}: the folder mixes two runs or a file was changed`;
  }
  return null;
}

/** Rewrites the manifest entries of files rewritten in place (render into a run folder). */
export function updateManifest(dir: string, names: readonly string[]): void {
  const mf = join(dir, MANIFEST);
  if (!existsSync(mf)) return;
  const m = JSON.parse(readFileSync(mf, 'utf8')) as Manifest;
  const files: Record<string, ManifestEntry> = { ...m.files };
  for (const n of names) files[n] = entryOf(readFileSync(join(dir, n)));
  const sorted: Record<string, ManifestEntry> = {};
  for (const k of Object.keys(files).sort()) sorted[k] = files[k];
  writeFileAtomic(mf, JSON.stringify({ ...m, files: sorted }, null, 2) + '\n');
}

/**
 * Text lines written into an atomic file in batches of about 64 KB, with backpressure: a
 * caller asks `backlogged()` between batches and awaits `drain()`. A write error (a full
 * disk) is kept by the AtomicFile and surfaces from drain() and end(). trace.jsonl and the
 * large CSV files are written through it.
 */
export class LineFile {
  private static readonly BATCH = 65536;
  private static readonly HIGH_WATER = 1 << 20;
  private readonly file: AtomicFile;
  private buf = '';

  constructor(target: string | AtomicFile) {
    this.file = typeof target === 'string' ? new AtomicFile(target) : target;
  }

  /** Appends one line (without its newline). */
  line(text: string): void {
    this.buf += text + '\n';
    if (this.buf.length > LineFile.BATCH) this.flush();
  }

  private flush(): void {
    if (this.buf.length > 0 && this.file.error === null) this.file.stream.write(this.buf);
    this.buf = '';
  }

  backlogged(): boolean {
    return this.file.error !== null || this.file.stream.writableLength > LineFile.HIGH_WATER;
  }

  /** Resolves when the file's buffer drains; rejects on a write error. */
  drain(): Promise<void> {
    if (this.file.error !== null) return Promise.reject(this.file.error);
    if (!this.file.stream.writableNeedDrain) return Promise.resolve();
    return this.file.drain();
  }

  async end(): Promise<void> {
    this.flush();
    await this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}
