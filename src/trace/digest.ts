// The trace digest: SHA-256 over the trace's JSONL text (header line included), so two runs
// have equal digests exactly when their traces are byte-identical.

import { createHash, type Hash } from 'node:crypto';
import type { TraceConsumer } from './bus.js';

export class DigestConsumer implements TraceConsumer {
  readonly wantsLines = true;
  private readonly hash: Hash = createHash('sha256');
  private result: string | undefined;
  /** Lines are hashed in chunks: one update per line costs more than the hashing itself. */
  private buf = '';

  header(_h: unknown, line: string): void {
    this.buf += line + '\n';
  }

  event(_e: unknown, line: string): void {
    this.buf += line + '\n';
    if (this.buf.length > 65536) {
      this.hash.update(this.buf);
      this.buf = '';
    }
  }

  get digest(): string {
    if (this.result === undefined) {
      this.hash.update(this.buf);
      this.buf = '';
      this.result = 'sha256:' + this.hash.digest('hex');
    }
    return this.result;
  }
}
