// Narrows a summary's checker figures to those of a checker that ran (status `done`), failing
// the test with the checker's note when it did not.

import type { CheckerSummary } from '../../src/export/summary.js';

export type DoneFigures = Extract<CheckerSummary, { status: 'done' }>;

export function checkerDone(c: CheckerSummary): DoneFigures {
  if (c.status !== 'done') throw new Error(`expected the checker to have run, found ${c.status}: ${c.note}`);
  return c;
}
