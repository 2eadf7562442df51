// A node that is a real program: the same inputs and outputs as the core Node of
// src/core/node.ts (start, send, receive; datagrams and events into an Outbox), served by a
// child process that speaks the node-program protocol (docs/programs.md, "The protocol").
// Every call writes one input, then blocks until the program says IDLE (or its bound
// passes), so the program runs only inside the simulator's step and the run stays
// deterministic whatever the machine's speed.
//
// Theory of operation: what an input was (start, a user line, a datagram and how the seed
// protocol classifies it) decides the event's type; what the program printed decides its
// clocks (src/program/clocks.ts); what it broadcast is transmitted as it is. An input during
// which the program printed no clock carries its last printed clock forward; those
// snapshots are not in `printed`, so `vcsim diff` compares only clocks a program reported.
//
//   input              | program's answer                 | event
//   -------------------+----------------------------------+-----------------------------------
//   start              | (anything)                       | join
//   user line          | at least one TX                  | send (none: no event)
//   datagram, own name | (anything)                       | ignored (own)
//   datagram           | DIED from its receiving thread   | receiver_died
//   join / reply       | -                                | join_seen / reply_seen
//   chat               | -                                | receive
//   unparsable         | - (it did not die)               | ignored (unparsable)

import type { VectorSnapshot } from '../core/clock.js';
import type { DeathCause, Outbox } from '../core/node.js';
import type { Datagram } from '../core/wire.js';
import { clockOfLine, type ClockLine } from './clocks.js';
import type { ProgramHost } from './host.js';

export interface ProgramSpec {
  /** The whole command line (the shim, if any, already in it). */
  readonly command: readonly string[];
  readonly cwd: string;
  /** Wall-clock bound on one input (and on starting), in milliseconds. */
  readonly timeoutMs: number;
  readonly clockPattern: RegExp;
  /** A failing program stops the run (`stop`) or only itself (`continue`). */
  readonly onError: 'stop' | 'continue';
}

/** A program that hung, exited, wrote garbage or lost a thread other than its receiver. */
export interface ProgramProblem {
  readonly node: string;
  /** Simulated time of the input, µs. */
  readonly t: number;
  readonly message: string;
  /** The end of what the program wrote to stderr. */
  readonly stderr: string;
}

export class ProgramFailure extends Error {
  constructor(readonly problem: ProgramProblem) {
    super(`node ${problem.node}: ${problem.message}`);
    this.name = 'ProgramFailure';
  }
}

/** What the program answered to one input. */
interface Answer {
  readonly tx: string[];
  readonly clocks: ClockLine[];
  died: { receiver: boolean; error: string } | null;
}

const STDERR_TAIL = 2000;
const utf8 = new TextDecoder();

export class ProgramNode {
  private id = -1;
  private failed = false;
  private receiverAlive = true;
  private last: VectorSnapshot = { names: [], values: [] };
  /** The names of this node's printed clocks, append-only while they extend each other (as a core Node's). */
  private names: string[] = [];
  private stderr = '';

