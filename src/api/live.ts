// Wiring the UDP driver to a scenario: the refusals (what cannot run on live sockets, one
// line each) and the driver's options. The driver itself (src/transport/driver.ts) runs the
// scenario's faults, network and workload with src/world, the same code as the simulator, so
// nothing of the simulator's rules is copied or wrapped here.

import { LIVE_CLOCK_RULES } from '../core/rules.js';
import type { LoadedScenario } from '../scenario/load.js';
import { userError } from '../util/errors.js';
import type { LiveOptions, TimerLog } from '../transport/driver.js';
import { DEFAULT_BROADCAST, DEFAULT_PORT } from '../transport/defaults.js';

export interface LiveTransport {
  readonly port?: number;
  /** Broadcast address (default 127.255.255.255). */
  readonly address?: string;
  /** Wall seconds per scenario second (default 1). */
  readonly timeScale?: number;
  /** Wall ms to wait for datagrams in flight after the last send (default 500). */
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
  /** Told how late each of the live driver's timers fired (wall µs). */
  readonly timerLog?: TimerLog;
}

/** The UDP driver's options for a scenario and seed; a user error for what cannot run live. */
export function liveOptions(loaded: LoadedScenario, seed: number, t: LiveTransport): LiveOptions {
  const scenario = loaded.scenario;
  if (!LIVE_CLOCK_RULES.includes(scenario.clock)) {
    throw userError('--transport', `expected protocol: clock: ${LIVE_CLOCK_RULES.join(', ')} for a live run (the ${scenario.clock} clock runs in the simulator only; docs/clocks.md)`);
  }
  if (scenario.recvBuffer !== 2048) {
    throw userError('--transport', 'expected protocol: recv_buffer: 2048 for a live run (the live socket reads 2048 bytes, as the seed program does)');
  }
  if (scenario.membership === 'static') {
    throw userError('--transport', 'expected join: membership: handshake for a live run (static membership skips the join datagrams real nodes need)');
  }
  return {
    scenario,
    seed,
    clock: scenario.clock,
    endpoint: { port: t.port ?? DEFAULT_PORT, address: t.address ?? DEFAULT_BROADCAST },
    timeScale: t.timeScale ?? 1,
    graceMs: t.graceMs,
    signal: t.signal,
    timerLog: t.timerLog,
  };
}
