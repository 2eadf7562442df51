// `vcsim run --transport udp` and `vcsim validate` from the command line: outputs written
// like a simulated run's, Ctrl-C ends the run cleanly (exit 0, outputs flushed), a port held
// by another program is a one-line error with exit 2, and validate prints parity.

import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/transport.js';

const BIN = fileURLToPath(new URL('../../bin/vcsim.js', import.meta.url));

const SCENARIO = `name: cli-live
nodes: 3
duration: 800ms
network: { latency: 2ms }
join: { stagger: 30ms }
workload: { process: fixed, interval: 100ms, start: 300ms }
`;

function run(args: string[], onStart?: (kill: (sig: NodeJS.Signals) => void) => void): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('exit', (code) => resolve({ code, out, err }));
    onStart?.((sig) => child.kill(sig));
  });
}

function scenarioFile(text = SCENARIO): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vcsim-live-'));
  const file = join(dir, 'cli-live.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

describe('vcsim run --transport udp (CLI)', () => {
  it('writes the same outputs as a simulated run, with a non-replayable udp trace', async () => {
    const { dir, file } = scenarioFile();
    const out = join(dir, 'out');
    const r = await run(['run', file, '--transport', 'udp', '--port', String(await freePort()), '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['trace.jsonl', 'events.csv', 'messages.csv', 'summary.json', 'timing.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const header = JSON.parse(readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n')[0]) as Record<string, unknown>;
    expect(header).toMatchObject({ transport: 'udp', replayable: false });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { transport: string; sends: number };
    expect(summary.transport).toBe('udp');
    expect(summary.sends).toBe(12);
  });

  it('Ctrl-C ends a long live run cleanly: exit 0 and whole output files', async () => {
    const { dir, file } = scenarioFile(SCENARIO.replace('800ms', '60s'));
    const out = join(dir, 'out');
    const r = await run(['run', file, '--transport', 'udp', '--port', String(await freePort()), '--out', out], (kill) => {
      // The trace's temporary file exists once the run is under way (interrupt handling set).
      const started = (): boolean => existsSync(out) && readdirSync(out).some((f) => f.startsWith('.trace.jsonl.'));
      void waitFor(started, 'the live run to start', 30_000).then(() => setTimeout(() => kill('SIGINT'), 300));
    });
    expect(r.code).toBe(0);
    const lines = readFileSync(join(out, 'trace.jsonl'), 'utf8').trim().split('\n');
    expect((JSON.parse(lines[lines.length - 1]) as { type: string }).type).toBe('end');
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });

  it('a port held by another program is a one-line error, exit 2', async () => {
    const { file } = scenarioFile();
    const port = await freePort();
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind({ port, address: '0.0.0.0' }, () => r()));
    try {
      const r = await run(['run', file, '--transport', 'udp', '--port', String(port), '--outputs', 'none', '--out', join(tmpdir(), 'vcsim-unused')]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^vcsim: --port: port \d+ is taken/);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });

  it('vcsim validate prints parity and exits 0', async () => {
    // fidge-mattern: no receiver can die if a loaded machine's timers let a chat message
    // overtake a join announcement, so parity does not hang on the machine's load.
    const { dir, file } = scenarioFile(SCENARIO + 'protocol: { clock: fidge-mattern }\n');
    const r = await run(['validate', file, '--port', String(await freePort()), '--out', join(dir, 'v')]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('parity                      yes');
    expect(r.out).toMatch(/sends\s+12\s+12/);
  });
});
