// `--vary PATH=VALUES`: which scenario field a sweep varies and over which values, and the
// grid of points they span. VALUES is a comma list (numbers, true/false, or text such as
// `seed` or `250ms`) whose items may be numeric ranges `a..b:step` (step 1 if omitted).
// Points are the cartesian product, the first --vary outermost, so point i is always the
// same combination for the same flags.

import type { Override } from '../scenario/load.js';
import { userError } from '../util/errors.js';

export type VaryValue = number | string | boolean;

export interface Vary {
  /** The dotted path as written, e.g. `network.loss`. */
  readonly path: string;
  readonly values: readonly VaryValue[];
}

export interface Point {
  readonly index: number;
  /** One value per --vary, in flag order. */
  readonly values: readonly VaryValue[];
}

/** At most this many values per --vary, and points per sweep (a typo guard). */
export const MAX_VALUES = 10_000;

const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const NUM = '[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?';
const NUMBER = new RegExp(`^${NUM}$`);
const RANGE = new RegExp(`^(${NUM})\\s*\\.\\.\\s*(${NUM})(?:\\s*:\\s*(${NUM}))?$`);
/** Names of JavaScript's object machinery, never scenario fields: setting them would reach Object.prototype. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);
/** Fields a sweep sets itself. */
const RESERVED: Record<string, string> = { seed: 'the seeds come from --seeds', seeds: 'the seeds come from --seeds' };

export function varyFlag(path: string): string {
  return `--vary ${path}`;
}

export function parseVary(spec: string): Vary {
  const eq = spec.indexOf('=');
  if (eq < 0) throw userError('--vary', `expected PATH=VALUES, e.g. network.loss=0,0.05,0.1, found ${JSON.stringify(spec)}`);
  const path = spec.slice(0, eq).trim();
  const flag = varyFlag(path);
  if (!PATH.test(path)) throw userError(flag, `expected a dotted field path such as network.loss or protocol.clock, found ${JSON.stringify(path)}`);
  const unsafe = path.split('.').find((segment) => UNSAFE.has(segment));
  if (unsafe !== undefined) throw userError(flag, `expected a scenario field path, found ${JSON.stringify(path)} (${JSON.stringify(unsafe)} is no scenario field)`);
  if (Object.hasOwn(RESERVED, path)) throw userError(flag, `cannot be varied: ${RESERVED[path]}`);
  const values: VaryValue[] = [];
  for (const raw of spec.slice(eq + 1).split(',')) {
    const item = raw.trim();
    if (item === '') throw userError(flag, `expected a comma list of values with none empty, found ${JSON.stringify(spec.slice(eq + 1))}`);
    const range = RANGE.exec(item);
    if (range) values.push(...expandRange(flag, item, Number(range[1]), Number(range[2]), range[3] === undefined ? 1 : Number(range[3])));
    else values.push(scalar(item));
    if (values.length > MAX_VALUES) throw userError(flag, `expected at most ${MAX_VALUES} values`);
  }
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw userError(flag, `the value ${key} is listed twice`);
    seen.add(key);
  }
  return { path, values };
}

function scalar(item: string): VaryValue {
  if (NUMBER.test(item)) return Number(item);
  if (item === 'true') return true;
  if (item === 'false') return false;
  return item;
}

function expandRange(flag: string, item: string, a: number, b: number, step: number): number[] {
  if (!(step > 0)) throw userError(flag, `expected a step above 0 in ${item}`);
  if (b < a) throw userError(flag, `expected a range a..b with a <= b, found ${item}`);
  const n = Math.floor((b - a) / step + 1e-9) + 1;
  if (n > MAX_VALUES) throw userError(flag, `${item} has ${n} values, expected at most ${MAX_VALUES}`);
  // Rounded to 12 significant digits so that 0..0.3:0.1 gives 0.3, not 0.30000000000000004.
  return Array.from({ length: n }, (_, i) => Number((a + i * step).toPrecision(12)));
}

export function parseVaries(specs: readonly string[]): Vary[] {
  if (specs.length === 0) throw userError('--vary', 'expected at least one --vary PATH=VALUES, e.g. --vary network.loss=0,0.05,0.1');
  const out = specs.map(parseVary);
  const paths = new Set<string>();
  for (const v of out) {
    if (paths.has(v.path)) throw userError(varyFlag(v.path), 'is given twice; list all its values in one --vary');
    for (const p of paths) {
      if (p.startsWith(v.path + '.') || v.path.startsWith(p + '.')) throw userError(varyFlag(v.path), `overlaps --vary ${p}`);
    }
    paths.add(v.path);
  }
  const count = out.reduce((n, v) => n * v.values.length, 1);
  if (count > MAX_VALUES) throw userError('--vary', `the fields span ${count} points, expected at most ${MAX_VALUES}`);
  return out;
}

/** Every combination of values, the first --vary outermost. */
export function points(varies: readonly Vary[]): Point[] {
  let combos: VaryValue[][] = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((x) => [...c, x]));
  return combos.map((values, index) => ({ index, values }));
}

/** The overrides that set a point's values into the scenario. */
export function pointOverrides(varies: readonly Vary[], p: Point): Override[] {
  return varies.map((v, i) => ({
    path: v.path.split('.').map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s)),
    value: p.values[i],
    flag: varyFlag(v.path),
  }));
}
