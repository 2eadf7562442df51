// A node whose broadcasts are also told to a listener: `vcsim diff` compares the datagrams
// two runs send, byte for byte, and the trace carries only their sizes.

import type { Datagram } from '../core/wire.js';
import type { NodeEvent, Outbox } from '../core/node.js';

/** The inputs the simulator gives a node (src/sim/driver.ts's SimNode, restated here: sim is above). */
export interface NodeInputs {
  start(now: number, out: Outbox, announce?: boolean): void;
  send(now: number, text: string, out: Outbox): void;
  receive(now: number, dg: Datagram, out: Outbox): void;
  readonly receiving: boolean;
  preload(names: readonly string[]): void;
}

export class RecordingNode implements NodeInputs {
  constructor(private readonly inner: NodeInputs, private readonly heard: (payload: string) => void) {}

  get receiving(): boolean {
    return this.inner.receiving;
  }

  preload(names: readonly string[]): void {
    this.inner.preload(names);
  }

  start(now: number, out: Outbox, announce?: boolean): void {
    this.inner.start(now, this.tap(out), announce);
  }

  send(now: number, text: string, out: Outbox): void {
    this.inner.send(now, text, this.tap(out));
  }

  receive(now: number, dg: Datagram, out: Outbox): void {
    this.inner.receive(now, dg, this.tap(out));
  }

  private tap(out: Outbox): Outbox {
    return {
      transmit: (payload: string) => {
        this.heard(payload);
        out.transmit(payload);
      },
      event: (e: NodeEvent) => out.event(e),
    };
  }
}
