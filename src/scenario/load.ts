// Loading a scenario: read the YAML with source positions, apply command-line overrides,
// validate with zod, resolve cross-field references, and turn every problem into one line
// that names file:line:column (or the flag that set the value), the field, what was
// expected and what was found. Nothing here runs a scenario.

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema } from './schema.js';
import { resolveScenario, type Scenario } from './resolve.js';
import { UserError, type Problem } from '../util/errors.js';

export interface Override {
  /** The field path in the scenario, e.g. ['protocol', 'clock']. */
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** Where the value came from, e.g. `--clock`. */
  readonly flag: string;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The scenario as written plus overrides, as plain data: enough to load it again. */
  readonly input: Record<string, unknown>;
}

/** Reads and validates a scenario file. Throws UserError listing every problem. */
export function loadScenarioFile(file: string, overrides: readonly Override[] = []): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a scenario file' : `cannot be read (${code ?? String(e)})`;
    throw new UserError([{ where: file, path: '', message: why }]);
  }
  return loadScenarioText(text, file, overrides);
}

/** Validates scenario text; `file` names it in problems. */
export function loadScenarioText(text: string, file: string, overrides: readonly Override[] = []): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new UserError(doc.errors.map((err) => {
      const pos = lineCounter.linePos(err.pos[0]);
      const where = `${file}:${pos.line}:${pos.col}`;
      return { where, path: '', message: `YAML syntax error: ${firstLine(err.message)}` };
    }));
  }
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError([{ where: `${file}:1:1`, path: '', message: 'expected a YAML mapping of scenario fields, found ' + (raw === null ? 'an empty file' : describe(raw)) }]);
  }
  const input = structuredClone(raw) as Record<string, unknown>;
  if (input.name === undefined) input.name = basename(file, extname(file));
  for (const o of overrides) setPath(input, o.path, o.value);
  return validate(input, { file, doc, lineCounter, text, overrides });
}

/**
 * Validates scenario data that has no file (a trace header, a shrunk scenario). Overrides
 * are applied first, and problems in the fields they set name their flag.
 */
export function loadScenarioData(input: Record<string, unknown>, origin: string, overrides: readonly Override[] = []): LoadedScenario {
  const data = structuredClone(input);
  for (const o of overrides) setPath(data, o.path, o.value);
  return validate(data, { file: origin, overrides });
}

interface Source {
  readonly file: string;
  readonly doc?: Document;
  readonly lineCounter?: LineCounter;
  readonly text?: string;
  readonly overrides: readonly Override[];
}

function validate(input: Record<string, unknown>, src: Source): LoadedScenario {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new UserError(parsed.error.issues.flatMap((i) => issueProblems(i, src)));
  const resolved = resolveScenario(parsed.data);
  if (!resolved.ok) throw new UserError(resolved.problems.map((p) => problemAt(p.path, p.message, src)));
  return { scenario: resolved.scenario, input };
}

type Issue = z.core.$ZodIssue;

function issueProblems(issue: Issue, src: Source): Problem[] {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => problemAt([...path, k], 'unknown field', src, true));
  }
  if (issue.code === 'invalid_union') {
    const best = bestUnionBranch(issue);
    if (best) return best.flatMap((i) => issueProblems({ ...i, path: [...path, ...i.path] } as Issue, src));
  }
  return [problemAt(path, expectedText(issue), src, false, issue.input === undefined)];
}

/** Of a union's branches, the one that got furthest into the input (deepest path). */
function bestUnionBranch(issue: Issue & { code: 'invalid_union' }): Issue[] | undefined {
  let best: Issue[] | undefined;
  let depth = 0;
  for (const branch of issue.errors) {
    const d = Math.max(0, ...branch.map((i) => i.path.length + (i.code === 'invalid_type' && i.path.length === 0 ? -1 : 0)));
    if (d > depth) { depth = d; best = branch as Issue[]; }
  }
  return best;
}

function expectedText(issue: Issue): string {
  const m = issue.message;
  if (m.startsWith('expected')) return m;
  switch (issue.code) {
    case 'invalid_type': return `expected ${article(issue.expected)}`;
    case 'too_big': return `expected ${issue.origin === 'array' ? 'at most ' + String(issue.maximum) + ' items' : 'a value ' + (issue.inclusive ? '<= ' : '< ') + String(issue.maximum)}`;
    case 'too_small': return `expected ${issue.origin === 'array' ? 'at least ' + String(issue.minimum) + ' item(s)' : 'a value ' + (issue.inclusive ? '>= ' : '> ') + String(issue.minimum)}`;
    case 'invalid_value': return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_format': return `expected ${issue.format}`;
    case 'not_multiple_of': return `expected a multiple of ${String(issue.divisor)}`;
    default: return m;
  }
}

function article(t: string): string {
  return t === 'int' ? 'a whole number' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** A problem at a field path: file:line:column, or the flag that overrode it. */
function problemAt(path: readonly (string | number)[], message: string, src: Source, atKey = false, missing = false): Problem {
  const dotted = path.join('.');
  // The flag that set this field, or (an unknown field) the flag whose path made it.
  const flag = src.overrides.find((o) => startsWith(path, o.path) || (atKey && path.length > 0 && startsWith(o.path, path)));
  if (flag) return { where: flag.flag, path: dotted, message: atKey ? message : `${message}, found ${describe(flag.value)}` };
  const found = missing ? 'nothing (the field is required)' : undefined;
  if (src.doc && src.lineCounter && src.text !== undefined) {
    const { node, exact } = nodeAt(src.doc, path, atKey);
    const offset = node?.range?.[0] ?? 0;
    const pos = src.lineCounter.linePos(offset);
    const where = `${src.file}:${pos.line}:${pos.col}`;
    const foundText = found ?? (exact && node?.range && !atKey ? sourceText(src.text, node.range[0], node.range[1]) : undefined);
    return { where, path: dotted, message: foundText && !message.includes(', found ') ? `${message}, found ${foundText}` : message };
  }
  return { where: src.file, path: dotted, message: found ? `${message}, found ${found}` : message };
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(path[i]) === String(p));
}

/** The YAML node at a path, or the nearest ancestor that exists (`exact` false). */
function nodeAt(doc: Document, path: readonly (string | number)[], atKey: boolean): { node: YamlNode | undefined; exact: boolean } {
  let node = doc.contents as YamlNode | null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node: node ?? undefined, exact: false };
      if (atKey && i === path.length - 1) return { node: pair.key as YamlNode, exact: true };
      node = (pair.value ?? pair.key) as YamlNode;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg] as YamlNode;
    } else {
      return { node: node ?? undefined, exact: false };
    }
  }
  return { node: node ?? undefined, exact: true };
}

function sourceText(text: string, start: number, end: number): string {
  const s = text.slice(start, end).trim().replace(/\s+/g, ' ');
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function setPath(obj: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  // Own properties only, defined rather than assigned: a path through `__proto__` makes an
  // ordinary field (which validation then refuses as unknown), never a change to Object.prototype.
  const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
  const put = (o: Record<string, unknown>, k: string, v: unknown): void => {
    Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  };
  let cur: Record<string, unknown> = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = String(path[i]);
    let next = own(cur, k);
    if (next === null || typeof next !== 'object') {
      next = {};
      put(cur, k, next);
    }
    cur = next as Record<string, unknown>;
  }
  put(cur, String(path[path.length - 1]), value);
}
