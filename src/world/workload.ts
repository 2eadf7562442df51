// The workload as both drivers run it: when each sender types its next chat line, and what
// it types. Send gaps are drawn from the node's own `workload/<name>` stream, so a live run
// of a scenario and seed sends at the same scenario times as its simulation.

import type { Scenario } from '../scenario/resolve.js';
import { stream, type Rng } from './rng.js';

export class Workload {
  private readonly rngs: Rng[];
  /** 1 for the nodes whose workload sends. */
  readonly isSender: Uint8Array;

  constructor(private readonly scenario: Scenario, seed: number) {
    this.rngs = scenario.names.map((name) => stream(seed, `workload/${name}`));
    this.isSender = new Uint8Array(scenario.nodes);
    for (const i of scenario.workload.senders) this.isSender[i] = 1;
  }

  /**
   * The scenario time of node i's next send, after its send number `sent` (0 before the
   * first) at time `prev` (its join time before the first), or null: no more sends (the
   * count is reached, or the time is at or after the run's duration).
   */
  next(i: number, sent: number, prev: number): number | null {
    const w = this.scenario.workload;
    if (w.count !== undefined && sent >= w.count) return null;
    const gap = w.process === 'fixed' ? w.interval : Math.round(-w.interval * Math.log(1 - this.rngs[i].next()));
    const t = Math.max(prev, w.start) + gap;
    return t >= this.scenario.duration ? null : t;
  }

  /** The chat text of node i's send number `seq` (`{seq}` and `{node}` filled in). */
  text(i: number, seq: number): string {
    return this.scenario.workload.text.replaceAll('{seq}', String(seq)).replaceAll('{node}', this.scenario.names[i]);
  }
}
