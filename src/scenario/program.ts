// The scenario's `program:` field (docs/programs.md, "Scenarios with programs"): which nodes
// are a real program, how to run it, and how to read its clocks from what it prints.

import type { PathProblem } from './faults.js';
import type { ProgramFieldSpec } from './schema.js';

/**
 * The default clock pattern, the original program's lines: `Vector before sending: {...}`,
 * `Vector after receiving: {...}`. Group `phase` is before or after; group `clock` the dict.
 */
export const DEFAULT_CLOCK_PATTERN = String.raw`^\s*Vector\s+(?<phase>before|after)\b[^{]*(?<clock>\{.*\})\s*$`;

/** Default bound on one input, wall-clock milliseconds. */
export const DEFAULT_PROGRAM_TIMEOUT_MS = 10_000;

export interface ProgramField {
  /** The command line as written (no shim). */
  readonly command: readonly string[];
  /** Indices of the nodes that run it, ascending. */
  readonly nodes: readonly number[];
  readonly shim: 'python' | 'none';
  readonly timeoutMs: number;
  readonly clockPattern: string;
  readonly onError: 'stop' | 'continue';
}

/** Compiles a clock pattern (case-insensitive), or says why it cannot be one. */
export function compileClockPattern(source: string): RegExp | string {
  if (!source.includes('(?<clock>')) return 'expected a regular expression with a named group (?<clock>...) around the printed clock';
  try {
    return new RegExp(source, 'i');
  } catch (e) {
    return `expected a regular expression: ${(e as Error).message}`;
  }
}

/** Resolves `program:` against the node names; problems carry their field paths. */
export function resolveProgram(spec: ProgramFieldSpec | undefined, names: readonly string[], membership: string, problems: PathProblem[]): ProgramField | undefined {
  if (spec === undefined) return undefined;
  const index = new Map(names.map((n, i) => [n, i]));
  let nodes: number[] = names.map((_, i) => i);
  if (spec.nodes !== 'all') {
    nodes = [];
    spec.nodes.forEach((n, k) => {
      const i = index.get(n);
      if (i === undefined) problems.push({ path: ['program', 'nodes', k], message: `expected a node of this scenario, found ${JSON.stringify(n)}` });
      else if (!nodes.includes(i)) nodes.push(i);
    });
    nodes.sort((a, b) => a - b);
  }
  const pattern = compileClockPattern(spec.clock_pattern ?? DEFAULT_CLOCK_PATTERN);
  if (typeof pattern === 'string') problems.push({ path: ['program', 'clock_pattern'], message: pattern });
  if (spec.timeout !== undefined && spec.timeout < 1000) problems.push({ path: ['program', 'timeout'], message: 'expected a timeout of at least 1ms (a wall-clock bound on each input to the program)' });
  if (membership === 'static') problems.push({ path: ['join', 'membership'], message: 'expected handshake: a program node learns its peers from the handshake (static membership cannot be given to a program)' });
  return { command: spec.command, nodes, shim: spec.shim, timeoutMs: Math.round((spec.timeout ?? DEFAULT_PROGRAM_TIMEOUT_MS * 1000) / 1000), clockPattern: spec.clock_pattern ?? DEFAULT_CLOCK_PATTERN, onError: spec.on_error };
}
