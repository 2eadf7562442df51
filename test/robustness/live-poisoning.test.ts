// Issue 16, item 4 "One datagram poisons live nodes": a live node (not --faithful) refuses and
// reports join names that would break the wire or blow its clock past the 2,048-byte buffer,
// with a cap on membership; --faithful keeps the original's behaviour. One rule for node
// names in scenario files and `vcsim node --name` (docs/scenarios.md, "Node names").
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nameProblem } from '../../src/core/names.js';
import { MAX_MEMBERS, Node, type NodeEvent, type Outbox } from '../../src/core/node.js';
import { Datagram, encodeChat, encodeJoin, RECV_BUFFER_BYTES } from '../../src/core/wire.js';
import { SHIVIZ_REGEX } from '../../src/export/shiviz.js';
import { ROOT, tempDir, vcsim } from '../helpers/cli.js';
import { freePort, rawSender, waitFor } from '../helpers/transport.js';

class Recorder implements Outbox {
  sent: string[] = [];
  events: NodeEvent[] = [];
  transmit(p: string): void { this.sent.push(p); }
  event(e: NodeEvent): void { this.events.push(e); }
}

const guarded = (rule: 'seed' | 'fidge-mattern' = 'seed'): { node: Node; out: Recorder } => {
  const node = new Node('a', rule, { badDatagram: 'ignore', guardMembers: true });
  const out = new Recorder();
  node.start(0, out);
  return { node, out };
};

describe('item 4: live node poisoning (the core guard)', () => {
  it('NEW_CONNECTION==p##q is refused and reported; the node\'s chats stay readable', () => {
    const { node, out } = guarded();
    node.receive(1, new Datagram('NEW_CONNECTION==p##q'), out);
    expect(out.events.at(-1)).toMatchObject({ type: 'ignored', reason: 'refused_member' });
    expect(node.members).toEqual(['a']);
    node.send(2, 'after-poison', out);
    const peer = new Node('b', 'seed');
    const po = new Recorder();
    peer.start(0, po);
    peer.receive(1, new Datagram(encodeJoin('a')), po);
    peer.receive(3, new Datagram(out.sent.at(-1)!), po);
    expect(peer.receiving).toBe(true);
    expect(po.events.at(-1)).toMatchObject({ type: 'receive', peer: 'a' });
  });

  for (const bad of ['x y', '', 'p@@q', 'p==q', 'n'.repeat(3000), 'tab\there']) {
    it(`refuses the join name ${JSON.stringify(bad.slice(0, 20))}`, () => {
      const { node, out } = guarded();
      node.receive(1, new Datagram(`EXISTING_CONNECTION==${bad}`), out);
      expect(node.knows(bad)).toBe(false);
    });
  }

  it('a flood of join names stops where a chat could outgrow the receive buffer, and at the membership cap', () => {
    const { node, out } = guarded();
    for (let i = 0; i < 5000; i++) node.receive(i, new Datagram(encodeJoin(`peer-${i}-${'x'.repeat(i % 50)}`)), out);
    expect(node.members.length).toBeLessThanOrEqual(MAX_MEMBERS);
    expect(node.members.length).toBeGreaterThan(5);
    // Even with every entry at its largest value, a chat with 200 bytes of text still fits.
    const bytes = Buffer.byteLength(encodeChat('a', 'x'.repeat(200), node.members, node.members.map(() => 9007199254740991)));
    expect(bytes).toBeLessThanOrEqual(RECV_BUFFER_BYTES);
    const short = guarded();
    for (let i = 0; i < 5000; i++) short.node.receive(i, new Datagram(encodeJoin(`${i}`)), short.out);
    expect(short.node.members.length).toBeLessThanOrEqual(MAX_MEMBERS);
  });

  it('clock keys a rule would adopt (fidge-mattern) pass the same guard', () => {
    const { node, out } = guarded('fidge-mattern');
    node.receive(1, new Datagram(encodeJoin('b')), out);
    node.receive(2, new Datagram(encodeChat('b', 'hi', ['b', 'x y'], [1, 0])), out);
    expect(out.events.at(-1)).toMatchObject({ type: 'ignored', reason: 'refused_member' });
    expect(node.knows('x y')).toBe(false);
    node.receive(3, new Datagram(encodeChat('b', 'hi', ['b', 'c'], [2, 1])), out);
    expect(node.knows('c')).toBe(true);
  });

  it('without the guard (--faithful) the original behaviour stays: the poisoned name is taken', () => {
    const node = new Node('a', 'seed');
    const out = new Recorder();
    node.start(0, out);
    node.receive(1, new Datagram('NEW_CONNECTION==p##q'), out);
    expect(node.knows('p##q')).toBe(true);
  });
});

