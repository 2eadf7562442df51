// The commands vcsim prints for a person to paste into a shell: `vcsim run FILE ... --seed S`
// (run, explore, shrink). Every argument that is not plainly safe is single-quoted, so a path
// with spaces or quotes runs as printed (src/util/shell.ts).

import { shellQuote } from '../util/shell.js';

/** The `vcsim run` command that reproduces a run of `scenario` with these overrides and seed. */
export function reproduceCommand(argv: { scenario: string; nodes?: number; duration?: string; clock?: string }, seed: number): string {
  const parts = ['vcsim', 'run', shellQuote(argv.scenario)];
  if (argv.nodes !== undefined) parts.push('--nodes', String(argv.nodes));
  if (argv.duration !== undefined) parts.push('--duration', shellQuote(argv.duration));
  if (argv.clock !== undefined) parts.push('--clock', argv.clock);
  parts.push('--seed', String(seed));
  return parts.join(' ');
}
