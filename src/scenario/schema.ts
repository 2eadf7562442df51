// The scenario file's schema: every field a scenario may have, its type, its default, and
// the resolved form the drivers run (durations in integer microseconds). Unknown fields are
// errors. Cross-field checks (a partition naming a node that does not exist) live in
// src/scenario/resolve.ts, which knows the node count after command-line overrides.

import { z } from 'zod';
import { CLOCK_RULE_FORMS, isClockRuleName, type ClockRuleName } from '../core/rules.js';
import { parseDuration } from './duration.js';

/** A duration field: `250ms`, `2s`, `1m` (or the bare number 0), resolved to microseconds. */
export const duration = z.unknown().transform((v, ctx) => {
  const r = parseDuration(v);
  if (r.ok) return r.us;
  ctx.addIssue({ code: 'custom', message: `expected ${r.expected}` });
  return z.NEVER;
});

const probability = z.number({ error: 'expected a probability from 0 to 1' })
  .min(0, { error: 'expected a probability from 0 to 1' })
  .max(1, { error: 'expected a probability from 0 to 1' });

const positiveNumber = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });

export const latencySchema = z.union([
  duration.transform((us) => ({ dist: 'constant' as const, value: us })),
  z.discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('constant'), value: duration }),
    z.strictObject({ dist: z.literal('uniform'), min: duration, max: duration }),
    z.strictObject({ dist: z.literal('exponential'), mean: duration }),
    z.strictObject({ dist: z.literal('normal'), mean: duration, stddev: duration }),
    z.strictObject({ dist: z.literal('lognormal'), median: duration, sigma: positiveNumber.max(10, { error: 'expected sigma above 0 and at most 10 (the spread grows as e^sigma; docs/errors.md, "Limits")' }) }),
    z.strictObject({ dist: z.literal('pareto'), min: duration, alpha: positiveNumber }),
  ], { error: 'expected dist: constant, uniform, exponential, normal, lognormal or pareto' }),
]);
export type Latency = z.output<typeof latencySchema>;

const nodeName = z.string({ error: 'expected a node name' });

/** Who is in which group. Forms that scale with --nodes, or explicit node names. */
export const groupsSchema = z.union([
  z.literal('halves'),
  z.literal('bridge'),
  z.literal('majorities-ring'),
  z.strictObject({ isolate: z.union([z.number().int().positive(), z.array(nodeName).min(1)]) }),
  z.strictObject({ fractions: z.array(z.number().positive()).min(2) }),
  z.array(z.array(nodeName).min(1, { error: 'expected a group with at least one node' })).min(1),
], { error: 'expected halves, bridge, majorities-ring, {isolate: k}, {isolate: [names]}, {fractions: [..]} or a list of groups of node names' });
export type Groups = z.output<typeof groupsSchema>;

export const partitionSchema = z.strictObject({
  start: duration,
  end: duration.optional(),
  groups: groupsSchema,
});

/** Which nodes a fault touches: k nodes drawn from the fault stream, or node and group names. */
const selectorSchema = z.union([
  z.number().int().positive(),
  z.array(nodeName).min(1, { error: 'expected at least one node or group name' }),
], { error: 'expected a number of nodes to draw, or a list of node or group names' });
export type Selector = z.output<typeof selectorSchema>;

const rate = z.number({ error: 'expected a rate per second above 0' }).positive({ error: 'expected a rate per second above 0' });

/** One listed fault. `start`/`end` bound it; `end` heals it (for crash: restarts the node). */
export const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('crash'), nodes: selectorSchema, start: duration, end: duration.optional() }),
  z.strictObject({ kind: z.literal('pause'), nodes: selectorSchema, start: duration, end: duration.optional() }),
  z.strictObject({ kind: z.literal('leave'), nodes: selectorSchema, start: duration }),
  z.strictObject({ kind: z.literal('partition'), groups: groupsSchema, start: duration, end: duration.optional() }),
  z.strictObject({ kind: z.literal('one-way'), from: selectorSchema, to: selectorSchema, start: duration, end: duration.optional() }),
  z.strictObject({ kind: z.literal('link'), from: selectorSchema.optional(), to: selectorSchema.optional(), latency: latencySchema.optional(), loss: probability.optional(), duplicate: probability.optional(), start: duration, end: duration.optional() }),
  z.strictObject({ kind: z.literal('loss-burst'), from: selectorSchema.optional(), to: selectorSchema.optional(), loss: probability.default(0.9), start: duration, end: duration }),
  z.strictObject({ kind: z.literal('clog'), from: selectorSchema.optional(), to: selectorSchema.optional(), start: duration, end: duration }),
  z.strictObject({ kind: z.literal('capacity'), from: selectorSchema.optional(), to: selectorSchema.optional(), rate, start: duration, end: duration.optional() }),
], { error: 'expected kind: crash, pause, leave, partition, one-way, link, loss-burst, clog or capacity' });
export type FaultSpecInput = z.output<typeof faultSchema>;

