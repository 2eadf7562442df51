// summary.json: assembled once from typed parts (src/export/summary.ts), its keys in the order
// it has always had (baselines and byte comparisons depend on it), and the same object the
// API returns.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { ANOMALY_KINDS } from '../../src/check/anomalies.js';
import { tempDir } from '../helpers/cli.js';

const KEYS = [
  'scenario', 'seed', 'clock', 'transport', 'nodes', 'sim_time_us', 'events', 'messages', 'joins', 'sends', 'receives', 'duplicates',
  'handshake', 'deliveries', 'drops_by_reason', 'receiver_deaths', 'anomalies', 'delivery_ratio', 'bytes', 'faults', 'digest',
  'convergence', 'checker', 'anomaly_examples', 'orderings', 'clock_entries',
];

describe('summary.json', () => {
  test('keeps its key order, counts every anomaly kind, and is the summary the API returns', async () => {
    const out = tempDir();
    const r = await runScenario({ loaded: loadScenarioFile('scenarios/reordering-death.yaml'), seed: 1, outDir: out });
    const text = readFileSync(join(out, 'summary.json'), 'utf8');
    expect(text).toBe(JSON.stringify(r.summary, null, 2) + '\n');
    const s = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(s)).toEqual(KEYS);
    expect(Object.keys(r.summary.anomalies)).toEqual([...ANOMALY_KINDS]);
    expect(r.summary.anomalies.receiver_died).toBeGreaterThan(0);
    expect(r.summary.anomaly_examples.filter((a) => a.kind === 'receiver_died').length).toBeGreaterThan(0);
    expect(r.summary.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.summary.orderings).toEqual({ scope: 'sends', written: true, rows: expect.any(Number), note: '' });
    expect(Object.keys(r.summary.checker).slice(0, 3)).toEqual(['status', 'scope', 'clock']);
  });

  test('with outputs none: no digest, no orderings.csv, and no checker notes when nothing was skipped', async () => {
    const r = await runScenario({ loaded: loadScenarioFile('scenarios/lossless.yaml'), seed: 1, outDir: null, outputs: 'none' });
    expect(r.summary.checker.notes).toBeUndefined();
    expect(r.summary.orderings).toEqual({ scope: 'none', written: false, rows: 0, note: '' });
    expect(r.summary.digest).toBeNull();
  });
});
