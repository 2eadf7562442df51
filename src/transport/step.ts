// One core input's outputs on live sockets: the Outbox both live drivers hand the core (the
// scenario driver in driver.ts and the interactive node in interactive.ts). It collects what
// the input produced, so the driver can trace the events first and then send the datagrams,
// as UTF-8 bytes, in the order the core emitted them.

import { Buffer } from 'node:buffer';
import type { NodeEvent, Outbox } from '../core/node.js';

export class StepOutbox implements Outbox {
  private readonly tx: string[] = [];
  private readonly ev: NodeEvent[] = [];

  transmit(payload: string): void {
    this.tx.push(payload);
  }

  event(e: NodeEvent): void {
    this.ev.push(e);
  }

  /** The outputs collected since the last call, and empties the outbox. */
  take(): { events: NodeEvent[]; datagrams: Buffer[] } {
    return { events: this.ev.splice(0), datagrams: this.tx.splice(0).map((p) => Buffer.from(p, 'utf8')) };
  }
}
