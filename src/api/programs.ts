// The differential run (`vcsim diff`): the scenario with the built-in model and with a
// program, on one seed, compared event for event (docs/programs.md, "vcsim diff").

import { snapshotJson, type ClockSnapshot } from '../core/clock.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { ProgramField } from '../scenario/program.js';
import type { TraceEvent } from '../trace/events.js';
import { runScenario } from './run.js';

/** One side of a differential run: its records, in order (datagrams as sent, then the input's events). */
export type DiffRecord = Record<string, unknown>;

export interface DiffResult {
  /** 0-based index of the first differing record, or -1: identical. */
  readonly at: number;
  readonly model: readonly string[];
  readonly program: readonly string[];
  readonly records: number;
}

/**
 * Runs `loaded` on `seed` twice: every node the built-in model (the scenario's own `program:`
 * dropped), then `program` on its nodes. Compares the datagrams (their text) and the events
 * with their clocks; a program's clock is compared where it printed one (docs/programs.md).
 */
export async function diffProgram(loaded: LoadedScenario, seed: number, program: ProgramField): Promise<DiffResult> {
  const modelLoaded: LoadedScenario = { ...loaded, scenario: { ...loaded.scenario, program: undefined } };
  const model = await recordRun(modelLoaded, seed, undefined);
  const prog = await recordRun(loaded, seed, program);
  const n = Math.max(model.length, prog.length);
  const a: string[] = [];
  const b: string[] = [];
  for (let k = 0; k < n; k++) {
    const [x, y] = comparable(model[k], prog[k]);
    a.push(x);
    b.push(y);
    if (x !== y) return { at: k, model: a, program: b, records: n };
  }
  return { at: -1, model: a, program: b, records: n };
}

interface Rec {
  readonly rec: DiffRecord;
  /** For events: which clock fields the program printed (all, for the model). */
  readonly printed: ReadonlySet<string>;
}

async function recordRun(loaded: LoadedScenario, seed: number, program: ProgramField | undefined): Promise<Rec[]> {
  const out: Rec[] = [];
  let printed: WeakSet<object> | null = null;
  const all = new Set(['before', 'after']);
  const consumer = {
    wantsClocks: true,
    event(e: TraceEvent): void {
      const rec: DiffRecord = { ...(e as unknown as DiffRecord) };
      const seen = new Set<string>();
      for (const k of ['before', 'after']) {
        const c = rec[k] as ClockSnapshot | undefined;
        if (c === undefined) continue;
        if (printed === null || (typeof c === 'object' && printed.has(c))) seen.add(k);
        rec[k] = snapshotJson(c);
      }
      out.push({ rec, printed: printed === null ? all : seen });
    },
  };
  await runScenario({
    loaded, seed, outDir: null, outputs: 'none', checker: 'off', consumers: [consumer],
    ...(program !== undefined ? { program, printedClocks: (p: WeakSet<object>) => { printed = p; } } : {}),
    transmitted: (node, payload) => out.push({ rec: { type: 'datagram', node, text: payload }, printed: all }),
  });
  return out;
}

/**
 * The two records as compared: a clock the program did not print is shown as "(not printed)"
 * on its side and left out of the comparison, as are `reset` then and a death's `detail`
 * (the program's words for it, e.g. Python's "KeyError: 'n3'").
 */
function comparable(m: Rec | undefined, p: Rec | undefined): [string, string] {
  if (m === undefined || p === undefined) return [m === undefined ? '' : JSON.stringify(m.rec), p === undefined ? '' : JSON.stringify(p.rec)];
  const a = { ...m.rec };
  const b = { ...p.rec };
  const skipped: string[] = [];
  for (const k of ['before', 'after']) if (k in b && !p.printed.has(k)) skipped.push(k);
  if (skipped.length > 0 && 'reset' in b) skipped.push('reset');
  if (b.type === 'receiver_died') skipped.push('detail');
  const same = JSON.stringify({ ...a, ...pick(b, skipped) }) === JSON.stringify(b);
  for (const k of skipped) if (k === 'before' || k === 'after') b[k] = '(not printed)';
  if (same) return [JSON.stringify(a), JSON.stringify(a)];
  return [JSON.stringify(a), JSON.stringify(b)];
}

function pick(r: DiffRecord, keys: readonly string[]): DiffRecord {
  const o: DiffRecord = {};
  for (const k of keys) if (k in r) o[k] = r[k];
  return o;
}
