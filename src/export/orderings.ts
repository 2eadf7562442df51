// orderings.csv and anomalies.csv: the checker's pairs and the run's anomalies as tables,
// streamed into atomic files (written whole or not at all): orderings.csv (a row per pair,
// hundreds of thousands) as text rows in batches (RowWriter), anomalies.csv through csv-stringify. Columns are
// documented in docs/checker.md, "orderings.csv" and stay stable; add, never rename.
//
// orderings.csv  one row per pair of distinct events in scope, a before b in trace order
// anomalies.csv  one row per anomaly, earliest first

import { CsvWriter, RowWriter, csvField } from './csv.js';
import type { AtomicFile } from '../util/atomic.js';
import type { Anomaly } from '../check/anomalies.js';

export const ORDERINGS_COLUMNS = ['a', 'b', 'node_a', 'node_b', 'kind_a', 'kind_b', 'clock_relation', 'true_relation', 'agree', 'verdict', 'equal_stamps'] as const;
export const ANOMALIES_COLUMNS = ['kind', 'time_us', 'node', 'peer', 'event', 'message', 'cause'] as const;

/** One pair as orderings.csv needs it (structurally what the checker yields). */
export interface OrderingRow {
  readonly a: { readonly ev: number; readonly node: number; readonly kind: string };
  readonly b: { readonly ev: number; readonly node: number; readonly kind: string };
  readonly clock: string;
  readonly truth: string;
  readonly category: string;
}

/** Writes orderings.csv from pairs; returns the number of rows. Awaits the stream's drain. */
export async function writeOrderingsCsv(path: string | AtomicFile, pairs: Iterable<OrderingRow>, nodeName: (slot: number) => string): Promise<number> {
  const w = new RowWriter(path, ORDERINGS_COLUMNS);
  const names: string[] = [];
  const name = (slot: number): string => (names[slot] ??= csvField(nodeName(slot)));
  let rows = 0;
  for (const p of pairs) {
    w.line(p.a.ev + ',' + p.b.ev + ',' + name(p.a.node) + ',' + name(p.b.node) + ',' + p.a.kind + ',' + p.b.kind + ',' + p.clock + ',' + p.truth + ',' + (p.category === 'agree' ? 'true' : 'false') + ',' + p.category + ',' + (p.clock === 'equal' ? 'true' : 'false'));
    rows++;
    if ((rows & 1023) === 0 && w.backlogged()) await w.drain();
  }
  await w.end();
  return rows;
}

/** One row of anomalies.csv: an anomaly as the checker reports it. */
export type AnomalyRow = Anomaly;

export async function writeAnomaliesCsv(path: string | AtomicFile, anomalies: readonly AnomalyRow[]): Promise<void> {
  const w = new CsvWriter(path, ANOMALIES_COLUMNS);
  let n = 0;
  for (const a of anomalies) {
    w.row([a.kind, a.t, a.node, a.peer, a.ev ?? '', a.msg ?? '', a.cause]);
    if ((++n & 1023) === 0 && w.backlogged()) await w.drain();
  }
  await w.end();
}
