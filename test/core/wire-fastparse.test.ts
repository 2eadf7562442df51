// The hand-written parser of attached clocks (the simulator's fast path) against the general
// JSON.parse path: on every text, either it declines (null) or it gives the same answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttachedClockJson, parsePyDumpsClock, pyDumpsClock } from '../../src/core/wire.js';

const name = fc.oneof(fc.constantFrom('n0', 'n1', 'alice', '1', '01', '', 'a b', 'zoë', '__proto__', ', ', '"', '\\'), fc.string({ maxLength: 4 }));
const value = fc.oneof(fc.nat(), fc.constantFrom(0, 1, 123456789012345, 1234567890123456, 2 ** 53 + 2, 1.5, -3, 1e21));
const clock = fc.array(fc.tuple(name, value), { maxLength: 8 });

describe('parsePyDumpsClock', () => {
  it('parses what pyDumpsClock writes exactly as the JSON path does (or declines)', () => {
    fc.assert(fc.property(clock, (entries) => {
      const text = pyDumpsClock(entries.map((e) => e[0]), entries.map((e) => e[1]));
      const fast = parsePyDumpsClock(text);
      if (fast !== null) expect(fast).toEqual(parseAttachedClockJson(text));
    }), { numRuns: 2000 });
  });

  it('agrees with the JSON path on mangled texts', () => {
    const mangle = fc.tuple(clock, fc.nat(), fc.constantFrom('', ' ', ',', '"', '0', '}', '{', ':', '-', '.5', 'e3', '\\n'));
    fc.assert(fc.property(mangle, ([entries, at, ins]) => {
      const base = pyDumpsClock(entries.map((e) => e[0]), entries.map((e) => e[1]));
      const p = base.length === 0 ? 0 : at % base.length;
      const text = base.slice(0, p) + ins + base.slice(p + (ins === '' ? 1 : 0));
      const fast = parsePyDumpsClock(text);
      if (fast !== null) expect(fast).toEqual(parseAttachedClockJson(text));
    }), { numRuns: 3000 });
  });

  it('takes the common case and declines repeated, index-like and escaped names', () => {
    expect(parsePyDumpsClock('{"a": 1, "b": 20}')).toEqual({ ok: true, keys: ['a', 'b'], values: [1, 20] });
    expect(parsePyDumpsClock('{}')).toEqual({ ok: true, keys: [], values: [] });
    expect(parsePyDumpsClock('{"a": 1, "a": 2}')).toBeNull();
    expect(parsePyDumpsClock('{"2": 1}')).toBeNull();
    expect(parsePyDumpsClock('{"zo\\u00eb": 1}')).toBeNull();
    expect(parsePyDumpsClock('{"a": 01}')).toBeNull();
    expect(parsePyDumpsClock('{"a":1}')).toBeNull();
  });
});
