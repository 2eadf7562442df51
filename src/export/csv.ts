// events.csv and messages.csv: the trace as tables, streamed through csv-stringify into
// atomic files. Columns are documented in docs/outputs.md, "Output files and the trace format" and stay stable.
//
// events.csv   one row per node event (the trace's `ev`), the causal events of the run
// messages.csv one row per delivery attempt (every copy of every broadcast to every node)

import { stringify, type Stringifier } from 'csv-stringify';
import { snapshotJson, type ClockSnapshot } from '../core/clock.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent } from '../trace/events.js';
import { AtomicFile } from '../util/atomic.js';

export const EVENTS_COLUMNS = ['event', 'time_us', 'node', 'kind', 'message', 'peer', 'clock_before', 'clock_after', 'detail'] as const;
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

const clock = (c: ClockSnapshot | undefined): string => (c === undefined ? '' : snapshotJson(c));

export class EventsCsv extends CsvWriter implements TraceConsumer {
  readonly wantsClocks = true;
  constructor(target: string | AtomicFile) {
    super(target, EVENTS_COLUMNS);
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'join': return this.row([e.ev, e.t, e.node, 'join', e.msg, '', '', clock(e.after), '']);
      case 'send': return this.row([e.ev, e.t, e.node, 'send', e.msg, '', clock(e.before), clock(e.after), e.text]);
      case 'join_seen': return this.row([e.ev, e.t, e.node, 'join_seen', e.msg, e.from, clock(e.before), clock(e.after), e.reset ? 'reset' : '']);
      case 'reply_seen': return this.row([e.ev, e.t, e.node, 'reply_seen', e.msg, e.from, clock(e.before), clock(e.after), '']);
      case 'receive': return this.row([e.ev, e.t, e.node, 'receive', e.msg, e.from, clock(e.before), clock(e.after), e.copy > 0 ? 'duplicate' : '']);
      case 'receiver_died': return this.row([e.ev, e.t, e.node, 'receiver_died', e.msg, e.from, clock(e.before), clock(e.after), `${e.cause}: ${e.detail}`]);
      default: return;
    }
  }
}

export class MessagesCsv extends CsvWriter implements TraceConsumer {
  constructor(target: string | AtomicFile) {
    super(target, MESSAGES_COLUMNS);
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'drop': return this.row([e.msg, e.dg, e.from, e.to, e.sent, '', e.outcome, e.copy, e.reason]);
      case 'ignored': return this.row([e.msg, e.dg, e.from, e.node, e.sent, e.t, e.reason === 'own' ? 'own' : 'ignored', e.copy, e.reason === 'own' ? '' : `${e.reason}: ${e.detail}`]);
      case 'receiver_died': return this.row([e.msg, e.dg, e.from, e.node, e.sent, e.t, 'fatal', e.copy, `${e.cause}: ${e.detail}`]);
      case 'receive':
      case 'join_seen':
      case 'reply_seen':
        return this.row([e.msg, e.dg, e.from, e.node, e.sent, e.t, e.copy > 0 ? 'duplicate' : 'delivered', e.copy, '']);
      default: return;
    }
  }
}
