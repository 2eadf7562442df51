// Issue 16, items 2 "SIGTERM/SIGINT/SIGHUP during a simulated run" and 3 "One folder, two
// runs": a stopped run removes its temporary files and the files it had already written,
// says so in one clear line, and exits 128 + the signal (docs/outputs.md, "One run per folder").
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, vcsim } from '../helpers/cli.js';

function stopAfter(args: string[], signal: NodeJS.Signals, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'vcsim.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const t = setTimeout(() => p.kill(signal), ms);
    p.on('exit', (code, sig) => { clearTimeout(t); resolve({ code, signal: sig, stderr }); });
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

  it('--outputs none runs still answer a signal (the simulator yields now and then)', async () => {
    const out = join(tempDir(), 'N');
    const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '200', '--outputs', 'none', '--checker', 'off', '--out', out], 'SIGTERM', 1500);
    expect(r.code, r.stderr).toBe(143);
    expect(files(out)).toEqual([]);
  });
});

describe('item 3: a run folder is one run or nothing', () => {
  it('a second run stopped midway into a folder holding a first run leaves neither run mixed', async () => {
    const out = join(tempDir(), 'X');
    expect(vcsim(['run', 'scenarios/partition.yaml', '--nodes', '12', '--out', out, '--quiet']).status).toBe(0);
    expect(files(out)).toContain('manifest.json');
    const r = await stopAfter(['run', 'scenarios/partition.yaml', '--nodes', '50', '--seed', '2', '--out', out], 'SIGTERM', 1500);
    expect(r.code, r.stderr).toBe(143);
    // The first run's files were cleared before the second wrote anything; the second's removed.
    expect(files(out)).toEqual([]);
    expect(r.stderr).toContain(`the unfinished run's files in ${out} were removed`);
  });
});
