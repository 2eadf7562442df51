// Errors as data (the zod habit): a user's mistake is a list of problems, each saying where
// (file:line:column, a flag, or a file) and what was expected. Words are made only at the
// CLI edge, one line per problem; the exit code for them is 2.

export interface Problem {
  /** `file:line:column`, `--flag`, or a file path. */
  readonly where: string;
  /** The field path inside the scenario (`network.loss`), or '' when none applies. */
  readonly path: string;
  readonly message: string;
}

export class UserError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'UserError';
  }
}

export function formatProblem(p: Problem): string {
  return [p.where, p.path, p.message].filter((s) => s !== '').join(': ');
}

export function userError(where: string, message: string, path = ''): UserError {
  return new UserError([{ where, path, message }]);
}

// Exit codes (docs/errors.md, "Exit codes"). 0, everything held, is Node's default.
/** A result: an expectation, baseline, determinism or parity check did not hold. */
export const EXIT_FAILED = 1;
/** Bad input: a user's mistake, reported one line per problem. */
export const EXIT_USAGE = 2;
/** Interrupted by Ctrl-C (128 + SIGINT); no partial output file is left. */
export const EXIT_INTERRUPTED = 130;
