// Test helper: the figures of every scenario for seeds 1..3, as issue 14 pins them: summary.json
// without its digest (the digest covers the trace bytes, which the trace format changes) and
// the SHA-256 of anomalies.csv. test/fixtures/figures-format1.json.gz holds them as measured
// with format-1 traces, before the compact trace and the fast CSVs.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { tempDir } from './cli.js';

export interface Figures {
  readonly summary: Record<string, unknown>;
  readonly anomalies_csv_sha256: string;
}

export async function captureFigures(file: string, seed: number): Promise<Figures> {
  const dir = join(tempDir(), `fig-${seed}`);
  try {
    await runScenario({ loaded: loadScenarioFile(file), seed, outDir: dir, visuals: false });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    delete summary.digest;
    const anomalies = readFileSync(join(dir, 'anomalies.csv'));
    return { summary, anomalies_csv_sha256: createHash('sha256').update(anomalies).digest('hex') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function scenarioNames(dir = 'scenarios'): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
}
