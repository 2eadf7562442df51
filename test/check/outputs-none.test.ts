// The checker judges the same clocks whether or not the run writes its files: with
// --outputs none (and in explore and sweep workers) nothing else asks for clocks, so the
// checker itself must ask the driver to record them.

import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { tempDir } from '../helpers/cli.js';
import { checkerDone } from '../helpers/figures.js';

describe('checker without output files', () => {
  it('gives the same figures with outputs none as with outputs all', async () => {
    const loaded = loadScenarioFile('scenarios/lossy.yaml');
    const none = await runScenario({ loaded, seed: 1, outDir: null, outputs: 'none' });
    const all = await runScenario({ loaded, seed: 1, outDir: tempDir(), outputs: 'all' });
    expect(none.summary.checker).toEqual(all.summary.checker);
    expect(checkerDone(none.summary.checker).disagree).toBe(0);
    expect(checkerDone(none.summary.checker).sends.agree).toBeGreaterThan(0);
  });
});
