// The clock rules a node can run, as one table (docs/protocol.md, "Node behaviour").
//
// Every difference between the seed program and the textbook algorithms is a column here;
// src/core/node.ts reads the table and has no rule-specific branches of its own.

export const CLOCK_RULES = ['seed', 'fidge-mattern', 'lamport'] as const;
export type ClockRuleName = (typeof CLOCK_RULES)[number];

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
}

export const RULES: Readonly<Record<ClockRuleName, ClockRule>> = {
  //                                 reset   +1 recv  unknown   bad      scalar
  seed:            { name: 'seed',          resetOnAnnounce: true,  incrementOnReceive: false, unknownKey: 'die',   badDatagram: 'die',    scalar: false },
  'fidge-mattern': { name: 'fidge-mattern', resetOnAnnounce: false, incrementOnReceive: true,  unknownKey: 'adopt', badDatagram: 'ignore', scalar: false },
  lamport:         { name: 'lamport',       resetOnAnnounce: false, incrementOnReceive: true,  unknownKey: 'adopt', badDatagram: 'ignore', scalar: true },
};