/** Kinds `random_faults:` can draw; `join` is a late join (churn): a node joins at the drawn time. */
export const FAULT_KINDS = ['crash', 'pause', 'leave', 'join', 'partition', 'one-way', 'loss-burst', 'clog'] as const;

/** Faults drawn from the seed: fixed rates, or a swarm profile that the seed also draws. */
export const randomFaultsSchema = z.strictObject({
  profile: z.enum(['rates', 'swarm'], { error: 'expected rates or swarm' }).default('rates'),
  /** Mean faults per second (rates profile; swarm draws it up to this). */
  rate: rate.default(0.5),
  kinds: z.array(z.enum(FAULT_KINDS, { error: `expected one of ${FAULT_KINDS.join(', ')}` })).min(1).default(['crash', 'pause', 'partition', 'one-way', 'loss-burst', 'clog']),
  /** Mean length of a drawn fault (exponential). */
  mean_duration: duration.default(1_000_000),
  start: duration.default(0),
  end: duration.optional(),
});
export type RandomFaults = z.output<typeof randomFaultsSchema>;

const joinSchema = z.strictObject({
  at: duration.default(0),
  stagger: duration.default(0),
  times: z.record(z.string(), duration).default({}),
  /**
   * `handshake` (the seed protocol): a node announces itself and learns peers from replies.
   * `static` (simulator only, a deliberate departure for large N): every node starts knowing
   * every name at 0 and sends no join announcement, so no handshake datagrams at all.
   */
  membership: z.enum(['handshake', 'static'], { error: 'expected handshake or static' }).default('handshake'),
});

const workloadSchema = z.strictObject({
  process: z.enum(['poisson', 'fixed'], { error: 'expected poisson or fixed' }).default('poisson'),
  interval: duration.default(100_000),
  /** No node sends before this time (it still joins at its join time). */
  start: duration.default(0),
  count: z.number().int({ error: 'expected a whole number' }).nonnegative({ error: 'expected a whole number that is not negative' }).optional(),
  senders: z.union([z.literal('all'), z.number().int().positive(), z.array(nodeName)]).default('all'),
  text: z.string().default('msg {seq} from {node}'),
});

const networkSchema = z.strictObject({
  latency: latencySchema.default({ dist: 'exponential', mean: 10_000 }),
  loss: probability.default(0),
  duplicate: probability.default(0),
  deliver_to_self: z.boolean().default(true),
});

/** An expectation: a number (equality) or a comparison string like ">= 0.95". */
export const expectationSchema = z.union([
  z.number(),
  z.boolean(),
  z.string().regex(/^\s*(==|!=|>=|<=|>|<)\s*-?[0-9]+(\.[0-9]+)?\s*$/, { error: 'expected a number, or a comparison like ">= 0.95"' }),
]);

const seedsSchema = z.union([
  z.array(z.number().int().nonnegative()).min(1),
  z.string().regex(/^\s*[0-9]+\s*\.\.\s*[0-9]+\s*$/, { error: 'expected a list of seeds or a range like "1..20"' }),
]);

/** A signed duration: `-5ms`, `2ms`, or a number of microseconds (docs/scenarios.md, "Physical clocks"). */
const signedDuration = z.unknown().transform((v, ctx) => {
  const neg = typeof v === 'string' && v.trim().startsWith('-');
  const r = typeof v === 'number' ? (Number.isSafeInteger(v) ? { ok: true as const, us: Math.abs(v) } : { ok: false as const, expected: 'a whole number of microseconds' }) : parseDuration(neg ? (v as string).trim().slice(1) : v);
  if (r.ok) return (neg || (typeof v === 'number' && v < 0)) && r.us !== 0 ? -r.us : r.us;
  ctx.addIssue({ code: 'custom', message: `expected a duration, optionally negative, like -5ms or 2ms (${r.expected})` });
  return z.NEVER;
});

const signedNumber = z.number({ error: 'expected a number' });

/** A per-node draw: a constant, uniform between min and max, or normal. */
function perNode<T extends z.ZodType<number>>(v: T) {
  return z.union([
    v.transform((x) => ({ dist: 'constant' as const, value: x })),
    z.discriminatedUnion('dist', [
      z.strictObject({ dist: z.literal('constant'), value: v }),
      z.strictObject({ dist: z.literal('uniform'), min: v, max: v }),
      z.strictObject({ dist: z.literal('normal'), mean: v, stddev: v }),
    ], { error: 'expected dist: constant, uniform or normal' }),
  ]);
}

