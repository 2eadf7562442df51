// The determinism check (FoundationDB's "unseed" check): run one seed twice, in two
// separate worker threads, and compare the two traces line by line. Any difference is a
// bug in vcsim (or in the scenario's use of something not seeded), reported at its first
// line. The first run writes the run's normal outputs; the second only its trace.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputsMode, RunResult } from '../api/index.js';
import { compareFiles, type Divergence } from '../util/lines.js';
import { jobPool } from './jobs.js';

export interface DeterminismResult {
  readonly result: RunResult;
  readonly second: RunResult;
  readonly divergence: Divergence | null;
  readonly lines: number;
}

export async function runTwice(input: Record<string, unknown>, origin: string, seed: number, outDir: string | null, outputs: OutputsMode, eventsClockBefore = false): Promise<DeterminismResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'vcsim-determinism-'));
  const pool = jobPool(2, input, origin);
  try {
    const ownTrace = outDir !== null && outputs === 'all';
    const traceA = ownTrace ? join(outDir, 'trace.jsonl') : join(tmp, 'first.jsonl');
    const traceB = join(tmp, 'second.jsonl');
    const [result, second] = await Promise.all([
      pool.run<RunResult>({ type: 'run', seed, outDir, outputs, tracePath: ownTrace ? null : traceA, eventsClockBefore }, 0),
      pool.run<RunResult>({ type: 'run', seed, outDir: null, outputs: 'none', tracePath: traceB }, 1),
    ]);
    const { divergence, lines } = compareFiles(traceA, traceB);
    return { result, second, divergence, lines };
  } finally {
    await pool.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
