// Clean shutdown for live commands: Ctrl-C or SIGTERM aborts the work (which then closes its
// sockets and flushes its trace) instead of main's default of discarding output and exiting
// 130. A second Ctrl-C still exits at once. LiveError, a live driver's user-facing problem,
// becomes a UserError here (one line, exit 2).

import { LiveError } from '../api/index.js';
import { EXIT_INTERRUPTED, userError } from '../util/errors.js';

export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const saved = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  const first = (): void => {
    if (ac.signal.aborted) {
      process.stderr.write('\nvcsim: interrupted twice; exiting now\n');
      process.exit(EXIT_INTERRUPTED);
    }
    ac.abort();
  };
  process.on('SIGINT', first);
  process.on('SIGTERM', first);
  try {
    return await work(ac.signal);
  } catch (e) {
    if (e instanceof LiveError) throw userError(e.where, e.message);
    throw e;
  } finally {
    process.removeListener('SIGINT', first);
    process.removeListener('SIGTERM', first);
    for (const l of saved) process.on('SIGINT', l as () => void);
  }
}
