// Baselines for `vcsim check`: one JSON file per scenario, results/baselines/<name>.json,
// holding per seed the trace digest and the summary figures flattened to dotted paths (one
// line per figure, keys in a fixed order, so a behaviour change reviews as a small diff),
// plus the run's trace, gzipped, beside it (<name>/seed-<S>.jsonl.gz) when it is small
// enough, so that a changed digest can be traced to its first differing event.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic.js';
import type { Summary } from '../export/summary.js';
import { userError, UserError } from '../util/errors.js';

export const BASELINE_FORMAT = 'vcsim-baseline/1';
export const DEFAULT_BASELINES = join('results', 'baselines');
/** Traces whose gzip is larger than this are not kept (the digest and figures still are). */
export const MAX_TRACE_GZ_BYTES = 64 * 1024;

/** Summary fields that are not figures of the run's behaviour, or are lists (the digest covers those). */
const NOT_FIGURES = new Set(['scenario', 'seed', 'transport', 'digest', 'anomaly_examples', 'orderings']);

export type FigureValue = number | string | boolean | null;

export interface SeedBaseline {
  readonly digest: string;
  /** The gzipped trace, relative to the baselines folder; null when it was too large to keep. */
  readonly trace: string | null;
  readonly figures: Readonly<Record<string, FigureValue>>;
}

export interface Baseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly scenario: string;
  /** The vcsim version that wrote it (the trace header names it too, so the digest depends on it). */
  readonly vcsim: string;
  readonly seeds: Readonly<Record<string, SeedBaseline>>;
}

const figureValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const baselineSchema = z.strictObject({
  format: z.literal(BASELINE_FORMAT, { error: `expected format "${BASELINE_FORMAT}"` }),
  scenario: z.string(),
  vcsim: z.string(),
  seeds: z.record(z.string().regex(/^[0-9]+$/, { error: 'expected a seed number as the key' }), z.strictObject({
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected "sha256:" and 64 hex digits' }),
    trace: z.string().nullable(),
    figures: z.record(z.string(), figureValue),
  })),
});

/** The run's figures as dotted paths, in the summary's own order (which is fixed). */
export function figuresOf(summary: Summary): Record<string, FigureValue> {
  const out: Record<string, FigureValue> = {};
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) return;
    if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`);
      return;
    }
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) out[path] = v;
  };
  for (const [k, v] of Object.entries(summary)) if (!NOT_FIGURES.has(k)) walk(v, k);
  return out;
}

export function baselineFile(dir: string, scenario: string): string {
  return join(dir, `${scenario}.json`);
}

export function traceName(scenario: string, seed: number): string {
  return `${scenario}/seed-${seed}.jsonl.gz`;
}

/** Reads a scenario's baseline: null when there is none; UserError when it is broken. */
export function readBaseline(dir: string, scenario: string): Baseline | null {
  const file = baselineFile(dir, scenario);
  if (!existsSync(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw userError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw userError(jsonWhere(file, text, e), `expected a baseline (JSON) written by vcsim check --update: ${e instanceof Error ? e.message : String(e)}; fix it or rewrite it with vcsim check --update`);
  }
  const r = baselineSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(r.error.issues.map((i) => ({
      where: file,
      path: i.path.join('.'),
      message: `${i.message} (a broken baseline; rewrite it with vcsim check --update)`,
    })));
  }
  if (r.data.scenario !== scenario) throw userError(file, `expected the baseline of scenario "${scenario}", found "${r.data.scenario}"`, 'scenario');
  return r.data;
}

/** file:line:column of a JSON syntax error, when the message gives a position. */
function jsonWhere(file: string, text: string, e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  if (!m) return file;
  const before = text.slice(0, Number(m[1])).split('\n');
  return `${file}:${before.length}:${before[before.length - 1].length + 1}`;
}

/** The baseline as written: two-space JSON, seeds in ascending order, figures in summary order. */
export function baselineText(b: Baseline): string {
  const seeds = Object.keys(b.seeds).sort((x, y) => Number(x) - Number(y));
  const ordered = { format: b.format, scenario: b.scenario, vcsim: b.vcsim, seeds: Object.fromEntries(seeds.map((s) => [s, b.seeds[s]])) };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** Writes the baseline file when its text changed; returns whether it did. */
export function writeBaseline(dir: string, b: Baseline): boolean {
  const file = baselineFile(dir, b.scenario);
  const text = baselineText(b);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text);
  return true;
}

/** Gzips a trace into the baselines folder; returns its name there, or null when too large. */
export function writeTrace(dir: string, scenario: string, seed: number, traceText: Buffer): string | null {
  const gz = gzipSync(traceText, { level: 9 });
  if (gz.length > MAX_TRACE_GZ_BYTES) return null;
  const name = traceName(scenario, seed);
  const file = join(dir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, gz);
  return name;
}
