// The programs of one run: which nodes are programs, the one host that serves their pipes,
// the problems they had, and the clocks they printed. The simulator asks `makeNode` for each
// node it starts (and restarts); a model node gets null and is the core Node as always.

import { fileURLToPath } from 'node:url';
import { Node } from '../core/node.js';
import { isVectorRule, type ClockRuleName } from '../core/rules.js';
import { RecordingNode, type NodeInputs } from './record.js';
import { ProgramHost } from './host.js';
import { ProgramNode, type ProgramProblem, type ProgramSpec } from './node.js';
import { compileClockPattern, type ProgramField } from '../scenario/program.js';

/** The Python shim shipped with vcsim (docs/programs.md, "The Python shim"). */
export const PYTHON_SHIM = fileURLToPath(new URL('./shim/vcsim_shim.py', import.meta.url));

/** A command line with a shim put in front of its program: `python3 client.py` → `python3 SHIM client.py`. */
export function withShim(command: readonly string[], shim: 'python' | 'none'): string[] {
  if (shim === 'none' || command.length === 0) return [...command];
  return [command[0], PYTHON_SHIM, ...command.slice(1)];
}

export interface ProgramPlan {
  readonly spec: ProgramSpec;
  /** Indices of the nodes that run the program. */
  readonly nodes: readonly number[];
}

/** A scenario's `program:` field as the run needs it; relative paths in the command are from `cwd`. */
export function programPlan(field: ProgramField, cwd: string): ProgramPlan {
  const pattern = compileClockPattern(field.clockPattern);
  if (typeof pattern === 'string') throw new Error(`bug: clock pattern not checked: ${pattern}`);
  return {
    spec: { command: withShim(field.command, field.shim), cwd, timeoutMs: field.timeoutMs, clockPattern: pattern, onError: field.onError },
    nodes: field.nodes,
  };
}

export class ProgramRun {
  private readonly host = new ProgramHost();
  readonly problems: ProgramProblem[] = [];
  /** Clock snapshots a program printed (the others were carried forward from its last print). */
  readonly printed = new WeakSet<object>();
  private readonly isProgram: Set<number>;
  private readonly live = new Map<number, ProgramNode>();

  constructor(private readonly plan: ProgramPlan) {
    this.isProgram = new Set(plan.nodes);
  }

  /** The program node for node `index` (a fresh process; a previous one is killed), or null for a model node. */
  makeNode(index: number, name: string): ProgramNode | null {
    if (!this.isProgram.has(index)) return null;
    this.live.get(index)?.kill();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // Python's set and dict of str iterate by hash: a fixed seed keeps a program deterministic.
    Object.assign(env, { VCSIM_NODE: name, VCSIM_NODE_INDEX: String(index), PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' });
    const node = new ProgramNode(name, this.plan.spec, this.host, this.printed, this.problems, env);
    this.live.set(index, node);
    return node;
  }

  /** Kills every program and ends the host. */
  async close(): Promise<void> {
    for (const n of this.live.values()) n.kill();
    this.live.clear();
    await this.host.close();
  }
}

/** The simulator's makeNode hook for a run, or undefined when every node is the plain core Node. */
export function nodeFactory(clock: ClockRuleName, programs: ProgramRun | null, heard?: (node: string, payload: string) => void): ((i: number, name: string) => NodeInputs | null) | undefined {
  if (programs === null && heard === undefined) return undefined;
  if (heard !== undefined && !isVectorRule(clock)) throw new Error(`bug: recording nodes need a vector clock rule, not ${clock}`);
  return (i, name) => {
    const p = programs?.makeNode(i, name) ?? null;
    if (heard === undefined) return p;
    return new RecordingNode(p ?? new Node(name, clock, { index: i }), (payload) => heard(name, payload));
  };
}

