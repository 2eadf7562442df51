// trace.jsonl: the trace exactly as the bus encodes it, one line per event.

import type { TraceConsumer } from '../trace/bus.js';
import { LineFile } from '../util/atomic.js';

export class JsonlWriter extends LineFile implements TraceConsumer {
  readonly wantsLines = true;

  header(_h: unknown, line: string): void {
    this.line(line);
  }

  event(_e: unknown, line: string): void {
    this.line(line);
  }
}
