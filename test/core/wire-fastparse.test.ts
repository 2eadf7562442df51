// The hand-written parser of attached clocks (the simulator's fast path) against the general
// JSON.parse path: on every text, either it declines (null) or it gives the same answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttachedClock, parseAttachedClockFrom, parseAttachedClockJson, parsePyDumpsClock, parsePyDumpsClockWithKeys, pyDumpsClock, utf8Length } from '../../src/core/wire.js';

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

describe('parsePyDumpsClockWithKeys (a sender\'s last keys as a hint)', () => {
  it('gives the fast path\'s answer on any text, or declines; takes the hint\'s own list when the keys match', () => {
    const mangle = fc.tuple(clock, clock, fc.nat(), fc.constantFrom('', ' ', ',', '"', '0', '}', ':', '5'));
    fc.assert(fc.property(mangle, ([hintEntries, entries, at, ins]) => {
      const hint = parsePyDumpsClock(pyDumpsClock(hintEntries.map((e) => e[0]), hintEntries.map((e) => e[1])));
      if (hint === null || !hint.ok) return;
      const base = pyDumpsClock(entries.map((e) => e[0]), entries.map((e) => e[1]));
      for (const text of [base, base.slice(0, at % (base.length + 1)) + ins + base.slice(at % (base.length + 1))]) {
        const withKeys = parsePyDumpsClockWithKeys(text, hint.keys);
        const fast = parsePyDumpsClock(text);
        if (withKeys !== null) {
          expect(withKeys).toEqual(fast);
          expect(withKeys.ok && withKeys.keys).toBe(hint.keys);
        } else if (fast !== null && fast.ok && fast.keys.length > 0) {
          expect(fast.keys).not.toEqual(hint.keys);
        }
        expect(parseAttachedClockFrom('s', text)).toEqual(parseAttachedClock(text));
      }
    }), { numRuns: 3000 });
  });

  it('matches the same keys with new values', () => {
    const hint = parsePyDumpsClock('{"a": 1, "bb": 2}')!;
    expect(parsePyDumpsClockWithKeys('{"a": 7, "bb": 30}', hint.ok ? hint.keys : [])).toEqual({ ok: true, keys: ['a', 'bb'], values: [7, 30] });
    expect(parsePyDumpsClockWithKeys('{"a": 7, "b": 30}', hint.ok ? hint.keys : [])).toBeNull();
    expect(parsePyDumpsClockWithKeys('{"a": 7, "bb": 30, "c": 1}', hint.ok ? hint.keys : [])).toBeNull();
    expect(parsePyDumpsClockWithKeys('{"a": 7}', hint.ok ? hint.keys : [])).toBeNull();
  });
});

describe('utf8Length', () => {
  it('is the length of TextEncoder\'s bytes for any string, lone surrogates included', () => {
    const enc = new TextEncoder();
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }));
    fc.assert(fc.property(text, (s) => { expect(utf8Length(s)).toBe(enc.encode(s).length); }), { numRuns: 3000 });
    expect(utf8Length('a\u00e9\u20ac\ud83d\ude00\ud800x')).toBe(enc.encode('a\u00e9\u20ac\ud83d\ude00\ud800x').length);
  });
});
