// --clock and protocol.clock for the clock zoo (docs/clocks.md): parameterised names are
// accepted in the simulator, refused with one line and exit 2 when malformed or live.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, vcsim } from '../helpers/cli.js';

describe('vcsim run --clock', () => {
  it('runs a stamp rule in the simulator and names it in the summary', () => {
    const out = tempDir();
    const r = vcsim(['run', 'scenarios/lossless.yaml', '--clock', 'bloom:32x2', '--duration', '1s', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { clock: string; checker: { clock: string; all: { missed: number } } };
    expect(s.checker.clock).toBe('bloom:32x2');
    expect(s.checker.all.missed).toBe(0);
  });

  it('refuses a malformed rule name with one line naming --clock, exit 2', () => {
    const r = vcsim(['run', 'scenarios/lossless.yaml', '--clock', 'bloom:32', '--out', tempDir()]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe('vcsim: --clock: expected one of seed, fidge-mattern, lamport, differential, hlc, itc, plausible:R (R entries, 1..65536) or bloom:MxK (M cells 1..65536, K hashes 1..64), found "bloom:32"');
  });

  it('refuses a simulator-only rule in a live run with one line, exit 2', () => {
    for (const clock of ['plausible:2', 'differential', 'hlc']) {
      const r = vcsim(['run', 'scenarios/lossless.yaml', '--clock', clock, '--transport', 'udp', '--out', tempDir()]);
      expect(r.status, clock).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`--transport: expected protocol: clock: seed, fidge-mattern, lamport for a live run (the ${clock} clock runs in the simulator only; docs/clocks.md)`);
    }
  });
});
