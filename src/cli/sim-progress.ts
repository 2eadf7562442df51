// Progress of a simulated run on stderr, when stderr is a terminal: simulated time against
// the scenario's duration and trace events so far, redrawn at most every half second and
// erased at the end. It reads the wall clock, so it lives in the CLI, never in the simulator.

import type { TraceConsumer, TraceEvent } from '../api/index.js';

/** Check the wall clock once per this many events (cheap on the hot path). */
const EVERY = 4096;

export function simProgress(durationUs: number): TraceConsumer {
  let events = 0;
  let last = performance.now();
  let drawn = false;
  const total = (durationUs / 1e6).toFixed(1);
  return {
    event(e: TraceEvent): void {
      events++;
      if (e.type === 'end') {
        if (drawn) process.stderr.write('\r\x1b[K');
        return;
      }
      if (events % EVERY !== 0) return;
      const now = performance.now();
      if (now - last < 500) return;
      last = now;
      drawn = true;
      process.stderr.write(`\r\x1b[Ksimulating: ${(e.t / 1e6).toFixed(1)}s of ${total}s (then in-flight datagrams land), ${events.toLocaleString('en-US')} trace events`);
    },
  };
}
