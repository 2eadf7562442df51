// Clocks read from what a program prints (docs/programs.md, "Clocks from printed lines").
// A program reports its clock by printing it; a pattern picks the lines that carry one and
// says whether each is the clock before or after the event. The clock itself is a Python
// dict as print() shows it (`{'alice': 1, 'bob': 0}`) or a JSON object: names to whole numbers.
// The patterns themselves (the default, and checking a scenario's) are src/scenario/program.ts's.

import type { VectorSnapshot } from '../core/clock.js';

export interface ClockLine {
  readonly phase: 'before' | 'after';
  readonly clock: VectorSnapshot;
}

/** The clock a printed line carries, or null when the line is not a clock line (or its dict does not parse). */
export function clockOfLine(line: string, pattern: RegExp): ClockLine | null {
  const m = pattern.exec(line);
  const text = m?.groups?.clock;
  if (m === null || text === undefined) return null;
  const clock = parseDict(text);
  if (clock === null) return null;
  return { phase: m.groups?.phase?.toLowerCase() === 'before' ? 'before' : 'after', clock };
}

/** `{'a': 1, "b": 2}` (a Python dict of str to int) or a JSON object, keys in text order. */
export function parseDict(text: string): VectorSnapshot | null {
  const names: string[] = [];
  const values: number[] = [];
  let i = skip(text, 0);
  if (text[i] !== '{') return null;
  i = skip(text, i + 1);
  if (text[i] === '}') return skip(text, i + 1) === text.length ? { names, values } : null;
  for (;;) {
    const key = readString(text, i);
    if (key === null) return null;
    i = skip(text, key.end);
    if (text[i] !== ':') return null;
    i = skip(text, i + 1);
    const num = /^[0-9]+/.exec(text.slice(i));
    if (num === null) return null;
    const v = Number(num[0]);
    if (!Number.isSafeInteger(v)) return null;
    const at = names.indexOf(key.value);
    if (at >= 0) values[at] = v;
    else {
      names.push(key.value);
      values.push(v);
    }
    i = skip(text, i + num[0].length);
    if (text[i] === '}') return skip(text, i + 1) === text.length ? { names, values } : null;
    if (text[i] !== ',') return null;
    i = skip(text, i + 1);
  }
}

function skip(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '/': '/', b: '\b', f: '\f' };

/** A quoted string (single or double quotes, backslash escapes incl. \uXXXX and \xXX). */
function readString(s: string, i: number): { value: string; end: number } | null {
  const q = s[i];
  if (q !== "'" && q !== '"') return null;
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === q) return { value: out, end: j + 1 };
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[j + 1];
    if (e === 'u' || e === 'x') {
      const len = e === 'u' ? 4 : 2;
      const hex = s.slice(j + 2, j + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      j += 1 + len;
    } else if (e !== undefined && ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      j += 1;
    } else return null;
  }
  return null;
}
