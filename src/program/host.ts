// The program host: runs node programs as child processes and lets the simulator talk to them
// synchronously. The simulator calls nodes synchronously and in order; a child process's
// pipes are asynchronous. So the pipes are served by one worker thread, which forwards every
// line a child writes (and its stderr, and its exit) through a MessagePort and bumps a
// counter in a SharedArrayBuffer; the simulator's thread blocks in Atomics.wait on that
// counter, with a deadline, and takes the messages with receiveMessageOnPort. Wall time
// decides only whether a program answered within its bound, never what the run does.

import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What a child said, as the simulator's thread receives it. */
export type HostMessage =
  | { readonly id: number; readonly kind: 'line'; readonly line: string }
  | { readonly id: number; readonly kind: 'stderr'; readonly text: string }
  | { readonly id: number; readonly kind: 'exit'; readonly code: number | null; readonly signal: string | null; readonly error?: string };

// The worker, as a CommonJS script (eval: the same code whether vcsim runs from src or dist).
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const flag = new Int32Array(workerData.sab);
const port = workerData.port;
const kids = new Map();
function post(m) { port.postMessage(m); Atomics.add(flag, 0, 1); Atomics.notify(flag, 0); }
function start(m) {
  let child;
  try {
    child = spawn(m.command[0], m.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: m.env, cwd: m.cwd });
  } catch (e) {
    post({ id: m.id, kind: 'exit', code: null, signal: null, error: e.message });
    return;
  }
  const k = { child, buf: '' };
  kids.set(m.id, k);
  child.stdin.on('error', () => {});
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    k.buf += d;
    let i;
    while ((i = k.buf.indexOf('\n')) >= 0) {
      post({ id: m.id, kind: 'line', line: k.buf.slice(0, i) });
      k.buf = k.buf.slice(i + 1);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => post({ id: m.id, kind: 'stderr', text: d }));
  let failed = null;
  child.on('error', (e) => { failed = e.message; });
  child.on('close', (code, signal) => {
    if (k.buf !== '') post({ id: m.id, kind: 'line', line: k.buf });
    kids.delete(m.id);
    post({ id: m.id, kind: 'exit', code, signal, ...(failed !== null ? { error: failed } : {}) });
  });
}
// End of input first (a shim, and a program it runs in turn, exits on it), then SIGKILL, and
// the pipes closed on our side so that 'close' comes even if a grandchild holds them.
function kill(k) {
  k.child.stdin.end();
  k.child.kill('SIGKILL');
  k.child.stdout.destroy();
  k.child.stderr.destroy();
}
parentPort.on('message', (m) => {
  if (m.op === 'spawn') return start(m);
  const k = kids.get(m.id);
  if (m.op === 'write' && k !== undefined) k.child.stdin.write(m.text);
  else if (m.op === 'kill' && k !== undefined) kill(k);
  else if (m.op === 'close') {
    for (const c of kids.values()) kill(c);
    if (kids.size === 0) process.exit(0);
    setInterval(() => { if (kids.size === 0) process.exit(0); }, 5);
    // Bounded: a grandchild that keeps a pipe open does not keep vcsim waiting.
    setTimeout(() => process.exit(0), 2000);
  }
});
`;

export interface SpawnOptions {
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export class ProgramHost {
  private readonly worker: Worker;
  private readonly flag: Int32Array;
  private readonly port: MessagePort;
  /** Messages taken off the port for a child other than the one being waited for. */
  private readonly mailbox = new Map<number, HostMessage[]>();
  private nextId = 1;
  private closed = false;

  constructor() {
    const sab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { sab, port: port2 }, transferList: [port2] });
    this.worker.unref();
  }

  /** Starts a child; returns its id. A command that cannot start reports an `exit` with `error`. */
  spawn(opts: SpawnOptions): number {
    const id = this.nextId++;
    this.mailbox.set(id, []);
    this.worker.postMessage({ op: 'spawn', id, command: opts.command, env: opts.env, cwd: opts.cwd });
    return id;
  }

  write(id: number, text: string): void {
    this.worker.postMessage({ op: 'write', id, text });
  }

  kill(id: number): void {
    this.worker.postMessage({ op: 'kill', id });
    this.mailbox.delete(id);
  }

  /** The next message from child `id`, blocking until `deadline` (performance.now() ms); null when it passed. */
  next(id: number, deadline: number): HostMessage | null {
    const mine = this.mailbox.get(id);
    if (mine !== undefined && mine.length > 0) return mine.shift()!;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      let r = receiveMessageOnPort(this.port);
      while (r !== undefined) {
        const m = r.message as HostMessage;
        if (m.id === id) return m;
        this.mailbox.get(m.id)?.push(m);
        r = receiveMessageOnPort(this.port);
      }
      const left = deadline - performance.now();
      if (left <= 0) return null;
      Atomics.wait(this.flag, 0, seen, left);
    }
  }

  /** Kills every child and ends the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.ref();
    const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ op: 'close' });
    await done;
    this.port.close();
  }
}
