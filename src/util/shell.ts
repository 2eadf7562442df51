// Commands printed for a person to paste into a POSIX shell: one word per argument, quoted
// only when it is not plainly safe, so a path with spaces or quotes runs as printed.

/** `s` as one POSIX shell word: as it is when plainly safe, else single-quoted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
