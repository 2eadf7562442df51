// Progress of a live run on stderr, when stderr is a terminal: wall time and events so far,
// redrawn at most every half second, erased at the end.

import type { TraceConsumer, TraceEvent } from '../api/index.js';

export function liveProgress(durationUs: number, timeScale: number): TraceConsumer {
  let events = 0;
  let last = 0;
  const total = ((durationUs * timeScale) / 1e6).toFixed(1);
  return {
    event(e: TraceEvent): void {
      events++;
      if (e.type === 'end') {
        process.stderr.write('\r\x1b[K');
        return;
      }
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      process.stderr.write(`\r\x1b[Klive: ${(e.t / 1e6).toFixed(1)}s of ${total}s, ${events} trace events (Ctrl-C stops)`);
    },
  };
}
