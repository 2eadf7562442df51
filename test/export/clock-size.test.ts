// Clock entries per chat message, counted from the trace without clocks, must equal the
// length of the clock each send actually attached (read from recorded snapshots), under
// every clock rule and with loss, joins, restarts and churn.

import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent } from '../../src/trace/events.js';

class SendClocks implements TraceConsumer {
  readonly wantsClocks = true;
  readonly sizes: number[] = [];
  event(e: TraceEvent): void {
    if (e.type === 'send') this.sizes.push(typeof e.after === 'number' ? 1 : e.after.values.length);
  }
}

const FILES = ['scenarios/lossy.yaml', 'scenarios/crash-restart.yaml', 'scenarios/churn.yaml', 'scenarios/late-joiner.yaml', 'scenarios/reordering-death.yaml'];

describe('clock entries per message', () => {
  for (const file of FILES) {
    for (const clock of ['seed', 'fidge-mattern', 'lamport']) {
      it(`${file} under ${clock} matches the attached clocks`, async () => {
        const loaded = loadScenarioFile(file, [{ path: ['protocol', 'clock'], value: clock, flag: '--clock' }]);
        const seen = new SendClocks();
        const r = await runScenario({ loaded, seed: 3, outDir: null, outputs: 'none', checker: 'off', consumers: [seen] });
        const total = seen.sizes.reduce((a, b) => a + b, 0);
        expect(seen.sizes.length).toBeGreaterThan(0);
        expect(r.summary.clock_entries.total).toBe(total);
        expect(r.summary.clock_entries.max).toBe(Math.max(...seen.sizes));
        expect(r.summary.clock_entries.per_message).toBeCloseTo(total / seen.sizes.length, 5);
      });
    }
  }
});
