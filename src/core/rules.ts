// The clock rules a node can run (docs/clocks.md, "The clock-rule interface").
//
// Two families. The vector rules (`seed`, `fidge-mattern`, `lamport`, `differential`) run on
// the node's own vector path (src/core/clock.ts, src/core/wire.ts): they are one table here,
// every difference between the seed program and the textbook algorithms a column of it, and
// src/core/node.ts reads the table and has no rule-specific branches of its own. The stamp
// rules (`plausible:R`, `bloom:MxK`, `hlc`, `itc`) implement the `StampRule` interface of
// src/core/stamps.ts: a stamp, what a send and a receive do to it, how two stamps compare,
// and its encoding on the wire.

/** The rules without parameters (the parameterised ones are `plausible:R` and `bloom:MxK`). */
export const CLOCK_RULES = ['seed', 'fidge-mattern', 'lamport', 'differential', 'hlc', 'itc'] as const;
export type VectorRuleName = 'seed' | 'fidge-mattern' | 'lamport' | 'differential';
export type ClockRuleName = (typeof CLOCK_RULES)[number] | `plausible:${number}` | `bloom:${number}x${number}`;

/** The forms a `--clock` / `protocol.clock` value may take, for error messages and --help. */
export const CLOCK_RULE_FORMS = 'seed, fidge-mattern, lamport, differential, hlc, itc, plausible:R (R entries, 1..65536) or bloom:MxK (M cells 1..65536, K hashes 1..64)';

/** The rules live runs support (the others run in the simulator only). */
export const LIVE_CLOCK_RULES: readonly ClockRuleName[] = ['seed', 'fidge-mattern', 'lamport'];

export interface ClockRule {
  readonly name: ClockRuleName;
  /** A join announcement from a known peer resets its entry to 0 (the seed's rejoin quirk). */
  readonly resetOnAnnounce: boolean;
  /** A chat receive counts as an event: the own entry is incremented after the merge. */
  readonly incrementOnReceive: boolean;
  /** A key in an attached clock that the receiver does not know: die (seed) or adopt it. */
  readonly unknownKey: 'die' | 'adopt';
  /** A datagram that does not parse, or a clock value that is not a number: die or ignore. */
  readonly badDatagram: 'die' | 'ignore';
  /** The clock is one integer (Lamport), not a vector. */
  readonly scalar: boolean;
  /** What a chat message carries: the whole clock, or only the entries changed since the node's previous broadcast (differential). */
  readonly wire: 'full' | 'changed';
  /** The clock's entries are node names (membership can be read from it). */
  readonly namesNodes: boolean;
}

export const RULES: Readonly<Record<VectorRuleName, ClockRule>> = {
  //                                 reset   +1 recv  unknown   bad      scalar  wire
  seed:            { name: 'seed',          resetOnAnnounce: true,  incrementOnReceive: false, unknownKey: 'die',   badDatagram: 'die',    scalar: false, wire: 'full',    namesNodes: true },
  'fidge-mattern': { name: 'fidge-mattern', resetOnAnnounce: false, incrementOnReceive: true,  unknownKey: 'adopt', badDatagram: 'ignore', scalar: false, wire: 'full',    namesNodes: true },
  lamport:         { name: 'lamport',       resetOnAnnounce: false, incrementOnReceive: true,  unknownKey: 'adopt', badDatagram: 'ignore', scalar: true,  wire: 'full',    namesNodes: false },
  differential:    { name: 'differential',  resetOnAnnounce: false, incrementOnReceive: true,  unknownKey: 'adopt', badDatagram: 'ignore', scalar: false, wire: 'changed', namesNodes: true },
};

/** The table row every stamp rule uses for membership and bad datagrams (fidge-mattern's). */
export function stampTableRow(name: ClockRuleName): ClockRule {
  return { ...RULES['fidge-mattern'], name, namesNodes: false };
}

export function isVectorRule(name: ClockRuleName): name is VectorRuleName {
  return Object.hasOwn(RULES, name);
}

/** A parsed rule name: which rule, and its parameters. */
export type ParsedRule =
  | { readonly kind: VectorRuleName }
  | { readonly kind: 'hlc' }
  | { readonly kind: 'itc' }
  | { readonly kind: 'plausible'; readonly entries: number }
  | { readonly kind: 'bloom'; readonly cells: number; readonly hashes: number };

/** The rule a name stands for, or null if it names none (see CLOCK_RULE_FORMS). */
export function parseClockRule(name: string): ParsedRule | null {
  if (isVectorRule(name as ClockRuleName)) return { kind: name as VectorRuleName };
  if (name === 'hlc') return { kind: 'hlc' };
  if (name === 'itc') return { kind: 'itc' };
  let m = /^plausible:([1-9][0-9]*)$/.exec(name);
  if (m !== null) {
    const r = Number(m[1]);
    return r <= 65536 ? { kind: 'plausible', entries: r } : null;
  }
  m = /^bloom:([1-9][0-9]*)x([1-9][0-9]*)$/.exec(name);
  if (m !== null) {
    const cells = Number(m[1]);
    const hashes = Number(m[2]);
    return cells <= 65536 && hashes <= 64 ? { kind: 'bloom', cells, hashes } : null;
  }
  return null;
}

export function isClockRuleName(name: string): name is ClockRuleName {
  return parseClockRule(name) !== null;
}
