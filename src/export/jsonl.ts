// trace.jsonl: the trace exactly as the bus encodes it, one line per event.

import type { TraceConsumer } from '../trace/bus.js';
import { AtomicFile } from '../util/atomic.js';

const HIGH_WATER = 1 << 20;

export class JsonlWriter implements TraceConsumer {
  readonly wantsLines = true;
  private readonly file: AtomicFile;
  private buf = '';

  constructor(target: string | AtomicFile) {
    this.file = typeof target === 'string' ? new AtomicFile(target) : target;
  }

  header(_h: unknown, line: string): void {
    this.buf += line + '\n';
  }

  event(_e: unknown, line: string): void {
    this.buf += line + '\n';
    if (this.buf.length > 65536) this.flush();
  }

  private flush(): void {
    if (this.buf.length > 0) this.file.stream.write(this.buf);
    this.buf = '';
  }

  backlogged(): boolean {
    return this.file.error !== null || this.file.stream.writableLength > HIGH_WATER;
  }

  drain(): Promise<void> {
    if (this.file.error !== null) return Promise.reject(this.file.error);
    if (!this.file.stream.writableNeedDrain) return Promise.resolve();
    return this.file.drain();
  }

  async end(): Promise<void> {
    this.flush();
    await this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}
