// The run's figures: every count the printed summary shows and summary.json holds. The
// SummaryConsumer computes the trace figures from the trace alone as it streams past;
// `assembleSummary` puts them together with what the other consumers found (the checker's
// figures, the anomalies, the digest, orderings.csv) into one typed Summary. Only
// deterministic figures live here; wall time and speed are measured by the caller and kept
// apart (timing.json).

import { Buffer } from 'node:buffer';
import type { Anomaly, AnomalyKind } from '../check/anomalies.js';
import type { CheckerFigures, CheckScope } from '../check/checker.js';
import type { TraceConsumer } from '../trace/bus.js';
import { ConvergenceConsumer, type ConvergenceReport } from './convergence.js';
import { ClockSizeConsumer, type ClockEntries } from './clock-size.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import type { ClockSnapshot } from '../core/clock.js';
import { HlcConsumer, type HlcReport } from './hlc.js';

/** The figures read from the trace alone, as it streams past (SummaryConsumer). */
export interface TraceFigures {
  scenario: string;
  seed: number;
  clock: string;
  transport: string;
  nodes: number;
  sim_time_us: number;
  /** Node events (rows of events.csv) and broadcasts (message ids). */
  events: number;
  messages: number;
  joins: number;
  sends: number;
  receives: number;
  /** Receives of a network duplicate (a second copy of one datagram). */
  duplicates: number;
  handshake: { announcements: number; join_seen: number; replies: number; reply_seen: number };
  deliveries: {
    attempts: number; delivered: number; duplicate: number; own: number; ignored: number; fatal: number;
    dropped: number; partitioned: number; receiver_dead: number; receiver_down: number;
  };
  drops_by_reason: Record<string, number>;
  receiver_deaths: Record<string, number>;
  /** Chat copies to other nodes that reached their protocol logic / all such attempts. */
  delivery_ratio: number;
  bytes: { chat: number; handshake: number; total: number; per_chat_message: number; per_handshake: number };
  faults: Record<string, number>;
  /** End-of-run convergence (src/export/convergence.ts); meaningful after a quiet phase. */
  convergence: ConvergenceReport;
  /** Entries in the clocks chat messages carry (src/export/clock-size.ts): the clock's wire cost. */
  clock_entries: ClockEntries;
  /** HLC runs only: l against physical time (src/export/hlc.ts, docs/clocks.md, "hlc"). */
  hlc?: HlcReport;
}

/** Anomalies found (src/check/anomalies.ts), counted by kind; every kind is present. */
export type AnomalyCounts = Record<AnomalyKind, number>;

/** One of the first anomalies, as summary.json lists it. */
export interface AnomalyExample {
  kind: AnomalyKind;
  time_us: number;
  node: string;
  peer: string;
  event: number | null;
  message: number | null;
  cause: string;
}

/** The checker's figures, with the anomaly detector's notes (what it could not check) when there are any. */
export type CheckerSummary = CheckerFigures & { notes?: string[] };

/** What orderings.csv holds: its scope and row count, or why it was not written. */
export interface OrderingsFigures {
  scope: CheckScope | 'none';
  written: boolean;
  rows: number;
  note: string;
}

/** What the run's other consumers found, to be put into the summary beside the trace figures. */
export interface SummaryParts {
  /** SHA-256 of trace.jsonl; null when the run skipped it (--outputs none). */
  readonly digest: string | null;
  readonly anomalies: readonly Anomaly[];
  readonly anomalyCounts: AnomalyCounts;
  /** The anomaly detector's notes on what it did not check. */
  readonly anomalyNotes: readonly string[];
  readonly checker: CheckerFigures;
  readonly orderings: OrderingsFigures;
}

