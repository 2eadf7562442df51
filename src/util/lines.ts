// Comparing traces line by line without holding them: a synchronous line reader over a
// file (so a trace consumer can compare each line as the simulator emits it), and a
// comparison of two trace files that stops at the first differing line.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;

export class SyncLineReader {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(CHUNK);
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lines: string[] = [];
  private at = 0;
  private eof = false;
  /** True when the file's last line ended with a newline (known once it is read). */
  endsWithNewline = true;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next line without its newline, or null at the end of the file. */
  next(): string | null {
    while (this.at >= this.lines.length) {
      if (this.eof) return null;
      this.fill();
    }
    return this.lines[this.at++];
  }

  private fill(): void {
    const n = readSync(this.fd, this.buf, 0, CHUNK, null);
    this.at = 0;
    if (n === 0) {
      this.eof = true;
      const rest = this.pending + this.decoder.end();
      this.pending = '';
      this.lines = rest === '' ? [] : [rest];
      if (rest !== '') this.endsWithNewline = false;
      return;
    }
    const text = this.pending + this.decoder.write(this.buf.subarray(0, n));
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    this.lines = parts;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The first line where two traces differ: 1-based; null on a side that has ended. */
export interface Divergence {
  readonly line: number;
  readonly a: string | null;
  readonly b: string | null;
}

/** Streams two files and returns where they first differ, or null if byte-identical.
 *  `skip` leading lines (a trace's header, say) are not compared. */
export function compareFiles(pathA: string, pathB: string, skip = 0): { divergence: Divergence | null; lines: number } {
  const a = new SyncLineReader(pathA);
  const b = new SyncLineReader(pathB);
  try {
    for (let line = 1; ; line++) {
      if (line <= skip) {
        a.next();
        b.next();
        continue;
      }
      const x = a.next();
      const y = b.next();
      if (x === null && y === null) {
        if (a.endsWithNewline !== b.endsWithNewline) return { divergence: { line: line - 1, a: '(no final newline differs)', b: '' }, lines: line - 1 };
        return { divergence: null, lines: line - 1 };
      }
      if (x !== y) return { divergence: { line, a: x, b: y }, lines: line - 1 };
    }
  } finally {
    a.close();
    b.close();
  }
}
