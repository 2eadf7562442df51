// Progress on stderr for long commands: a redrawn bar when stderr is a terminal, a plain
// line every few seconds otherwise (CI logs, pipes). Never on stdout.

export interface Progress {
  update(done: number, total: number, note: string): void;
  finish(): void;
}

const TTY_EVERY_MS = 100;
const PLAIN_EVERY_MS = 5000;
const BAR = 30;

export function progress(label: string, enabled = true): Progress {
  const err = process.stderr;
  if (!enabled) return { update: () => undefined, finish: () => undefined };
  const tty = err.isTTY === true;
  let last = tty ? 0 : Date.now();
  let drawn = false;
  return {
    update(done, total, note) {
      const now = Date.now();
      if (now - last < (tty ? TTY_EVERY_MS : PLAIN_EVERY_MS) && done < total) return;
      last = now;
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (tty) {
        const fill = total === 0 ? BAR : Math.round((done / total) * BAR);
        err.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(BAR - fill)}] ${done}/${total} ${pct}% ${note}\x1b[K`);
        drawn = true;
      } else if (done < total) {
        err.write(`${label}: ${done}/${total} (${pct}%) ${note}\n`);
      }
    },
    finish() {
      if (tty && drawn) err.write('\r\x1b[K');
    },
  };
}
