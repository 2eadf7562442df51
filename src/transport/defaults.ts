// Loopback defaults and the checks a live node makes before it touches the network: the
// port and broadcast address every vcsim node uses unless told otherwise, where a socket
// binds, and which node names peers would misparse. Nothing here opens a socket.

/** The original program's port. */
export const DEFAULT_PORT = 7000;

/**
 * The loopback broadcast address: Linux delivers a datagram sent to it to every socket
 * bound to the port on it or on all addresses, and nothing leaves the machine. vcsim never
 * uses 255.255.255.255 unless a user names it.
 */
export const DEFAULT_BROADCAST = '127.255.255.255';

/**
 * Where a node binds to hear broadcasts to `broadcast`: the broadcast address itself. On
 * Linux a socket bound to 127.0.0.1 does not receive broadcasts; one bound to the broadcast
 * address does, and stays deaf to every other interface.
 */
export function bindAddressFor(broadcast: string): string {
  return broadcast;
}

/** Why peers would misparse `name` (docs/protocol.md, "Fragile parsing"), or null if it is fine. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'expected a non-empty node name';
  for (const sep of ['==', '##', '@@']) {
    if (name.includes(sep)) return `expected a name without "${sep}" (peers would misparse it), found ${JSON.stringify(name)}`;
  }
  if (/\s/.test(name)) return `expected a name without whitespace (peers would misparse it), found ${JSON.stringify(name)}`;
  return null;
}

/** A port number from 1 to 65535, or a reason it is not one (quoting text as typed). */
export function portProblem(port: number | string): string | null {
  if (typeof port === 'number' && Number.isSafeInteger(port) && port >= 1 && port <= 65535) return null;
  return `expected a port from 1 to 65535, found ${typeof port === 'string' ? JSON.stringify(port) : String(port)}`;
}

/** A dotted IPv4 address, or a reason it is not one. */
export function addressProblem(address: string): string | null {
  const parts = address.split('.');
  const ok = parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
  return ok ? null : `expected an IPv4 broadcast address like 127.255.255.255, found ${JSON.stringify(address)}`;
}
