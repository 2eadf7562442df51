// `vcsim validate`: the parity test of design.md. Runs one scenario and seed twice, in the
// simulator and on live UDP sockets, and compares what both traces say: sends, receives,
// delivery ratio, chat latency quantiles, anomalies by kind, the causality checker's
// verdicts (both runs' `summary.checker`), and those of any extra verdict consumer the
// caller adds (`checker`), and the faults: faults started by kind, joins (restarts announce
// again), receivers found down and what clogs released. Each figure has a stated tolerance;
// the live run is "within what the simulation predicts" when every figure with a tolerance
// is inside it. Loopback is near-lossless, so what differs is the kernel's timing and the
// machine's load (which decides, for a send at the very instant a fault starts or ends,
// which side of it the send falls on).

import { join } from 'node:path';
import { ANOMALY_KINDS } from '../check/anomalies.js';
import type { VerdictCounts } from '../check/verdicts.js';
import { LatencyConsumer, type LatencyQuantiles } from '../export/latency.js';
import type { LiveTransport } from './live.js';
import type { TimerLog } from '../transport/driver.js';
import { runScenario, type RunResult } from './run.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent } from '../trace/events.js';

/**
 * A hook for more verdicts than the causality checker's: a fresh consumer per run whose
 * verdicts, by name, are compared between the two runs (equal verdicts: parity).
 */
export interface VerdictConsumer extends TraceConsumer {
  verdicts(): Readonly<Record<string, string | number | boolean>>;
}

export interface ValidateOptions {
  readonly loaded: LoadedScenario;
  readonly seed: number;
  readonly live: LiveTransport;
  /** Folder for both runs' outputs (`sim/`, `udp/`); null writes nothing. */
  readonly outDir: string | null;
  /** Makes an extra verdict consumer for each run; undefined: only the causality checker's verdicts are compared. */
  readonly checker?: () => VerdictConsumer;
}

export interface Row {
  readonly figure: string;
  readonly sim: number | string;
  readonly live: number | string;
  /** The tolerance in words, or '' for a figure shown for information only. */
  readonly tolerance: string;
  /** null: informational. */
  readonly ok: boolean | null;
}

export interface ValidateResult {
  readonly rows: readonly Row[];
  readonly parity: boolean;
  readonly checker: boolean;
  readonly sim: RunResult;
  readonly live: RunResult;
  readonly latency: { readonly sim: LatencyQuantiles; readonly live: LatencyQuantiles };
}

/**
 * Latency slack for the kernel and a loaded machine's timers, in wall microseconds: a live
 * quantile may be up to twice the simulated one plus this, plus twice the live run's own
 * timer lateness at p90 (a copy waits for one timer, its latency, and one turn of the event
 * loop, its arrival, and both are late by as much as the machine is loaded), all divided by
 * the time scale (quantiles are compared in scenario time); and no less than half of it (the
 * live run applies the same latency distribution, so it cannot be much faster).
 */
export const LATENCY_SLACK_US = 20_000;

/** How late the live driver's timers fired (wall µs): the load the live run saw. */
class Lateness implements TimerLog {
  private readonly samples: number[] = [];
  late(us: number): void {
    this.samples.push(us);
  }
  /** p90 by nearest rank (0 with no timer). */
  p90(): number {
    const s = this.samples.slice().sort((a, b) => a - b);
    return s.length === 0 ? 0 : s[Math.ceil(0.9 * s.length) - 1];
  }
}

/** What the clogs of a run released at their ends (the `released` of clog end events), summed. */
class ReleasedConsumer implements TraceConsumer {
  released = 0;
  clogs = 0;
  event(e: TraceEvent): void {
    if (e.type === 'fault' && e.kind === 'clog' && e.phase === 'end') {
      this.clogs++;
      this.released += e.released ?? 0;
    }
  }
}

