// A run's figures do not depend on which outputs it writes: --outputs none skips clock
// snapshots for speed, yet every figure (convergence included) must equal the full run's.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';

const figures = (s: Record<string, unknown>): Record<string, unknown> => {
  const { digest: _d, orderings: _o, ...rest } = s;
  return rest;
};

describe('figures are the same whatever the outputs', () => {
  for (const file of ['scenarios/quiet-convergence.yaml', 'scenarios/crash-restart.yaml', 'scenarios/partition.yaml', 'scenarios/rejoin-reset.yaml']) {
    for (const checker of ['on', 'off'] as const) {
      it(`${file}, checker ${checker}`, async () => {
        const loaded = loadScenarioFile(file);
        const all = await runScenario({ loaded, seed: 2, outDir: null, outputs: 'all', checker });
        const none = await runScenario({ loaded, seed: 2, outDir: null, outputs: 'none', checker });
        expect(figures(none.summary as unknown as Record<string, unknown>)).toEqual(figures(all.summary as unknown as Record<string, unknown>));
      });
    }
  }
});
