// The CSV files written row by row as text (src/export/csv.ts, RowWriter and csvField) are
// the files csv-stringify wrote: every field round-trips through RFC 4180 / pandas quote rules
// (a quoted field, doubled quotes, commas, newlines, unicode), csvField gives csv-stringify's
// bytes for any field, and a real run's events.csv (format 1, --events-clock-before),
// messages.csv and orderings.csv equal, byte for byte, the ones vcsim wrote with csv-stringify
// (test/fixtures/mixed-faults-format1); events.csv format 2 is the same less clock_before.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { snapshotJson } from '../../src/core/clock.js';
import { clockField, csvField, EVENTS_COLUMNS } from '../../src/export/csv.js';
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

describe('clockField', () => {
  it('is csvField of the clock\'s JSON text, for any names and values (fast-check)', () => {
    const name = fc.oneof(fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r', '\\', 'é', '😀', '1') }), fc.constantFrom('n0', '17', ''));
    const value = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 1e21, -0));
    fc.assert(fc.property(fc.uniqueArray(name, { maxLength: 6 }), fc.array(value, { minLength: 6, maxLength: 6 }), (names, values) => {
      const c = { names, values: values.slice(0, names.length) };
      expect(clockField(c)).toBe(csvField(snapshotJson({ ...c })));
    }), { numRuns: 1000 });
  });
});

describe('a run\'s CSV files', () => {
  let dir: string;
  let v1: string;
  const fixture = (f: string): string => gunzipSync(readFileSync(`test/fixtures/mixed-faults-format1/${f}.gz`)).toString('utf8');
  beforeAll(async () => {
    dir = join(tempDir(), 'run');
    v1 = join(tempDir(), 'run-v1');
    const loaded = loadScenarioFile('test/fixtures/mixed-faults.yaml');
    await runScenario({ loaded, seed: 1, outDir: dir, visuals: false });
    await runScenario({ loaded, seed: 1, outDir: v1, visuals: false, eventsClockBefore: true });
  });
  for (const f of ['messages.csv', 'orderings.csv', 'anomalies.csv']) {
    it(`${f} is byte for byte the one csv-stringify wrote`, () => {
      expect(readFileSync(join(dir, f), 'utf8')).toBe(fixture(f));
    });
  }

  it('events.csv with --events-clock-before (format 1) is byte for byte the one csv-stringify wrote', () => {
    expect(readFileSync(join(v1, 'events.csv'), 'utf8')).toBe(fixture('events.csv'));
  });

  it('events.csv format 2 is format 1 without clock_before, which the previous clock_after of the node gives back', () => {
    const old = parseCsv(fixture('events.csv'));
    const text = readFileSync(join(dir, 'events.csv'), 'utf8');
    expect(text.slice(0, text.indexOf('\n'))).toBe(EVENTS_COLUMNS.join(','));
    const now = parseCsv(text);
    expect(now.length).toBe(old.length);
    const last = new Map<string, string>();
    for (let i = 0; i < old.length; i++) {
      const { clock_before: before, ...rest } = old[i];
      expect(now[i], `row ${i}`).toEqual(rest);
      // The reader's rule for the old column (docs/outputs.md, "events.csv").
      expect(now[i].kind === 'join' ? '' : last.get(now[i].node), `clock_before of row ${i}`).toBe(before);
      last.set(now[i].node, now[i].clock_after);
    }
    expect(old.some((r) => r.detail === 'reset') && old.some((r) => r.kind === 'receiver_died')).toBe(true);
  });
});
