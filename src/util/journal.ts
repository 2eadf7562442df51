// A journal of finished work: a JSON-lines file whose first line says what the work is (its
// head) and whose every later line is one finished piece, appended and flushed to disk as
// soon as it is done. Every line carries a checksum of its own bytes,
//   {"sum":"<first 16 hex digits of the payload's SHA-256>","data":<payload JSON>}
// so a line cut short by a crash or damaged on disk is found, dropped and its work redone:
// never used (docs/sweeps.md, "Progress, interruption, resuming"). A damaged head makes the
// whole journal unreadable: that is a user error (delete it, or start fresh).

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';
import { userError } from './errors.js';

const LINE = /^\{"sum":"([0-9a-f]{16})","data":(.*)\}$/;

export function checksum(payload: string): string {
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}

/** One journal line (no newline) carrying `data`. */
export function journalLine(data: unknown): string {
  const payload = JSON.stringify(data);
  return `{"sum":"${checksum(payload)}","data":${payload}}`;
}

/** The data of a journal line, or undefined when the line is torn, damaged or not a journal line. */
export function readJournalLine(line: string): unknown {
  const m = LINE.exec(line);
  if (!m || checksum(m[2]) !== m[1]) return undefined;
  try {
    return JSON.parse(m[2]) as unknown;
  } catch {
    return undefined;
  }
}

export interface JournalContents<R> {
  /** The head's data (not checked against anything yet). */
  readonly head: unknown;
  /** The rows that passed their checksum and `isRow`, in file order. */
  readonly rows: R[];
  /** 1-based numbers of the lines dropped (torn, damaged, or not a row). */
  readonly damaged: number[];
  /** True when the file must be rewritten before appending: a line was dropped, or it is an older format. */
  readonly rewrite: boolean;
}

/**
 * Reads a journal. `legacy` reads a line of an older, unchecksummed format (returning its
 * data, or undefined when it is not one); the head decides which form the file is in.
 * `what` names the kind of journal in problems ("a sweep journal").
 */
export function readJournal<R>(path: string, what: string, isRow: (x: unknown) => x is R, legacy?: (line: string) => unknown): JournalContents<R> {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // A file that ends without a newline ends in a torn line; a file that ends with one has '' last.
  const torn = lines.length > 0 && lines[lines.length - 1] !== '';
  if (!torn) lines.pop();
  let head = lines.length > 0 ? readJournalLine(lines[0]) : undefined;
  let old = false;
  // A damaged checksummed head must not pass for an older format's head.
  if (head === undefined && legacy !== undefined && lines.length > 0 && !lines[0].startsWith('{"sum":')) {
    head = legacy(lines[0]);
    old = head !== undefined;
  }
  if (head === undefined) throw userError(`${path}:1`, `expected the head of ${what}; the file is damaged or is not one (delete it, or pass --fresh)`);
  const rows: R[] = [];
  const damaged: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const data = old ? legacy!(lines[i]) : readJournalLine(lines[i]);
    if (data !== undefined && isRow(data) && !(torn && i === lines.length - 1)) rows.push(data);
    else damaged.push(i + 1);
  }
  return { head, rows, damaged, rewrite: old || damaged.length > 0 };
}

/** Appends checksummed lines to a journal, each batch flushed to disk before it returns. */
export class JournalWriter {
  private fd: number | null;

  /**
   * Opens `path` for appending. With `fresh` lines (a new journal, or the good lines of a
   * damaged or older one) the file is first replaced whole by them.
   */
  constructor(readonly path: string, fresh: readonly unknown[] | null) {
    if (fresh !== null || !existsSync(path)) writeFileAtomic(path, (fresh ?? []).map((d) => journalLine(d) + '\n').join(''));
    this.fd = openSync(path, 'a');
  }

  append(...data: readonly unknown[]): void {
    if (data.length === 0) return;
    if (this.fd === null) throw new Error('bug: journal closed');
    writeSync(this.fd, data.map((d) => journalLine(d) + '\n').join(''));
    fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
export const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