export async function validate(opts: ValidateOptions): Promise<ValidateResult> {
  const scale = opts.live.timeScale ?? 1;
  const simLat = new LatencyConsumer();
  const liveLat = new LatencyConsumer();
  const simCheck = opts.checker?.();
  const liveCheck = opts.checker?.();
  const lateness = new Lateness();
  const simClogs = new ReleasedConsumer();
  const liveClogs = new ReleasedConsumer();
  const dir = (side: string): string | null => (opts.outDir === null ? null : join(opts.outDir, side));
  const sim = await runScenario({ loaded: opts.loaded, seed: opts.seed, outDir: dir('sim'), consumers: [simLat, simClogs, ...(simCheck ? [simCheck] : [])] });
  const live = await runScenario({ loaded: opts.loaded, seed: opts.seed, outDir: dir('udp'), consumers: [liveLat, liveClogs, ...(liveCheck ? [liveCheck] : [])], live: { ...opts.live, timerLog: lateness } });
  const latency = { sim: simLat.quantiles(), live: liveLat.quantiles(scale) };
  const faulted = Object.keys(sim.summary.faults).length > 0;
  const edge = faulted ? (2 * opts.loaded.scenario.nodes) / Math.max(1, latency.sim.count) : 0;
  const rows = compare(sim, live, latency, opts.loaded.scenario.nodes);
  const afterRatio = rows.findIndex((r) => r.figure === 'delivery ratio') + 1;
  rows.splice(afterRatio, 0, ...latencyRows(simLat, latency.live, edge, (LATENCY_SLACK_US + 2 * lateness.p90()) / scale, lateness.p90()));
  rows.push(...faultRows(sim, live, opts.loaded.scenario.nodes, simClogs, liveClogs));
  const verdictRows = checkerRows(sim, live);
  rows.push(...verdictRows);
  if (simCheck && liveCheck) rows.push(...compareVerdicts(simCheck.verdicts(), liveCheck.verdicts()));
  const parity = rows.every((r) => r.ok !== false);
  return { rows, parity, checker: simCheck !== undefined || verdictRows.length > 0, sim, live, latency };
}

function compare(sim: RunResult, live: RunResult, lat: ValidateResult['latency'], nodes: number): Row[] {
  const s = sim.summary;
  const l = live.summary;
  const rows: Row[] = [];
  const within = (figure: string, a: number, b: number, abs: number, rel: number, words: string): void => {
    rows.push({ figure, sim: a, live: b, tolerance: words, ok: Math.abs(a - b) <= Math.max(abs, rel * Math.abs(a)) });
  };
  within('sends', s.sends, l.sends, 1, 0.02, '±max(1, 2%)');
  within('receives', s.receives, l.receives, 3, 0.1, '±max(3, 10%)');
  within('deliveries', s.deliveries.delivered, l.deliveries.delivered, 3, 0.1, '±max(3, 10%)');
  const attempts = Math.max(1, s.sends * Math.max(1, nodes - 1));
  const p = s.delivery_ratio;
  const ratioTol = Math.max(0.05, 4 * Math.sqrt((p * (1 - p)) / attempts));
  rows.push({ figure: 'delivery ratio', sim: p, live: l.delivery_ratio, tolerance: `±${ratioTol.toFixed(3)} (max(0.05, 4 sd))`, ok: Math.abs(p - l.delivery_ratio) <= ratioTol + 1e-9 });
  for (const k of [...ANOMALY_KINDS].sort()) within(`anomalies ${k}`, s.anomalies[k], l.anomalies[k], 2, 0.5, '±max(2, 50%)');
  const reasons = [...new Set([...Object.keys(s.drops_by_reason), ...Object.keys(l.drops_by_reason)])].sort();
  for (const r of reasons) rows.push({ figure: `drops ${r}`, sim: s.drops_by_reason[r] ?? 0, live: l.drops_by_reason[r] ?? 0, tolerance: '', ok: null });
  return rows;
}

/**
 * Chat latency quantiles p50 and p90: the live one within [sim(p − edge) / 2 − 1 ms,
 * 2 × sim(p + edge) + slack], where sim(x) is the simulated x-quantile. `edge` is the share
 * of samples a fault's edges can move across a quantile (2 × nodes of them, see faultRows;
 * 0 without faults): when a quantile sits where a clog or pause starts holding copies, a few
 * more held live must not count as a regression. `slack` is in scenario µs.
 */
