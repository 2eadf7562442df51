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

/** Variables by which a batch engine names a shard: kept out of a test's environment unless it sets them. */
const SHARD_ENV = /^(VCSIM_SHARD|VCSIM_SHARD_COUNT|JOB_COMPLETION_INDEX|SLURM_ARRAY_TASK_.*)$/;

/** The environment a test's commands see: this one without shard variables, plus `extra`. */
export function testEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SHARD_ENV.test(k)) env[k] = v;
  return { ...env, ...extra };
}

export function vcsim(args: readonly string[], env: Readonly<Record<string, string>> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: testEnv(env) });
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
