// Issue 16, item 3 "One folder, two runs": manifest.json written last lists every file of the
// run with its size and SHA-256; a new run clears another run's files first; replay and render
// refuse a folder whose files are not one run (docs/outputs.md, "One run per folder").
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, vcsim } from '../helpers/cli.js';

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('item 3: a run folder is one run or nothing', () => {
  const a = join(tempDir(), 'A');
  const b = join(tempDir(), 'B');
  expect(vcsim(['run', 'scenarios/lossless.yaml', '--out', a, '--quiet']).status).toBe(0);
  expect(vcsim(['run', 'scenarios/lossless.yaml', '--seed', '2', '--out', b, '--quiet']).status).toBe(0);

  it('manifest.json lists every other file with its size and SHA-256, and the run\'s seed and digest', () => {
    const m = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    expect(m).toMatchObject({ type: 'vcsim-run', format: 1, seed: 1, scenario: 'lossless' });
    const names = readdirSync(a).filter((f) => f !== 'manifest.json').sort();
    expect(Object.keys(m.files).sort()).toEqual(names);
    for (const f of names) expect(m.files[f], f).toEqual({ size: readFileSync(join(a, f)).length, sha256: sha(join(a, f)) });
    expect(m.digest).toBe(`sha256:${sha(join(a, 'trace.jsonl'))}`);
  });

  it('replay and render refuse a folder holding another run\'s summary.json, in one line, exit 2', () => {
    const mixed = join(tempDir(), 'M');
    expect(vcsim(['run', 'scenarios/lossless.yaml', '--out', mixed, '--quiet']).status).toBe(0);
    copyFileSync(join(b, 'summary.json'), join(mixed, 'summary.json'));
    for (const args of [['replay', mixed], ['replay', join(mixed, 'trace.jsonl')], ['render', mixed]]) {
      const r = vcsim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('not one run: summary.json does not match its SHA-256 in manifest.json');
    }
  });

  it('replay refuses a folder with a run file the manifest does not list', () => {
    const extra = join(tempDir(), 'E');
    expect(vcsim(['run', 'scenarios/lossless.yaml', '--outputs', 'none', '--out', extra, '--quiet']).status).toBe(0);
    copyFileSync(join(b, 'trace.jsonl'), join(extra, 'trace.jsonl'));
    const r = vcsim(['replay', extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('trace.jsonl is not part of the run in manifest.json');
  });

  it('a run into a folder holding another run replaces it whole; user files stay', () => {
    const f = join(tempDir(), 'R');
    expect(vcsim(['run', 'scenarios/lossless.yaml', '--out', f, '--quiet']).status).toBe(0);
    writeFileSync(join(f, 'notes.txt'), 'mine\n');
    expect(vcsim(['run', 'scenarios/lossless.yaml', '--seed', '2', '--outputs', 'none', '--out', f, '--quiet']).status).toBe(0);
    expect(readdirSync(f).sort()).toEqual(['manifest.json', 'notes.txt', 'summary.json', 'timing.json']);
    expect(JSON.parse(readFileSync(join(f, 'manifest.json'), 'utf8')).seed).toBe(2);
  });

  it('render into the run folder keeps it one run (the manifest follows the redrawn pictures)', () => {
    const f = join(tempDir(), 'P');
    expect(vcsim(['run', 'scenarios/lossless.yaml', '--out', f, '--quiet']).status).toBe(0);
    expect(vcsim(['render', f, '--window', '0s..1s', '--quiet']).status).toBe(0);
    expect(vcsim(['replay', f]).status).toBe(0);
  });
});
