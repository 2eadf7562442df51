// Output files written whole or not at all: each is written under a temporary name in the
// same folder and renamed over its final name only when complete, so an interrupted run
// never leaves a half-written file under a final name.

import { createWriteStream, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class AtomicFile {
  readonly stream: WriteStream;
  private readonly tmp: string;
  private done = false;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.stream = createWriteStream(this.tmp);
    LIVE.add(this);
  }

  /** Finishes writing and renames the file into place. */
  async commit(): Promise<void> {
    if (this.done) return;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    renameSync(this.tmp, this.path);
    this.done = true;
    LIVE.delete(this);
  }

  /** Drops the temporary file. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    rmSync(this.tmp, { force: true });
    LIVE.delete(this);
  }
}

const LIVE = new Set<AtomicFile>();

/** Removes every temporary file not yet committed (on interrupt). */
export function abortAll(): void {
  for (const f of [...LIVE]) f.abort();
}

/** Writes a small file whole, by the same temp-and-rename rule. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
