// The commands vcsim prints for a person to paste into a shell: `vcsim run FILE ... --seed S`
// (run, explore, shrink). Every argument that is not plainly safe is single-quoted, so a path
// with spaces or quotes runs as printed.

/** The `vcsim run` command that reproduces a run of `scenario` with these overrides and seed. */
export function reproduceCommand(argv: { scenario: string; nodes?: number; duration?: string; clock?: string }, seed: number): string {
  const parts = ['vcsim', 'run', shellQuote(argv.scenario)];
  if (argv.nodes !== undefined) parts.push('--nodes', String(argv.nodes));
  if (argv.duration !== undefined) parts.push('--duration', shellQuote(argv.duration));
  if (argv.clock !== undefined) parts.push('--clock', argv.clock);
  parts.push('--seed', String(seed));
  return parts.join(' ');
}

/** `s` as one POSIX shell word: as it is when plainly safe, else single-quoted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
