// The CSV files written row by row as text (src/export/csv.ts, RowWriter and csvField) are
// the files csv-stringify wrote: every field round-trips through RFC 4180 / pandas quote rules
// (a quoted field, doubled quotes, commas, newlines, unicode), csvField gives csv-stringify's
// bytes for any field, and a real run's events.csv, messages.csv and orderings.csv equal, byte
// for byte, the ones vcsim wrote with csv-stringify (test/fixtures/mixed-faults-format1).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { csvField } from '../../src/export/csv.js';
import { tempDir } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csvparse.js';

const field = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r', ' ', 'é', '😀', '{', ':') }),
  fc.string({ unit: 'grapheme' }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

describe('csvField', () => {
  it('writes any row as csv-stringify does, and the row parses back field for field (fast-check)', () => {
    fc.assert(fc.property(fc.array(field, { minLength: 2, maxLength: 6 }), (row) => {
      const mine = row.map(csvField).join(',') + '\n';
      const theirs = stringify([row]);
      expect(mine).toBe(theirs);
      const cols = row.map((_, i) => `c${i}`);
      const [back] = parseCsv(cols.join(',') + '\n' + mine);
      expect(cols.map((c) => back[c])).toEqual(row.map((v) => String(v)));
    }), { numRuns: 1000 });
  });
});

describe('a run\'s CSV files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tempDir(), 'run');
    await runScenario({ loaded: loadScenarioFile('test/fixtures/mixed-faults.yaml'), seed: 1, outDir: dir, visuals: false });
  });
  for (const f of ['events.csv', 'messages.csv', 'orderings.csv', 'anomalies.csv']) {
    it(`${f} is byte for byte the one csv-stringify wrote`, () => {
      const old = gunzipSync(readFileSync(`test/fixtures/mixed-faults-format1/${f}.gz`)).toString('utf8');
      expect(readFileSync(join(dir, f), 'utf8')).toBe(old);
    });
  }
});
