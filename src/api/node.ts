// The trace of one interactive live node (`vcsim node --log`, docs/live.md): a header naming
// the node, then its events, written whole by src/export/jsonl.ts. The node itself is
// src/transport/interactive.ts; this file only wires its trace, so the CLI needs no export/
// or trace/ import of its own.

import { JsonlWriter } from '../export/jsonl.js';
import { TraceBus } from '../trace/bus.js';
import { TRACE_FORMAT } from '../trace/events.js';
import type { ClockRuleName } from '../core/rules.js';
import { VERSION } from '../util/version.js';

export interface NodeLogOptions {
  readonly name: string;
  readonly clock: ClockRuleName;
  readonly port: number;
  readonly address: string;
}

export interface NodeLog {
  /** The bus the node emits its events on; ending it finishes the file. */
  readonly bus: TraceBus;
  /** Leaves no file behind (the node could not start). */
  abort(): void;
}

/** Opens `file` for a node's trace and writes its header. */
export function openNodeLog(file: string, o: NodeLogOptions): NodeLog {
  const writer = new JsonlWriter(file);
  const bus = new TraceBus([writer]);
  bus.header({
    type: 'header', vcsim: VERSION, format: TRACE_FORMAT, transport: 'udp', replayable: false, seed: 0,
    clock: o.clock, nodes: [o.name], scenario: { name: `node-${o.name}`, nodes: 1, names: [o.name] }, faults: [],
    live: { port: o.port, address: o.address, time_scale: 1 },
  });
  return { bus, abort: () => writer.abort() };
}
