// Opening and closing the one UDP socket a live node owns: bound to the shared port with
// SO_REUSEADDR and SO_BROADCAST, like the original program, so every node of a group on
// one machine hears every broadcast. A refused bind becomes a LiveError naming the flag.

import { createSocket, type Socket } from 'node:dgram';
import { bindAddressFor } from './defaults.js';

/** A user-facing problem of a live run (a port taken, a bind refused, a bad name). */
export class LiveError extends Error {
  constructor(readonly where: string, message: string) {
    super(message);
    this.name = 'LiveError';
  }
}

export interface Endpoint {
  readonly port: number;
  /** The broadcast address datagrams are sent to (and the socket binds to). */
  readonly address: string;
}

/** Binds a broadcast socket; rejects with a LiveError if the port cannot be shared. */
export function openSocket(ep: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    const fail = (e: NodeJS.ErrnoException): void => {
      try { s.close(); } catch { /* already closed */ }
      reject(bindError(ep, e));
    };
    s.once('error', fail);
    s.bind({ port: ep.port, address: bindAddressFor(ep.address), exclusive: true }, () => {
      s.removeListener('error', fail);
      try {
        s.setBroadcast(true);
      } catch (e) {
        fail(e as NodeJS.ErrnoException);
        return;
      }
      resolve(s);
    });
  });
}

function bindError(ep: Endpoint, e: NodeJS.ErrnoException): LiveError {
  const at = `${ep.address}:${ep.port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new LiveError('--port', `port ${ep.port} is taken by a program that does not share it (bind ${at}: address in use); choose another --port`);
    case 'EACCES':
    case 'EPERM':
      return new LiveError('--port', `bind ${at} refused: permission denied; choose a port above 1023`);
    case 'EADDRNOTAVAIL':
      return new LiveError('--address', `bind ${at} refused: no interface has this address; name a broadcast address of this machine`);
    default:
      return new LiveError('--port', `bind ${at} refused: ${e.code ?? e.message}`);
  }
}

/** Closes a socket; resolves once it is closed (and at once if it already was). */
export function closeSocket(s: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      s.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
