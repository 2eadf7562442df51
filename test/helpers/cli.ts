// Test helpers: run the built vcsim command (dist/, built by the global setup, test/helpers/build.ts) and temp folders.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'vcsim.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function vcsim(args: readonly string[]): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vcsim-test-'));
}

/** Splits a printed `vcsim run ...` command into its arguments (no quoting needed here). */
export function commandArgs(command: string): string[] {
  const parts = command.split(' ');
  if (parts[0] !== 'vcsim') throw new Error(`not a vcsim command: ${command}`);
  return parts.slice(1);
}