describe('item 4: one rule for node names', () => {
  const dir = tempDir();
  const bad = ['a b', 'p##q', 'p@@q', 'p==q', '', 'n'.repeat(65), 'a\nb', 'é/x'];

  it('the rule refuses separators, whitespace, empty, over-long and other characters; accepts plain names', () => {
    for (const n of bad) expect(nameProblem(n), JSON.stringify(n)).not.toBeNull();
    for (const n of ['alice', 'n0', 'node-1.a_b', 'zoë', 'n'.repeat(64)]) expect(nameProblem(n), n).toBeNull();
  });

  it('scenario names: one line per bad name, exit 2; vcsim node --name: the same rule', () => {
    const f = join(dir, 'names.yaml');
    writeFileSync(f, `nodes: 3\nduration: 1s\nnames: ["a b", "p##q", "ok"]\n`);
    const r = vcsim(['run', f, '--quiet']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/names\.0: expected a name without whitespace/);
    expect(lines[1]).toMatch(/names\.1: expected a name without "##"/);
    const n = vcsim(['node', '--name', 'a b']);
    expect(n.status).toBe(2);
    expect(n.stderr.trim()).toBe(`vcsim: --name: ${nameProblem('a b')}`);
  });

  it('fragile_names: true runs on purpose, and shiviz.log stays readable with a name with a space', () => {
    const f = join(dir, 'fragile.yaml');
    writeFileSync(f, `nodes: 2\nduration: 1s\nfragile_names: true\nnames: ["a b", "c"]\nworkload: {count: 2}\n`);
    const out = join(dir, 'fragile');
    const r = vcsim(['run', f, '--out', out, '--quiet']);
    expect(r.status, r.stderr).not.toBe(2);
    const lines = readFileSync(join(out, 'shiviz.log'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(SHIVIZ_REGEX);
    const re = /^(?<host>\S*) (?<clock>{.*})$/;
    const hosts = new Set<string>();
    for (let i = 2; i < lines.length; i += 2) {
      const m = re.exec(lines[i]);
      expect(m, lines[i]).not.toBeNull();
      hosts.add(m!.groups!.host);
      for (const k of Object.keys(JSON.parse(m!.groups!.clock))) expect(k).not.toMatch(/\s/);
    }
    expect(hosts.has('a%20b')).toBe(true);
  });
});

describe('item 4: a live vcsim node refuses a poisoned join datagram', () => {
  const procs: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => { for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL'); });

  it('NEW_CONNECTION==p##q is reported and ignored; the next chat carries a clean clock', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'vcsim.js'), 'node', '--name', 'a', '--port', String(port)], { stdio: 'pipe' });
    procs.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    await waitFor(() => err.includes('type a line'), 'the node to start', 20_000);
    const s = await rawSender();
    await s.send('NEW_CONNECTION==p##q', port);
    await waitFor(() => err.includes('refused_member'), 'the report');
    await s.close();
    child.stdin.write('after-poison\n');
    await waitFor(() => out.includes('after send:'), 'the send');
    expect(out).toContain('after send: {"a": 1}');
    expect(err).toContain('bad datagram from "p##q": refused_member');
    child.kill('SIGTERM');
  });
});
