// events.csv and messages.csv: the trace as tables, streamed into atomic files. Columns are
// documented in docs/outputs.md, "Output files and the trace format"; they change only with a
// format (events.csv format 2 left out clock_before; `--events-clock-before` writes format 1).
//
// events.csv   one row per node event (the trace's `ev`), the causal events of the run
// messages.csv one row per delivery attempt (every copy of every broadcast to every node)
//
// These two and orderings.csv have a row per event, delivery or pair (hundreds of thousands
// at 50 nodes), so they are written by RowWriter: rows built as text, fields quoted by the
// same rule as csv-stringify's defaults (csvField), a clock's quoted text made once per clock
// snapshot (a node's clock-after is the next event's clock-before: the same snapshot, when
// the clock_before column is written), and the text handed to the file in 64 KB batches. A profile of the headline run showed
// csv-stringify's per-field work (a context object, three scans per field, a callback per
// quote) as a fifth of its time. The small files (anomalies.csv) keep csv-stringify.

import { stringify, type Stringifier } from 'csv-stringify';
import { snapshotJson, type ClockSnapshot, type VectorSnapshot } from '../core/clock.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent } from '../trace/events.js';
import { AtomicFile, LineFile } from '../util/atomic.js';

/**
 * events.csv's columns (docs/outputs.md, "events.csv"). Format 2, the default: no
 * `clock_before`, which always equals the same node's previous `clock_after` (a join has
 * none). Format 1, with `--events-clock-before`: the column between `peer` and `clock_after`.
 */
export const EVENTS_COLUMNS = ['event', 'time_us', 'node', 'kind', 'message', 'peer', 'clock_after', 'detail'] as const;
export const EVENTS_COLUMNS_V1 = ['event', 'time_us', 'node', 'kind', 'message', 'peer', 'clock_before', 'clock_after', 'detail'] as const;
export const MESSAGES_COLUMNS = ['message', 'kind', 'sender', 'receiver', 'sent_us', 'delivered_us', 'outcome', 'copy', 'reason'] as const;

/** A CSV file streamed through csv-stringify into an atomic file. */
export class CsvWriter {
  private readonly file: AtomicFile;
  private readonly csv: Stringifier;

  constructor(target: string | AtomicFile, columns: readonly string[]) {
    this.file = typeof target === 'string' ? new AtomicFile(target) : target;
    this.csv = stringify({ header: true, columns: [...columns] });
    this.csv.pipe(this.file.stream);
  }

  row(r: unknown[]): void {
    this.csv.write(r);
  }

  backlogged(): boolean {
    return this.file.error !== null || this.csv.writableNeedDrain;
  }

  /** Resolves when the CSV buffer drains; rejects on a write error (a full disk). */
  drain(): Promise<void> {
    if (this.file.error !== null) return Promise.reject(this.file.error);
    if (!this.csv.writableNeedDrain) return Promise.resolve();
    return this.file.drain(this.csv);
  }

  async end(): Promise<void> {
    if (this.file.error !== null) throw this.file.error;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.file.stream.once('finish', () => resolve());
        this.csv.end();
      }),
      this.file.failed(),
    ]);
    await this.file.commit();
  }
}

/**
 * One CSV field as csv-stringify writes it with its defaults (RFC 4180): a field holding a
 * comma, a double quote, a newline or a carriage return is quoted, its quotes doubled;
 * anything else as is. Numbers as JavaScript prints them.
 */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return '"' + v.replaceAll('"', '""') + '"';
  }
  return v;
}

/** A CSV file written as text rows (a LineFile whose first line is the header). */
export class RowWriter extends LineFile {
  constructor(target: string | AtomicFile, columns: readonly string[]) {
    super(target);
    this.line(columns.map(csvField).join(','));
  }
}

/**
 * A clock's field in events.csv: its JSON text, quoted (a vector's text always holds quotes).
 * With both clock columns, memoized per snapshot object: a node's clock-after is, unchanged,
 * its next clock-before. With clock_after alone each snapshot is written once: no memo.
 */
class ClockFields {
  private readonly memo: WeakMap<object, string> | null;
  /** Each name's quoted key text (`""n0"":`). */
  private readonly keys = new Map<string, string>();

  constructor(memo: boolean) {
    this.memo = memo ? new WeakMap() : null;
  }