/** summary.json: the trace figures and what the checker, the anomaly detector and the digest found. */
export interface Summary extends TraceFigures {
  anomalies: AnomalyCounts;
  /** SHA-256 of trace.jsonl; null when the run skipped it (--outputs none). */
  digest: string | null;
  /** The causality checker's figures (docs/checker.md, "In summary.json"): `status`, and when done the counts. */
  checker: CheckerSummary;
  /** The first anomalies (at most MAX_ANOMALY_EXAMPLES), earliest first; all are in anomalies.csv. */
  anomaly_examples: AnomalyExample[];
  orderings: OrderingsFigures;
}

export const MAX_ANOMALY_EXAMPLES = 20;

/**
 * The summary of a run, its keys in the order summary.json has always written them (the
 * bytes of summary.json, and so the baselines, depend on it).
 */
export function assembleSummary(t: TraceFigures, p: SummaryParts): Summary {
  return {
    scenario: t.scenario, seed: t.seed, clock: t.clock, transport: t.transport, nodes: t.nodes, sim_time_us: t.sim_time_us,
    events: t.events, messages: t.messages, joins: t.joins, sends: t.sends, receives: t.receives, duplicates: t.duplicates,
    handshake: t.handshake, deliveries: t.deliveries, drops_by_reason: t.drops_by_reason, receiver_deaths: t.receiver_deaths,
    anomalies: p.anomalyCounts,
    delivery_ratio: t.delivery_ratio, bytes: t.bytes, faults: t.faults,
    digest: p.digest,
    convergence: t.convergence,
    checker: p.anomalyNotes.length > 0 ? { ...p.checker, notes: [...p.anomalyNotes] } : { ...p.checker },
    anomaly_examples: p.anomalies.slice(0, MAX_ANOMALY_EXAMPLES).map(anomalyExample),
    orderings: p.orderings,
    clock_entries: t.clock_entries,
    ...(t.hlc !== undefined ? { hlc: t.hlc } : {}),
  };
}

function anomalyExample(a: Anomaly): AnomalyExample {
  return { kind: a.kind, time_us: a.t, node: a.node, peer: a.peer, event: a.ev, message: a.msg, cause: a.cause };
}

export class SummaryConsumer implements TraceConsumer {
  private readonly s: TraceFigures;
  private chatAttempts = 0;
  private chatDelivered = 0;
  private readonly conv = new ConvergenceConsumer();
  /** Its clock-size counter (the report listens to it per send rather than count twice). */
  readonly clockSize = new ClockSizeConsumer();
  private hlc: HlcConsumer | null = null;

  constructor() {
    this.s = {
      scenario: '', seed: 0, clock: '', transport: '', nodes: 0, sim_time_us: 0, events: 0, messages: 0,
      joins: 0, sends: 0, receives: 0, duplicates: 0,
      handshake: { announcements: 0, join_seen: 0, replies: 0, reply_seen: 0 },
      deliveries: { attempts: 0, delivered: 0, duplicate: 0, own: 0, ignored: 0, fatal: 0, dropped: 0, partitioned: 0, receiver_dead: 0, receiver_down: 0 },
      drops_by_reason: {}, receiver_deaths: {},
      delivery_ratio: 1, bytes: { chat: 0, handshake: 0, total: 0, per_chat_message: 0, per_handshake: 0 },
      faults: {}, convergence: this.conv.report, clock_entries: this.clockSize.report,
    };
  }

  /** The figures (complete once the trace's end event has passed). */
  figures(): TraceFigures {
    return this.s;
  }

  header(h: TraceHeader): void {
    const s = this.s;
    s.scenario = String(h.scenario.name ?? '');
    s.seed = h.seed;
    s.clock = h.clock;
    s.transport = h.transport;
    s.nodes = h.nodes.length;
    this.conv.header(h);
    this.clockSize.header(h);
    if (h.clock === 'hlc') {
      this.hlc = new HlcConsumer();
      this.hlc.header(h);
      s.hlc = this.hlc.report;
    }
  }

