// Issue 14: the compact trace and the fast CSV writers change the output bytes, never a
// figure. Every scenario, seeds 1..3: summary.json (without the digest, which covers the
// trace bytes) and anomalies.csv equal what format-1 vcsim measured
// (test/fixtures/figures-format1.json.gz, captured before the change by test/helpers/scenario-figures.ts;
// re-pinned once since, for two deliberate changes: long-message under the original's own-copy
// order, and the checker's added precision and recall figures; nothing else differed).

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { captureFigures, scenarioNames, type Figures } from '../helpers/scenario-figures.js';

const before = JSON.parse(gunzipSync(readFileSync('test/fixtures/figures-format1.json.gz')).toString('utf8')) as Record<string, Figures>;

describe('figures are unchanged by the output formats', () => {
  it('the fixture covers every scenario and seeds 1..3', () => {
    expect(Object.keys(before).sort()).toEqual(scenarioNames().flatMap((f) => [1, 2, 3].map((s) => `${f}#${s}`)).sort());
  });

  for (const file of scenarioNames()) {
    it(`${file}, seeds 1..3`, async () => {
      for (const seed of [1, 2, 3]) {
        const now = await captureFigures(`scenarios/${file}`, seed);
        expect(now, `${file} seed ${seed}`).toEqual(before[`${file}#${seed}`]);
      }
    });
  }
});
