// Issue 16, item 1 "File system errors": any output location problem is one line naming the
// flag and the path, exit 2, no stack trace, nothing half-written (no .PID.tmp) left, and no
// unhandled 'error' event (docs/errors.md, "File system errors").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFile, abortAll } from '../../src/util/atomic.js';
import { JsonlWriter } from '../../src/export/jsonl.js';
import { CsvWriter } from '../../src/export/csv.js';
import { tempDir, vcsim } from '../helpers/cli.js';

/** Every file under a folder, recursively (hidden ones too). */
function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

function oneLine(r: { status: number | null; stderr: string }, flag: string, path: string): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(`vcsim: ${flag}`);
  expect(lines[0]).toContain(path.length > 160 ? path.slice(0, 100) : path);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code, syscall: 'write' });

describe('item 1: file system errors', () => {
  const dir = tempDir();

  it('--out naming a file', () => {
    const f = join(dir, 'f');
    writeFileSync(f, 'hi\n');
    oneLine(vcsim(['run', 'scenarios/lossless.yaml', '--out', f, '--quiet']), '--out', f);
  });

  it('--out under a file (ENOTDIR)', () => {
    const f = join(dir, 'g');
    writeFileSync(f, 'hi\n');
    oneLine(vcsim(['run', 'scenarios/lossless.yaml', '--out', join(f, 'x'), '--quiet']), '--out', join(f, 'x'));
  });

  it('--json, --junit, --report naming a folder', () => {
    oneLine(vcsim(['check', 'scenarios/lossless.yaml', '--json', dir, '--quiet']), '--json', dir);
    oneLine(vcsim(['check', 'scenarios/lossless.yaml', '--junit', dir, '--quiet']), '--junit', dir);
    oneLine(vcsim(['explore', 'scenarios/lossless.yaml', '--seeds', '1..1', '--report', dir, '--quiet']), '--report', dir);
  });

  it('--log naming a folder', () => {
    oneLine(vcsim(['node', '--name', 'a', '--port', '47311', '--log', dir]), '--log', dir);
  });

  it('ENAMETOOLONG from a 5,000-character folder name', () => {
    const long = join(dir, 'x'.repeat(5000));
    const r = vcsim(['run', 'scenarios/lossless.yaml', '--out', long, '--quiet']);
    oneLine(r, '--out', long);
    expect(r.stderr).toContain('ENAMETOOLONG');
  });

  it('a 5,000-character scenario name is one line about the name', () => {
    const f = join(dir, 'long.yaml');
    writeFileSync(f, `name: ${'n'.repeat(5000)}\nnodes: 2\nduration: 1s\n`);
    const r = vcsim(['run', f, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('at most 100 characters');
  });

  it('a write error (ENOSPC) in a stream: drain and commit reject with it, no unhandled event, no temp file', async () => {
    const d = tempDir();
    const f = new AtomicFile(join(d, 'trace.jsonl'));
    const w = new JsonlWriter(f);
    w.header(null, 'h');
    f.stream.destroy(errno('ENOSPC'));
    for (let i = 0; i < 100 && f.error === null; i++) await new Promise((r) => setTimeout(r, 5));
    expect(w.backlogged()).toBe(true);
    await expect(w.drain()).rejects.toMatchObject({ code: 'ENOSPC', path: join(d, 'trace.jsonl') });
    await expect(w.end()).rejects.toMatchObject({ code: 'ENOSPC' });
    const c = new CsvWriter(join(d, 'events.csv'), ['a']);
    for (let i = 0; i < 5000; i++) c.row(['x'.repeat(100)]);
    (c as unknown as { file: AtomicFile }).file.stream.destroy(errno('EIO'));
    await expect(c.drain()).rejects.toMatchObject({ code: 'EIO' });
    await expect(c.end()).rejects.toMatchObject({ code: 'EIO' });
    abortAll();
    expect(allFiles(d)).toEqual([]);
  });

  // A real full disk and a read-only file system, where this machine lets a test mount a
  // tmpfs (root in a sandbox that allows it); skipped elsewhere.
  const mnt = join(tempDir(), 'mnt');
  mkdirSync(mnt);
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]).status === 0;
  afterAll(() => {
    if (canMount) spawnSync('umount', [mnt]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!canMount)('ENOSPC on a 2 MB tmpfs: one line naming --out and the file, nothing left behind', () => {
    const out = join(mnt, 'X');
    const r = vcsim(['run', 'scenarios/partition.yaml', '--nodes', '20', '--out', out, '--quiet']);
    oneLine(r, '--out', out);
    expect(r.stderr).toContain('ENOSPC');
    expect(allFiles(mnt)).toEqual([]);
  });

  it.skipIf(!canMount)('EROFS: --out and --json on a read-only file system', () => {
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    try {
      const r = vcsim(['run', 'scenarios/lossless.yaml', '--out', join(mnt, 'Y'), '--quiet']);
      oneLine(r, '--out', join(mnt, 'Y'));
      expect(r.stderr).toContain('EROFS');
      const j = vcsim(['check', 'scenarios/lossless.yaml', '--json', join(mnt, 'c.json'), '--quiet']);
      oneLine(j, '--json', join(mnt, 'c.json'));
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});