  /**
   * A chat receive by index (the counting path: see TraceConsumer.countReceive), counted as
   * `event` counts a `receive` event. Not for HLC runs (the driver traces their receives).
   */
  countReceive(_t: number, node: number, from: number, msg: number, copy: number, after: ClockSnapshot): void {
    if (this.hlc !== null) throw new Error('bug: an hlc receive was counted rather than traced');
    const s = this.s;
    this.conv.countReceive(node, after);
    this.clockSize.countReceive(node, msg);
    s.receives++;
    if (copy > 0) s.duplicates++;
    this.delivered(copy);
    this.chat(copy, from !== node, true);
  }

  event(e: TraceEvent): void {
    const s = this.s;
    const d = s.deliveries;
    this.conv.event(e);
    this.clockSize.event(e);
    this.hlc?.event(e);
    switch (e.type) {
      case 'join':
        s.joins++;
        if (e.msg === 0) return; // static membership: no announcement
        s.handshake.announcements++;
        s.bytes.handshake += Buffer.byteLength('NEW_CONNECTION==' + e.node);
        return;
      case 'send':
        s.sends++;
        s.bytes.chat += e.bytes;
        return;
      case 'join_seen':
        s.handshake.join_seen++;
        s.handshake.replies++;
        s.bytes.handshake += Buffer.byteLength('EXISTING_CONNECTION==' + e.node);
        this.delivered(e.copy);
        return;
      case 'reply_seen':
        s.handshake.reply_seen++;
        this.delivered(e.copy);
        return;
      case 'receive':
        s.receives++;
        if (e.copy > 0) s.duplicates++;
        this.delivered(e.copy);
        this.chat(e.copy, e.from !== e.node, true);
        return;
      case 'receiver_died':
        d.attempts++;
        d.fatal++;
        s.receiver_deaths[e.cause] = (s.receiver_deaths[e.cause] ?? 0) + 1;
        if (e.dg === 'chat') this.chat(e.copy, e.from !== e.node, true);
        return;
      case 'ignored':
        d.attempts++;
        if (e.reason === 'own') d.own++;
        else d.ignored++;
        if (e.dg === 'chat') this.chat(e.copy, e.from !== e.node, false);
        return;
      case 'drop':
        d.attempts++;
        d[e.outcome]++;
        s.drops_by_reason[e.reason] = (s.drops_by_reason[e.reason] ?? 0) + 1;
        if (e.dg === 'chat') this.chat(e.copy, e.from !== e.to, false);
        return;
      case 'fault':
        if (e.phase === 'start') s.faults[e.kind] = (s.faults[e.kind] ?? 0) + 1;
        return;
      case 'end':
        s.sim_time_us = e.t;
        s.events = e.events;
        s.messages = e.messages;
        this.finish();
        return;
    }
  }

  private delivered(copy: number): void {
    this.s.deliveries.attempts++;
    if (copy > 0) this.s.deliveries.duplicate++;
    else this.s.deliveries.delivered++;
  }

  private chat(copy: number, toOther: boolean, reached: boolean): void {
    if (copy !== 0 || !toOther) return;
    this.chatAttempts++;
    if (reached) this.chatDelivered++;
  }

  private finish(): void {
    const s = this.s;
    s.delivery_ratio = this.chatAttempts === 0 ? 1 : round6(this.chatDelivered / this.chatAttempts);
    s.bytes.total = s.bytes.chat + s.bytes.handshake;
    s.bytes.per_chat_message = s.sends === 0 ? 0 : round6(s.bytes.chat / s.sends);
    const handshakes = s.handshake.announcements + s.handshake.replies;
    s.bytes.per_handshake = handshakes === 0 ? 0 : round6(s.bytes.handshake / handshakes);
    s.drops_by_reason = sortKeys(s.drops_by_reason);
    s.receiver_deaths = sortKeys(s.receiver_deaths);
    s.faults = sortKeys(s.faults);
    s.convergence = this.conv.report;
  }
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function sortKeys<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}