function latencyRows(sim: LatencyConsumer, live: LatencyQuantiles, edge: number, slack: number, late: number): Row[] {
  const rows: Row[] = [];
  const ms = (us: number): string => String(Math.round(us / 100) / 10);
  for (const [q, p] of [['p50', 0.5], ['p90', 0.9]] as const) {
    const lo = sim.at(p - edge) / 2 - 1_000;
    const hi = 2 * sim.at(p + edge) + slack;
    const band = (x: number): string => (edge > 0 ? `sim(${x.toFixed(3)})` : 'sim');
    rows.push({ figure: `latency ${q} (µs)`, sim: sim.at(p), live: live[q], tolerance: `${band(p - edge)}/2 .. 2 ${band(p + edge)} + ${ms(slack)}ms`, ok: live[q] >= lo && live[q] <= hi });
  }
  rows.push({ figure: 'timer lateness p90 (wall µs)', sim: '-', live: late, tolerance: '', ok: null });
  rows.push({ figure: 'latency p99 (µs)', sim: sim.at(0.99), live: live.p99, tolerance: '', ok: null });
  rows.push({ figure: 'latency max (µs)', sim: sim.at(1), live: live.max, tolerance: '', ok: null });
  return rows;
}

/**
 * The faults: the same faults start live as simulated, and as many nodes join (a restart
 * joins again). A send at the very instant a fault starts or ends falls on either side of it
 * live (timer order), and costs up to one copy per node; with two such instants per fault,
 * receivers found down and datagrams a clog released are judged within ±max(2 × nodes, 20%).
 */
function faultRows(sim: RunResult, live: RunResult, nodes: number, a: ReleasedConsumer, b: ReleasedConsumer): Row[] {
  const s = sim.summary;
  const l = live.summary;
  const rows: Row[] = [];
  const kinds = [...new Set([...Object.keys(s.faults), ...Object.keys(l.faults)])].sort();
  for (const k of kinds) rows.push({ figure: `faults ${k}`, sim: s.faults[k] ?? 0, live: l.faults[k] ?? 0, tolerance: 'equal', ok: (s.faults[k] ?? 0) === (l.faults[k] ?? 0) });
  if (kinds.length === 0) return rows;
  rows.push({ figure: 'joins', sim: s.joins, live: l.joins, tolerance: 'equal', ok: s.joins === l.joins });
  const edge = (figure: string, x: number, y: number): void => {
    rows.push({ figure, sim: x, live: y, tolerance: `±max(${2 * nodes}, 20%) (2 × nodes)`, ok: Math.abs(x - y) <= Math.max(2 * nodes, 0.2 * x) });
  };
  edge('receiver_down', s.deliveries.receiver_down, l.deliveries.receiver_down);
  if (a.clogs > 0 || b.clogs > 0) edge('clog released', a.released, b.released);
  return rows;
}

/**
 * The causality checker's verdicts per scope. Where the simulation finds no disagreement
 * (fidge-mattern), the live run must find none either; otherwise the share of disagreeing
 * pairs must be within 0.05 of the simulated share (timing decides which pairs disagree).
 */
function checkerRows(sim: RunResult, live: RunResult): Row[] {
  const a = sim.summary.checker;
  const b = live.summary.checker;
  if (a.status !== 'done' || b.status !== 'done') return [];
  const rows: Row[] = [];
  for (const scope of ['sends', 'all'] as const) {
    const x = a[scope];
    const y = b[scope];
    if (x === undefined || y === undefined) continue;
    const share = (v: VerdictCounts): number => (v.pairs === 0 ? 0 : Math.round((v.disagree / v.pairs) * 1e4) / 1e4);
    if (x.disagree === 0) {
      rows.push({ figure: `checker ${scope} disagreements`, sim: 0, live: y.disagree, tolerance: 'none, as simulated', ok: y.disagree === 0 });
    } else {
      rows.push({ figure: `checker ${scope} disagreeing share`, sim: share(x), live: share(y), tolerance: '±0.05', ok: Math.abs(share(x) - share(y)) <= 0.05 });
    }
    for (const k of ['missed', 'false_order', 'reversed'] as const) rows.push({ figure: `checker ${scope} ${k}`, sim: x[k], live: y[k], tolerance: '', ok: null });
  }
  return rows;
}

function compareVerdicts(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Row[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((k) => ({ figure: `checker ${k}`, sim: String(a[k] ?? '-'), live: String(b[k] ?? '-'), tolerance: 'equal', ok: a[k] === b[k] }));
}
