// A live interactive node on loopback sockets: it survives and reports every kind of hostile
// datagram, dies only when told to be faithful, refuses names peers would misparse, and
// reports a port that something else holds.

import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { InteractiveNode } from '../../src/transport/interactive.js';
import { LiveError } from '../../src/transport/socket.js';
import { BROADCAST, freePort, rawSender, waitFor } from '../helpers/transport.js';

const open: InteractiveNode[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((n) => n.close()));
});

function liveNode(name: string, port: number, faithful = false): { node: InteractiveNode; printed: string[]; reports: string[] } {
  const printed: string[] = [];
  const reports: string[] = [];
  const node = new InteractiveNode({
    name, clock: 'seed', endpoint: { port, address: BROADCAST }, faithful,
    print: (l) => printed.push(l), report: (l) => reports.push(l), bus: null,
  });
  open.push(node);
  return { node, printed, reports };
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Each hostile datagram, and a word its one-line report must contain. */
const HOSTILE: [string, Buffer, string][] = [
  ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x13]), 'UTF-8'],
  ['invalid UTF-8 in a chat message', Buffer.concat([utf8('bob##caf'), Buffer.from([0xc3, 0x28]), utf8('@@{"bob": 1}')]), 'UTF-8'],
  ['an oversized datagram', utf8('bob##' + 'x'.repeat(3000) + '@@{"bob": 1}'), 'found 0'],
  ['separators inside a name', utf8('b##ob##hi@@{"bob": 1}'), 'found 2'],
  ['separators inside a text', utf8('bob##a@@b@@{"bob": 1}'), 'found 2'],
  ['an unknown name', utf8('mallory##hi@@{"mallory": 1}'), 'unknown_key'],
  ['a duplicate name', utf8('alice##hi@@{"alice": 7}'), 'another node uses the name'],
  ['a negative value', utf8('bob##hi@@{"bob": -1}'), '-1'],
  ['a non-integer value', utf8('bob##hi@@{"bob": 2.5}'), '2.5'],
  ['an enormous value', utf8('bob##hi@@{"bob": 1e400}'), 'Infinity'],
  ['a clock that is not JSON', utf8('bob##hi@@{"bob": '), 'JSON'],
  ['an empty datagram', Buffer.alloc(0), 'found 0'],
];

describe('vcsim node on live sockets', () => {
  it('survives every hostile datagram, reports each on one line, and still receives', async () => {
    const port = await freePort();
    const { node, printed, reports } = liveNode('alice', port);
    await node.start();
    const raw = await rawSender();
    try {
      await raw.send('NEW_CONNECTION==bob', port);
      await waitFor(() => node.core.knows('bob'), 'the join of bob');
      for (const [, bytes] of HOSTILE) await raw.send(bytes, port);
      await waitFor(() => reports.length >= HOSTILE.length, `${HOSTILE.length} reports (got ${reports.length})`);
      for (const [what, , word] of HOSTILE) {
        expect(reports.some((r) => r.includes(word)), `a report for ${what} containing ${word}: ${reports.join(' | ')}`).toBe(true);
      }
      for (const r of reports) expect(r).not.toContain('\n');
      expect(node.core.receiving).toBe(true);
      await raw.send('bob##still here@@{"bob": 3, "alice": 0}', port);
      await waitFor(() => printed.includes('bob: still here'), 'the valid message after the hostile ones');
      expect(printed).toContain('after receive: {"alice": 0, "bob": 3}');
    } finally {
      await raw.close();
    }
  });

  it('--faithful: the seed receiver dies on a bad datagram, as the original does', async () => {
    const port = await freePort();
    const { node, reports } = liveNode('alice', port, true);
    await node.start();
    const raw = await rawSender();
    try {
      await raw.send('mallory##hi@@{"mallory": 1}', port);
      await waitFor(() => !node.core.receiving, 'the receiver to die');
      expect(reports.join('\n')).toContain('receiving thread died');
    } finally {
      await raw.close();
    }
  });

  it('two live nodes exchange messages and merge clocks', async () => {
    const port = await freePort();
    const a = liveNode('alice', port);
    await a.node.start();
    const b = liveNode('bob', port);
    await b.node.start();
    await waitFor(() => a.node.core.knows('bob') && b.node.core.knows('alice'), 'the handshake');
    a.node.send('hello');
    await waitFor(() => b.printed.includes('alice: hello'), 'bob to receive');
    b.node.send('hi');
    await waitFor(() => a.printed.includes('bob: hi'), 'alice to receive');
    expect(b.printed).toContain('after receive: {"bob": 0, "alice": 1}');
    expect(a.printed).toContain('after receive: {"alice": 1, "bob": 1}');
    expect(a.reports).toEqual([]);
    expect(b.reports).toEqual([]);
  });

  it('speaks the original wire format byte for byte (protocol.md)', async () => {
    const port = await freePort();
    const heard: string[] = [];
    const ear = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => ear.bind({ port, address: BROADCAST }, () => r()));
    ear.on('message', (m: Buffer) => heard.push(m.toString('utf8')));
    const raw = await rawSender();
    try {
      const { node, printed } = liveNode('alice', port);
      await node.start();
      await waitFor(() => heard.includes('NEW_CONNECTION==alice'), 'the join announcement');
      await raw.send('NEW_CONNECTION==bob', port);
      await waitFor(() => heard.includes('EXISTING_CONNECTION==alice'), 'the join reply');
      node.send('hello, world');
      await waitFor(() => heard.includes('alice##hello, world@@{"alice": 1, "bob": 0}'), 'the chat message in Python json.dumps spacing');
      await raw.send('bob##hi@@{"bob": 1, "alice": 1}', port);
      await waitFor(() => printed.includes('bob: hi'), 'the chat message from bob');
      expect(printed).toContain('after receive: {"alice": 1, "bob": 1}');
    } finally {
      await raw.close();
      await new Promise<void>((r) => ear.close(() => r()));
    }
  });

  it('refuses names that peers would misparse', () => {
    for (const name of ['', 'a==b', 'a##b', 'a@@b', 'a b', 'tab\there']) {
      expect(() => liveNode(name, 7000), JSON.stringify(name)).toThrow(LiveError);
    }
  });

  it('reports a port held by a program that does not share it', async () => {
    const port = await freePort();
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind({ port, address: '0.0.0.0' }, () => r()));
    try {
      const { node } = liveNode('alice', port);
      await expect(node.start()).rejects.toThrow(/port \d+ is taken/);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});