/** Per-node physical clocks (docs/scenarios.md, "Physical clocks"): offsets and drift drawn from the seed. */
export const physicalClocksSchema = z.strictObject({
  offset: perNode(signedDuration).default({ dist: 'constant', value: 0 }),
  drift_ppm: perNode(signedNumber).default({ dist: 'constant', value: 0 }),
});
export type PhysicalClocksSpec = z.output<typeof physicalClocksSchema>;

/** Some or all nodes are a real program (docs/programs.md, "Scenarios with programs"). */
export const programSchema = z.strictObject({
  command: z.array(z.string({ error: 'expected a word of the command line' }), { error: 'expected the command line as a list of words, e.g. [python3, client.py]' }).min(1, { error: 'expected at least the program to run' }),
  nodes: z.union([z.literal('all'), z.array(nodeName).min(1, { error: 'expected at least one node name' })], { error: 'expected all or a list of node names' }).default('all'),
  shim: z.enum(['python', 'none'], { error: 'expected python or none' }).default('none'),
  /** Wall-clock bound on each input (default 10s): a program not idle by then is reported. */
  timeout: duration.optional(),
  clock_pattern: z.string({ error: 'expected a regular expression' }).optional(),
  on_error: z.enum(['stop', 'continue'], { error: 'expected stop or continue' }).default('stop'),
});
export type ProgramFieldSpec = z.output<typeof programSchema>;

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected a name of letters, digits, ".", "_" or "-"' }).max(100, { error: 'expected a name of at most 100 characters (it names the results folder)' }).optional(),
  description: z.string().optional(),
  nodes: z.number({ error: 'expected a whole number of nodes, at least 1' }).int({ error: 'expected a whole number of nodes, at least 1' }).min(1, { error: 'expected a whole number of nodes, at least 1' }).max(1_000_000),
  names: z.array(nodeName).optional(),
  /**
   * Accept node names the seed program cannot parse ("==", "##", "@@", whitespace, empty),
   * on purpose, to study what it does with them (docs/scenarios.md, "Node names").
   */
  fragile_names: z.boolean({ error: 'expected true or false' }).default(false),
  seed: z.number().int().nonnegative().default(1),
  seeds: seedsSchema.optional(),
  duration: duration,
  protocol: z.strictObject({
    clock: z.string({ error: `expected one of ${CLOCK_RULE_FORMS}` })
      .refine(isClockRuleName, { error: `expected one of ${CLOCK_RULE_FORMS}` })
      .transform((s) => s as ClockRuleName)
      .default('seed'),
    /**
     * The receivers' buffer in bytes: the seed's 2048 by default. Simulator only: a larger
     * one (a deliberate departure) lets clocks of more than about 150 nodes arrive whole.
     */
    recv_buffer: z.number({ error: 'expected a whole number of bytes from 1 to 16777216' }).int({ error: 'expected a whole number of bytes from 1 to 16777216' }).min(1, { error: 'expected a whole number of bytes from 1 to 16777216' }).max(16_777_216, { error: 'expected a whole number of bytes from 1 to 16777216' }).default(2048),
  }).default({ clock: 'seed', recv_buffer: 2048 }),
  /** Per-node physical clocks, read by hybrid logical clocks (docs/clocks.md, "hlc"). */
  physical_clocks: physicalClocksSchema.optional(),
  network: networkSchema.default({ latency: { dist: 'exponential', mean: 10_000 }, loss: 0, duplicate: 0, deliver_to_self: true }),
  join: joinSchema.default({ at: 0, stagger: 0, times: {}, membership: 'handshake' }),
  workload: workloadSchema.default({ process: 'poisson', interval: 100_000, start: 0, senders: 'all', text: 'msg {seq} from {node}' }),
  partitions: z.array(partitionSchema).default([]),
  /** Named groups of nodes that faults may name in place of nodes. */
  groups: z.record(z.string(), z.array(nodeName).min(1, { error: 'expected a group with at least one node' })).default({}),
  faults: z.array(faultSchema).default([]),
  random_faults: randomFaultsSchema.optional(),
  /** A final quiet phase of this length, ending at `duration`: faults heal, nothing is lost. */
  quiet: duration.optional(),
  expect: z.record(z.string(), expectationSchema).default({}),
  program: programSchema.optional(),
});

/** The scenario as validated, before cross-field resolution. */
export type ScenarioSpec = z.output<typeof scenarioSchema>;
