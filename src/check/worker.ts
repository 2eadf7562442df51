// The checker's worker thread (src/check/remote.ts starts it): counts the verdicts online
// (./online.ts) from the batches of events the main thread sends while the run goes on, so
// that the count takes the second core instead of the simulation's. Messages in:
// {batch: Float64Array} (answered {ack: true}), then {end: true} (answered with the counts
// and the detail's parts). Any error is answered {error} and ends the thread.

import { parentPort, workerData } from 'node:worker_threads';
import { readBatch } from './batch.js';
import { orderOf } from './clocks.js';
import { OnlineVerdicts } from './online.js';
import { EventStore } from './store.js';

interface Data {
  /** The clock rule (its order). */
  readonly clock: string;
  /** Count scope all too (else the sends only). */
  readonly all: boolean;
  /** The scope whose counter keeps the detail, and the detail's groups (0: none). */
  readonly detailScope: 'sends' | 'all';
  readonly groups: number;
}

const data = workerData as Data;
const port = parentPort!;
const order = orderOf(data.clock);
const sends = new OnlineVerdicts(order, data.detailScope === 'sends' ? data.groups : 0);
const all = data.all ? new OnlineVerdicts(order, data.detailScope === 'all' ? data.groups : 0) : null;
/** The events, compact (the counters hold views into it). */
const store = new EventStore();

port.on('message', (m: { batch?: Float64Array; end?: boolean }) => {
  try {
    if (m.batch !== undefined) {
      for (const r of readBatch(m.batch)) {
        const e = store.push(r.ev, r.t, r.node, r.kind, r.msg, r.clock, r.vt);
        if (e.kind === 'send') sends.add(e, r.group);
        all?.add(e, r.group);
      }
      port.postMessage({ ack: true });
    } else if (m.end === true) {
      const head = data.detailScope === 'all' ? all : sends;
      const parts = head?.detailParts() ?? null;
      port.postMessage({ sends: sends.counts(), all: all?.counts() ?? null, parts }, parts === null ? [] : [parts.times.buffer as ArrayBuffer, parts.ended.buffer as ArrayBuffer]);
      port.close();
    }
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    port.close();
  }
});
