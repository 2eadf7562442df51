// Test helpers for live sockets: a free loopback port, waiting for a condition without
// timing asserts, and a raw sender for hostile datagrams. Loopback only.

import { createSocket, type Socket } from 'node:dgram';

export const BROADCAST = '127.255.255.255';

/** A UDP port that nothing on 127.0.0.1 holds right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind({ port: 0, address: '127.0.0.1' }, () => resolve());
  });
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Resolves once `cond()` holds; rejects after `ms` with `what` (a hang guard, not a timing assert). */
export async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw broadcast sender on the loopback, for datagrams no well-behaved node would send. */
export async function rawSender(): Promise<{ send(bytes: Buffer | string, port: number): Promise<void>; close(): Promise<void> }> {
  const s: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind({ port: 0, address: '127.0.0.1' }, () => resolve()));
  s.setBroadcast(true);
  return {
    send: (bytes, port) => new Promise((resolve, reject) => s.send(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, port, BROADCAST, (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise((resolve) => s.close(() => resolve())),
  };
}
