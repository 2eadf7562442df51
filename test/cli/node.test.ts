// `vcsim node` as a person runs it, in child processes driven over stdin: two nodes chat as
// the original's README describes, SIGTERM closes cleanly (exit 0, trace flushed, port
// released), and user mistakes are one line with exit code 2. Needs a build (npm test does it).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../helpers/transport.js';

const BIN = fileURLToPath(new URL('../../bin/vcsim.js', import.meta.url));

interface Proc {
  readonly child: ChildProcessWithoutNullStreams;
  out: string;
  err: string;
  readonly exited: Promise<number | null>;
}

const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

function vcsim(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  const p: Proc = {
    child, out: '', err: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout.on('data', (d: Buffer) => { p.out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { p.err += d.toString(); });
  procs.push(p);
  return p;
}

describe('vcsim node (child processes)', () => {
  it('two nodes chat over stdin, and SIGTERM closes them with exit 0 and a flushed trace', async () => {
    const port = String(await freePort());
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-node-'));
    const log = join(dir, 'alice.jsonl');
    const alice = vcsim(['node', '--name', 'alice', '--port', port, '--log', log]);
    await waitFor(() => alice.err.includes('type a line'), 'alice to start', 20_000);
    const bob = vcsim(['node', '--name', 'bob', '--port', port]);
    await waitFor(() => bob.err.includes('type a line'), 'bob to start', 20_000);
    await waitFor(() => alice.out.includes('bob joined') && bob.out.includes('alice is here'), 'the handshake');
    alice.child.stdin.write('hello bob\n');
    await waitFor(() => bob.out.includes('alice: hello bob'), 'bob to receive');
    bob.child.stdin.write('hi alice\n');
    await waitFor(() => alice.out.includes('bob: hi alice'), 'alice to receive');
    expect(alice.out).toContain('before send: {"alice": 0, "bob": 0}\nsent: hello bob\nafter send: {"alice": 1, "bob": 0}');
    expect(bob.out).toContain('before receive: {"bob": 0, "alice": 0}\nalice: hello bob\nafter receive: {"bob": 0, "alice": 1}');
    expect(alice.out).toContain('after receive: {"alice": 1, "bob": 1}');
    alice.child.kill('SIGTERM');
    bob.child.kill('SIGINT');
    expect(await alice.exited).toBe(0);
    expect(await bob.exited).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; transport?: string; replayable?: boolean });
    expect(lines[0]).toMatchObject({ type: 'header', transport: 'udp', replayable: false });
    expect(lines.map((l) => l.type)).toEqual(expect.arrayContaining(['join', 'join_seen', 'send', 'receive']));
    expect(lines.at(-1)?.type).toBe('end');
    // No socket stays bound: a socket that does not share the port can take it now.
    const s = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { s.once('error', reject); s.bind({ port: Number(port), address: '127.255.255.255' }, () => resolve()); });
    await new Promise<void>((r) => s.close(() => r()));
  });

  it('a port held by another program is a one-line error, exit 2', async () => {
    const port = await freePort();
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind({ port, address: '0.0.0.0' }, () => r()));
    try {
      const p = vcsim(['node', '--name', 'alice', '--port', String(port)]);
      p.child.stdin.end();
      expect(await p.exited).toBe(2);
      expect(p.err.trim().split('\n')).toHaveLength(1);
      expect(p.err).toMatch(/^vcsim: --port: port \d+ is taken/);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });

  it('a name peers would misparse is refused at start, exit 2', async () => {
    const p = vcsim(['node', '--name', 'al##ice']);
    p.child.stdin.end();
    expect(await p.exited).toBe(2);
    expect(p.err.trim()).toMatch(/^vcsim: --name: expected a name without "##"/);
  });
});
