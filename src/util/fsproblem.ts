// The one error path for the file system (docs/errors.md, "File system errors"): an output
// location a user chose (or the default one) that cannot be written is one line naming the
// flag and the path, exit 2, never a stack trace. Locations are checked before the work
// starts (prepareOutputDir, prepareOutputFile); a failure during the work (a full disk) is
// turned into the same line by guardOutput, after every temporary file is removed.

import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { abortAll, watchOutputDir, writeFileAtomic } from './atomic.js';
import { UserError, userError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a file is in the way',
  ENOENT: 'no such folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  EFBIG: 'file too large',
};

/** A Node.js system error (fs): has a string `code` like ENOSPC. */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!) && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A path shown whole unless absurdly long (a 5,000-character name stays one readable line). */
export function shownPath(p: string): string {
  return p.length <= 160 ? p : `${p.slice(0, 100)}…(${p.length} characters)…${p.slice(-40)}`;
}

export function fsReason(e: NodeJS.ErrnoException): string {
  const code = e.code ?? 'EUNKNOWN';
  return `${REASONS[code] ?? e.message.replace(/^[A-Z]+: /, '').split(',')[0]} (${code})`;
}

/** The one line for a file-system error on an output location. */
export function outputProblem(flag: string, path: string, e: NodeJS.ErrnoException | string): UserError {
  return userError(flag, `cannot write ${shownPath(path)}: ${typeof e === 'string' ? e : fsReason(e)}`);
}

/**
 * mkdir -p, with the real reason: Node's recursive mkdir reports ENOENT for a folder it cannot
 * create under a read-only or unwritable parent, so the first missing part is made alone.
 */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if (!isFsError(e) || e.code !== 'ENOENT') throw e;
    let first = dir;
    while (!existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first);
    mkdirSync(first);
    throw e;
  }
}

/**
 * Creates (if needed) an output folder and checks that files can be created in it; an
 * interrupt then clears its temporary files (and, `runFolder`, an unfinished run's files).
 */
export function prepareOutputDir(flag: string, dir: string, runFolder = false): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw outputProblem(flag, dir, 'it is a file, not a folder');
  try {
    makeFolder(dir);
  } catch (e) {
    if (isFsError(e)) throw outputProblem(flag, dir, e);
    throw e;
  }
  probe(flag, dir);
  watchOutputDir(dir, runFolder);
}

/** Checks that a file can be written at `file` (its folder is created if needed). */
export function prepareOutputFile(flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw outputProblem(flag, file, 'it is a folder, not a file');
  const dir = dirname(file);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw outputProblem(flag, file, `${shownPath(dir)} is a file, not a folder`);
  try {
    makeFolder(dir);
  } catch (e) {
    if (isFsError(e)) throw outputProblem(flag, file, e);
    throw e;
  }
  probe(flag, dir, file);
  watchOutputDir(dir, false);
  if (existsSync(file)) {
    try {
      accessSync(file, constants.W_OK);
    } catch (e) {
      if (isFsError(e)) throw outputProblem(flag, file, e);
      throw e;
    }
  }
}

/** Creates and removes a small file in `dir`: permission, read-only file system. */
function probe(flag: string, dir: string, shown = dir): void {
  const p = join(dir, `.vcsim-probe.${process.pid}.tmp`);
  try {
    writeFileSync(p, '');
  } catch (e) {
    if (isFsError(e)) throw outputProblem(flag, shown, e);
    throw e;
  } finally {
    rmSync(p, { force: true });
  }
}

/**
 * Runs work that writes under `path`; a file-system error becomes one line naming `flag`
 * and the path of the failing file, after every temporary and unfinished file is removed.
 */
export async function guardOutput<T>(flag: string, path: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isFsError(e)) throw e;
    abortAll();
    throw outputProblem(flag, e.path ?? path, e);
  }
}

/** Writes a small output file whole (src/util/atomic.ts); a problem is one line naming `flag`. */
export function writeOutputFile(flag: string, file: string, text: string): void {
  prepareOutputFile(flag, file);
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    if (isFsError(e)) throw outputProblem(flag, file, e);
    throw e;
  }
}