  of(c: ClockSnapshot | undefined): string {
    if (c === undefined) return '';
    if (typeof c === 'number') return csvField(snapshotJson(c));
    if (this.memo === null) return this.field(c);
    let f = this.memo.get(c);
    if (f === undefined) {
      f = this.field(c);
      if (c.live !== true) this.memo.set(c, f);
    }
    return f;
  }

  /**
   * csvField(snapshotJson(c)) in one pass: the JSON text of a vector with at least one entry
   * always holds a quote, so the field is that text quoted, its quotes doubled, built directly
   * (the names' part once per name).
   */
  field(c: VectorSnapshot): string {
    const n = c.values.length;
    if (n === 0) return '{}';
    let s = '"{';
    for (let i = 0; i < n; i++) {
      const name = c.names[i];
      let k = this.keys.get(name);
      if (k === undefined) this.keys.set(name, (k = JSON.stringify(name).replaceAll('"', '""') + ':'));
      const v = c.values[i];
      s += (i > 0 ? ',' : '') + k + (Number.isFinite(v) ? v : JSON.stringify(String(v)).replaceAll('"', '""'));
    }
    return s + '}"';
  }
}

/** A vector clock's events.csv field (exported for its test against csvField(snapshotJson(c))). */
export function clockField(c: VectorSnapshot): string {
  return new ClockFields(false).field(c);
}

export interface EventsCsvOptions {
  /** Write the `clock_before` column (events.csv format 1); default false (format 2). */
  readonly clockBefore?: boolean;
}

export class EventsCsv extends RowWriter implements TraceConsumer {
  readonly wantsClocks = true;
  private readonly clocks: ClockFields;
  private readonly withBefore: boolean;

  constructor(target: string | AtomicFile, opts: EventsCsvOptions = {}) {
    super(target, opts.clockBefore === true ? EVENTS_COLUMNS_V1 : EVENTS_COLUMNS);
    this.withBefore = opts.clockBefore === true;
    this.clocks = new ClockFields(this.withBefore);
  }

  private row(e: { ev: number; t: number; node: string; msg: number }, kind: string, peer: string, before: ClockSnapshot | undefined, after: ClockSnapshot, detail: string): void {
    const b = this.withBefore ? this.clocks.of(before) + ',' : '';
    this.line(e.ev + ',' + e.t + ',' + csvField(e.node) + ',' + kind + ',' + e.msg + ',' + peer + ',' + b + this.clocks.of(after) + ',' + detail);
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'join': return this.row(e, 'join', '', undefined, e.after, '');
      case 'send': return this.row(e, 'send', '', e.before, e.after, csvField(e.text));
      case 'join_seen': return this.row(e, 'join_seen', csvField(e.from), e.before, e.after, e.reset ? 'reset' : '');
      case 'reply_seen': return this.row(e, 'reply_seen', csvField(e.from), e.before, e.after, '');
      case 'receive': return this.row(e, 'receive', csvField(e.from), e.before, e.after, e.copy > 0 ? 'duplicate' : '');
      case 'receiver_died': return this.row(e, 'receiver_died', csvField(e.from), e.before, e.after, csvField(`${e.cause}: ${e.detail}`));
      default: return;
    }
  }
}

export class MessagesCsv extends RowWriter implements TraceConsumer {
  constructor(target: string | AtomicFile) {
    super(target, MESSAGES_COLUMNS);
  }

  private row(msg: number, dg: string, from: string, to: string, sent: number, delivered: number | '', outcome: string, copy: number, reason: string): void {
    this.line(msg + ',' + dg + ',' + csvField(from) + ',' + csvField(to) + ',' + sent + ',' + delivered + ',' + outcome + ',' + copy + ',' + csvField(reason));
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'drop': return this.row(e.msg, e.dg, e.from, e.to, e.sent, '', e.outcome, e.copy, e.reason);
      case 'ignored': return this.row(e.msg, e.dg, e.from, e.node, e.sent, e.t, e.reason === 'own' ? 'own' : 'ignored', e.copy, e.reason === 'own' ? '' : `${e.reason}: ${e.detail}`);
      case 'receiver_died': return this.row(e.msg, e.dg, e.from, e.node, e.sent, e.t, 'fatal', e.copy, `${e.cause}: ${e.detail}`);
      case 'receive':
      case 'join_seen':
      case 'reply_seen':
        return this.row(e.msg, e.dg, e.from, e.node, e.sent, e.t, e.copy > 0 ? 'duplicate' : 'delivered', e.copy, '');
      default: return;
    }
  }
}
