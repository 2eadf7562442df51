// Clocks read from printed lines (src/program/clocks.ts) and vcsim diff's --program splitting.
import { describe, expect, it } from 'vitest';
import { clockOfLine, parseDict } from '../../src/program/clocks.js';
import { compileClockPattern, DEFAULT_CLOCK_PATTERN } from '../../src/scenario/program.js';
import { shellWords } from '../../src/cli/program-diff.js';

const pattern = compileClockPattern(DEFAULT_CLOCK_PATTERN) as RegExp;

describe('parseDict', () => {
  it('reads a Python dict as print() shows it, and JSON, keys in text order', () => {
    expect(parseDict("{'b': 2, 'a': 10}")).toEqual({ names: ['b', 'a'], values: [2, 10] });
    expect(parseDict('{"x": 0}')).toEqual({ names: ['x'], values: [0] });
    expect(parseDict('{}')).toEqual({ names: [], values: [] });
    expect(parseDict(`{"it's": 1, 'q\\"\\u00e9\\x41': 2}`)).toEqual({ names: ["it's", 'q"éA'], values: [1, 2] });
  });

  it('refuses what is not a dict of names to whole numbers', () => {
    for (const bad of ['', '{', "{'a': 1.5}", "{'a': -1}", "{'a' 1}", "{'a': 1,}", "{'a': 1} x", '{a: 1}', "{'a': None}", "{'a': 99999999999999999999}"]) {
      expect(parseDict(bad), bad).toBeNull();
    }
  });
});

describe('clockOfLine with the default pattern', () => {
  it('reads the original program\'s lines, before and after', () => {
    expect(clockOfLine("Vector before sending: {'a': 0}", pattern)).toEqual({ phase: 'before', clock: { names: ['a'], values: [0] } });
    expect(clockOfLine("Vector after receiving: {'a': 1, 'b': 2}", pattern)?.phase).toBe('after');
    expect(clockOfLine("vector AFTER joining {'a': 0}", pattern)?.phase).toBe('after');
  });

  it('ignores other lines', () => {
    for (const l of ['bob: hello', "Clock: {'a': 1}", 'Vector before sending:', "Vectors before {'a': 1}"]) expect(clockOfLine(l, pattern), l).toBeNull();
  });

  it('takes a pattern without a phase group as an after line', () => {
    const p = compileClockPattern(String.raw`^clock=(?<clock>\{.*\})$`) as RegExp;
    expect(clockOfLine('clock={"a": 3}', p)).toEqual({ phase: 'after', clock: { names: ['a'], values: [3] } });
  });
});

describe('shellWords', () => {
  it('splits as a POSIX shell does', () => {
    expect(shellWords('python3 client.py')).toEqual(['python3', 'client.py']);
    expect(shellWords(`  a "b c" 'd "e"' f\\ g "" `)).toEqual(['a', 'b c', 'd "e"', 'f g', '']);
    expect(() => shellWords('a "b')).toThrow(/closing " quote/);
  });
});
