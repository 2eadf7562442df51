// Convergence at the end of a run, from the trace alone: once every datagram has landed or
// been dropped, do all live nodes know each other, and does every live node hold, for every
// live peer, the value that peer's own entry had at its last send (so that under the seed
// rule all live clocks are equal, and under fidge-mattern they agree on every entry but
// each node's own count of receives)? A node is live if it joined and has not crashed
// (without restart) or left. The report says why not when it did not converge.

import type { ClockSnapshot } from '../core/clock.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';

export interface ConvergenceReport {
  /** Start of the quiet phase in microseconds, or null when the scenario has none. */
  quiet_from_us: number | null;
  /** False when the clock rule carries no membership (lamport). */
  checked: boolean;
  converged: boolean;
  live: number;
  /** Problems found (all of them), and the first few in words. */
  problems: number;
  reasons: string[];
}

const MAX_REASONS = 10;

interface NodeState {
  up: boolean;
  snap: ClockSnapshot | null;
  /** Own entry at the last send since the latest (re)start. */
  lastSend: number;
  died: string | null;
}

export class ConvergenceConsumer implements TraceConsumer {
  private names: readonly string[] = [];
  private clock = '';
  private quietFrom: number | null = null;
  private readonly state = new Map<string, NodeState>();
  /** The header's nodes' states, by index (the counting path). */
  private byIndex: NodeState[] = [];
  report: ConvergenceReport = { quiet_from_us: null, checked: false, converged: false, live: 0, problems: 0, reasons: [] };

  header(h: TraceHeader): void {
    this.names = h.nodes;
    this.clock = h.clock;
    this.quietFrom = h.faults.find((f) => f.kind === 'quiet')?.start ?? null;
    for (const n of h.nodes) this.state.set(n, { up: false, snap: null, lastSend: 0, died: null });
    this.byIndex = h.nodes.map((n) => this.state.get(n)!);
  }

  /** A chat receive by index (the counting path: see TraceConsumer.countReceive). */
  countReceive(node: number, after: ClockSnapshot): void {
    this.byIndex[node].snap = after;
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'join': {
        const s = this.state.get(e.node)!;
        s.up = true; s.snap = e.after; s.lastSend = 0; s.died = null;
        return;
      }
      case 'send': {
        const s = this.state.get(e.node)!;
        s.snap = e.after;
        s.lastSend = entry(e.after, e.node) ?? 0;
        return;
      }
      case 'join_seen':
      case 'reply_seen':
      case 'receive':
        this.state.get(e.node)!.snap = e.after;
        return;
      case 'receiver_died': {
        const s = this.state.get(e.node)!;
        s.snap = e.after;
        s.died = `${e.node}: receiver died (${e.cause}) at ${e.t / 1e6}s`;
        return;
      }
      case 'fault':
        if ((e.kind === 'crash' || e.kind === 'leave') && e.phase === 'start') {
          for (const n of e.nodes ?? []) this.state.get(n)!.up = false;
        }
        return;
      case 'end':
        this.finish();
        return;
      default:
        return;
    }
  }

  private finish(): void {
    const live = this.names.filter((n) => this.state.get(n)!.up);
    const reasons: string[] = [];
    let problems = 0;
    const problem = (r: string): void => {
      problems++;
      if (reasons.length < MAX_REASONS) reasons.push(r);
    };
    const checked = this.clock === 'seed' || this.clock === 'fidge-mattern' || this.clock === 'differential';
    if (!checked) {
      reasons.push(`${this.clock} clocks carry no membership or per-node entries to compare`);
    } else {
      for (const n of live) {
        const s = this.state.get(n)!;
        if (s.died !== null) problem(s.died);
        const view = entries(s.snap);
        for (const p of live) {
          if (p === n) continue;
          const v = view.get(p);
          const want = this.state.get(p)!.lastSend;
          if (v === undefined) problem(`${n} does not know ${p}`);
          else if (v !== want) problem(`${n} holds ${p} = ${v}, but ${p}'s last send carried ${want}`);
        }
      }
    }
    this.report = { quiet_from_us: this.quietFrom, checked, converged: checked && problems === 0, live: live.length, problems, reasons };
  }
}

/** A snapshot's entries; also accepts the JSON object form a trace file holds. */
function entries(s: ClockSnapshot | null): Map<string, number> {
  const m = new Map<string, number>();
  if (s === null || typeof s === 'number') return m;
  if (!Array.isArray(s.values)) return new Map(Object.entries(s as unknown as Record<string, number>));
  for (let i = 0; i < s.values.length; i++) m.set(s.names[i], s.values[i]);
  return m;
}

function entry(s: ClockSnapshot, name: string): number | undefined {
  if (typeof s === 'number') return s;
  if (!Array.isArray(s.values)) return (s as unknown as Record<string, number>)[name];
  const i = s.names.indexOf(name);
  return i >= 0 && i < s.values.length ? s.values[i] : undefined;
}
