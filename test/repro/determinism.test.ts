// The determinism check: one seed run twice in two worker threads gives byte-identical
// traces, and `vcsim run --check-determinism` says so (or exits 1 loudly if not).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runTwice } from '../../src/repro/determinism.js';
import { compareFiles } from '../../src/util/lines.js';
import { tempDir, vcsim } from '../helpers/cli.js';

describe('determinism check', () => {
  it('runs a seed twice in separate workers with identical traces', async () => {
    const loaded = loadScenarioFile('scenarios/partition.yaml');
    const out = join(tempDir(), 'run');
    const d = await runTwice(loaded.input, 'scenarios/partition.yaml', 3, out, 'all');
    expect(d.divergence).toBeNull();
    expect(d.result.summary.digest).toBe(d.second.summary.digest);
    expect(d.lines).toBe(readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n').length - 1);
  });

  it('compareFiles finds the first differing line of two files', () => {
    const dir = tempDir();
    writeTwo(dir, 'a\nb\nc\n', 'a\nB\nc\n');
    expect(compareFiles(join(dir, '1'), join(dir, '2')).divergence).toEqual({ line: 2, a: 'b', b: 'B' });
    writeTwo(dir, 'a\nb\n', 'a\nb\n');
    expect(compareFiles(join(dir, '1'), join(dir, '2'))).toEqual({ divergence: null, lines: 2 });
  });

  it('vcsim run --check-determinism reports identical traces', () => {
    const r = vcsim(['run', 'scenarios/lossless.yaml', '--check-determinism', '--outputs', 'none', '--out', join(tempDir(), 'x')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/determinism two runs in separate workers gave byte-identical traces \(\d+ lines\)/);
  });
});

function writeTwo(dir: string, a: string, b: string): void {
  writeFileSync(join(dir, '1'), a);
  writeFileSync(join(dir, '2'), b);
}
