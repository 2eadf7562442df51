// Issue 16, items 2 "SIGTERM/SIGINT/SIGHUP during a simulated run" and 3 "One folder, two
// runs": a stopped run removes its temporary files and the files it had already written,
// says so in one clear line, and exits 128 + the signal (docs/outputs.md, "One run per folder").
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, vcsim } from '../helpers/cli.js';

/**
 * Runs vcsim and sends `signal` `ms` after the run has started: once its output folder exists
 * (vcsim creates it after its signal handlers are in place; a loaded machine may take a while
 * to get there, and a signal before that is not what this tests).
 */
function stopAfter(args: string[], signal: NodeJS.Signals, ms: number, ready?: () => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const out = args[args.indexOf('--out') + 1];
  const started = ready ?? ((): boolean => existsSync(out));
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'vcsim.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    let t: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (!started()) return;
      clearInterval(poll);
      t = setTimeout(() => p.kill(signal), ms);
    }, 20);
    p.on('exit', (code, sig) => { clearInterval(poll); clearTimeout(t); resolve({ code, signal: sig, stderr }); });
  });
}

const files = (d: string): string[] => (existsSync(d) ? readdirSync(d).sort() : []);

describe('item 2: signals during a simulated run', () => {
  for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    it(`${sig} after ~1 s: no temp files, no half files, a clear message, exit ${code}`, async () => {
      const out = join(tempDir(), 'X');
      const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '50', '--out', out], sig, 1500);
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toMatch(sig === 'SIGINT' ? /vcsim: interrupted; no partial output files were left/ : new RegExp(`vcsim: stopped by ${sig}; no partial output files were left`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(files(out)).toEqual([]);
    });
  }

  // Ten simulated minutes of 200 nodes: it cannot finish before the signal on any machine.
  it('--outputs none runs still answer a signal (the simulator yields now and then)', async () => {
    const out = join(tempDir(), 'N');
    const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '200', '--duration', '600s', '--outputs', 'none', '--checker', 'off', '--out', out], 'SIGTERM', 1500);
    expect(r.code, r.stderr).toBe(143);
    expect(files(out)).toEqual([]);
  });
});

describe('item 3: a run folder is one run or nothing', () => {
  it('a second run stopped midway into a folder holding a first run leaves neither run mixed', async () => {
    const out = join(tempDir(), 'X');
    expect(vcsim(['run', 'scenarios/partition.yaml', '--nodes', '12', '--out', out, '--quiet']).status).toBe(0);
    expect(files(out)).toContain('manifest.json');
    // The folder exists already: wait for the second run to clear the first one's manifest.
    const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '50', '--seed', '2', '--out', out], 'SIGTERM', 1500, () => !existsSync(join(out, 'manifest.json')));
    expect(r.code, r.stderr).toBe(143);
    // The first run's files were cleared before the second wrote anything; the second's removed.
    expect(files(out)).toEqual([]);
    expect(r.stderr).toContain(`the unfinished run's files in ${out} were removed`);
  });
});

describe('item 2: a run in worker threads (--check-determinism)', () => {
  it('SIGTERM leaves no temporary file written by a worker, and no unfinished run', async () => {
    const out = join(tempDir(), 'W');
    const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '50', '--check-determinism', '--out', out], 'SIGTERM', 2500);
    expect(r.code, r.stderr).toBe(143);
    expect(files(out)).toEqual([]);
  });
});