  constructor(
    readonly name: string,
    private readonly spec: ProgramSpec,
    private readonly host: ProgramHost,
    private readonly printed: WeakSet<object>,
    private readonly problems: ProgramProblem[],
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  get receiving(): boolean {
    return this.receiverAlive && !this.failed;
  }

  /** Static membership has no meaning for a program (rejected when the scenario loads). */
  preload(): void {
    throw new Error('bug: static membership with a program node');
  }

  /** Starts the process, waits until it is ready, then types its name as the first line. */
  start(now: number, out: Outbox): void {
    this.id = this.host.spawn({ command: this.spec.command, env: this.env, cwd: this.spec.cwd });
    const ready = this.answer(now, 'starting');
    if (ready === null) return;
    const a = this.input(now, `LINE ${JSON.stringify(this.name)}\n`, 'its name as the first line');
    if (a === null) return;
    const { after } = this.clocks(a);
    out.event({ type: 'join', t: now, node: this.name, after });
    for (const p of a.tx) out.transmit(p);
  }

  send(now: number, text: string, out: Outbox): void {
    if (this.failed) return;
    const a = this.input(now, `LINE ${JSON.stringify(text)}\n`, `the line ${JSON.stringify(text)}`);
    if (a === null) return;
    const { before, after } = this.clocks(a);
    if (a.tx.length > 0) out.event({ type: 'send', t: now, node: this.name, text, before, after });
    for (const p of a.tx) out.transmit(p);
  }

  receive(now: number, dg: Datagram, out: Outbox): void {
    if (this.failed) return;
    const bytes = Buffer.from(dg.payload, 'utf8').toString('base64');
    const a = this.input(now, `DGRAM ${bytes}\n`, 'a datagram');
    if (a === null) return;
    const { before, after } = this.clocks(a);
    const p = dg.parsed;
    const peer = p.kind === 'chat' ? p.sender : p.kind === 'unparsable' ? '' : p.name;
    const own = (p.kind === 'unparsable' ? p.sender : peer) === this.name;
    if (a.died?.receiver === true) {
      this.receiverAlive = false;
      out.event({ type: 'receiver_died', t: now, node: this.name, peer, cause: causeOf(a.died.error), detail: a.died.error, before, after });
    } else if (own) {
      out.event({ type: 'ignored', t: now, node: this.name, peer: this.name, reason: 'own', detail: '' });
    } else if (p.kind === 'join') {
      const reset = this.printed.has(before) && this.printed.has(after) && valueOf(before, peer) > 0 && valueOf(after, peer) === 0;
      out.event({ type: 'join_seen', t: now, node: this.name, peer, before, after, reset });
    } else if (p.kind === 'reply') {
      out.event({ type: 'reply_seen', t: now, node: this.name, peer, before, after });
    } else if (p.kind === 'chat') {
      out.event({ type: 'receive', t: now, node: this.name, peer, before, after });
    } else {
      out.event({ type: 'ignored', t: now, node: this.name, peer, reason: 'unparsable', detail: p.reason });
    }
    for (const tx of a.tx) out.transmit(tx);
  }

  /** Kills the process (a crash, a restart, the end of the run). */
  kill(): void {
    if (this.id >= 0) this.host.kill(this.id);
    this.failed = true;
  }

  /** The event's clocks: the first printed `before` and the last printed `after`, else carried forward. */
  private clocks(a: Answer): { before: VectorSnapshot; after: VectorSnapshot } {
    let before: VectorSnapshot | null = null;
    let after: VectorSnapshot | null = null;
    for (const c of a.clocks) {
      const clock = this.shared(c.clock);
      if (c.phase === 'before') before ??= clock;
      else after = clock;
      this.printed.add(clock);
    }
    const b = before ?? this.last;
    // No `after` printed: the clock before, carried forward as a snapshot that was not printed.
    const f = after ?? { names: b.names, values: b.values };
    this.last = f;
    return { before: b, after: f };
  }

  /**
   * The clock over this node's shared name list when its names extend the list (or the list
   * extends them), so that the trace encodes it as it encodes a core Node's clock: the same
   * clocks give the same trace lines. Otherwise (a reordered clock) a new list starts.
   */
  private shared(c: VectorSnapshot): VectorSnapshot {
    const n = Math.min(c.names.length, this.names.length);
    for (let i = 0; i < n; i++) {
      if (c.names[i] !== this.names[i]) {
        this.names = [...c.names];
        return { names: this.names, values: c.values };
      }
    }
    for (let i = n; i < c.names.length; i++) this.names.push(c.names[i]);
    return { names: this.names, values: c.values };
  }

  private input(now: number, line: string, what: string): Answer | null {
    this.host.write(this.id, line);
    return this.answer(now, `after ${what}`);
  }

  /** Reads the program's messages up to its IDLE; on a failure records it and returns null. */
  private answer(now: number, when: string): Answer | null {
    const deadline = performance.now() + this.spec.timeoutMs;
    const a: Answer = { tx: [], clocks: [], died: null };
    for (;;) {
      const m = this.host.next(this.id, deadline);
      if (m === null) return this.fail(now, `did not become idle within ${this.spec.timeoutMs} ms ${when} (it may be busy, sleeping or waiting on something the shim does not stand in for)`);
      if (m.kind === 'stderr') {
        this.stderr = (this.stderr + m.text).slice(-STDERR_TAIL);
        continue;
      }
      if (m.kind === 'exit') {
        const how = m.error !== undefined ? `could not run: ${m.error}` : m.signal !== null ? `was killed by ${m.signal}` : `exited with code ${String(m.code)}`;
        return this.fail(now, `${how} ${when}${a.died !== null ? ` (a thread died first: ${a.died.error})` : ''}`);
      }
      const line = m.line;
      const sp = line.indexOf(' ');
      const kind = sp < 0 ? line : line.slice(0, sp);
      const rest = sp < 0 ? '' : line.slice(sp + 1);
      if (kind === 'IDLE' && rest === '') {
        if (a.died !== null && !a.died.receiver) return this.fail(now, `a thread died ${when}: ${a.died.error}`);
        return a;
      }
      const bad = this.take(a, kind, rest);
      if (bad !== null) return this.fail(now, `wrote a line that is not the protocol ${when} (${bad}): ${JSON.stringify(clip(line))}`);
    }
  }

  /** Adds one protocol message to the answer; returns what is wrong with it, or null. */
  private take(a: Answer, kind: string, rest: string): string | null {
    switch (kind) {
      case 'TX':
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(rest)) return 'TX takes base64';
        a.tx.push(utf8.decode(Buffer.from(rest, 'base64')));
        return null;
      case 'OUT': {
        const text = jsonString(rest);
        if (text === null) return 'OUT takes a JSON string';
        const c = clockOfLine(text, this.spec.clockPattern);
        if (c !== null) a.clocks.push(c);
        return null;
      }
      case 'DIED': {
        const d = jsonObject(rest);
        if (d === null || typeof d.error !== 'string') return 'DIED takes a JSON object with "error"';
        a.died = { receiver: d.receiver === true, error: d.error };
        return null;
      }
      default:
        return 'expected TX, OUT, DIED or IDLE';
    }
  }

  private fail(now: number, message: string): null {
    this.kill();
    const problem: ProgramProblem = { node: this.name, t: now, message, stderr: this.stderr.trimEnd() };
    this.problems.push(problem);
    if (this.spec.onError === 'stop') throw new ProgramFailure(problem);
    return null;
  }
}

/** A Python exception's name, as the seed's causes of death (docs/programs.md, "Deaths"). */
function causeOf(error: string): DeathCause {
  if (error.startsWith('KeyError')) return 'unknown_key';
  if (error.startsWith('TypeError')) return 'bad_value';
  return 'unparsable';
}

function valueOf(c: VectorSnapshot, name: string): number {
  const i = c.names.indexOf(name);
  return i < 0 ? 0 : c.values[i];
}

function jsonString(s: string): string | null {
  try {
    const v = JSON.parse(s) as unknown;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

function jsonObject(s: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(s) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function clip(s: string): string {
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}
