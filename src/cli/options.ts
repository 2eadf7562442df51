// Every flag that more than one command takes, declared once, and the checks of every flag's
// value, written once (docs/errors.md, "User errors: one line per problem"). A command adds
// groups with `withFlags(y, scenarioFlags, quietFlag('...'), ...)`; a flag only one command takes is declared in that command, with the
// value checks below. Each check runs as a yargs `coerce` before the handler: a bad value or a
// flag given twice is one line naming the flag and quoting what was typed, exit 2.
//
// Numeric flags declare no yargs `type`: with `type: 'number'` yargs turns `abc` into NaN
// and the text typed is lost, so the checks below parse it themselves. Every flag that takes a
// value has `nargs: 1`: `--nodes` with nothing after it is an error, and `--duration -1s`
// takes `-1s` as its value instead of reading it as the flags -1 and -s.

import type { Argv, Options } from 'yargs';
import {
  addressProblem, CHECK_SCOPES, CLOCK_RULE_FORMS, CLOCK_RULES, DEFAULT_BROADCAST, DEFAULT_ORDERINGS_LIMIT, DEFAULT_PORT,
  isClockRuleName, parseDuration, parseWindow, portProblem, UserError, type ClockRuleName, type Override,
} from '../api/index.js';
import { defaultWorkers } from '../repro/explore.js';
import { parseSeedRange, parseShard, type SeedRange, type Shard } from '../repro/seeds.js';
import { userError } from '../util/errors.js';

// ---------------------------------------------------------------------------------------
// Value checks

/**
 * yargs rethrows an error from a `coerce` as its own YError carrying only the message; the
 * UserError is kept here so main can report it as the problem it is (one line, exit 2).
 */
const raised = new Map<string, UserError>();

/** Runs a check, keeping any UserError it raises for `raisedUserError`. */
function remembered<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof UserError) raised.set(e.message, e);
    throw e;
  }
}

/** The UserError a coerce raised, when yargs hands main its copy. */
export function raisedUserError(e: unknown): UserError | undefined {
  return e instanceof Error ? raised.get(e.message) : undefined;
}

/** What the user typed, as a problem quotes it: text in quotes, a number as it is. */
export function typed(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * A yargs coerce for a flag that takes one value: refuses the flag given twice (yargs would
 * make an array of both), then checks the value with `parse`.
 */
export function once<T>(flag: string, parse: (value: unknown) => T): (value: unknown) => T {
  return (value) => remembered(() => {
    if (Array.isArray(value)) throw userError(flag, `expected it once, found it given ${value.length} times (${value.map(typed).join(', ')})`);
    return parse(value);
  });
}

/** A yargs coerce for a repeatable flag: checks each value with `parse`. */
export function each<T>(parse: (value: unknown) => T): (value: unknown) => T[] {
  return (value) => remembered(() => (Array.isArray(value) ? value : [value]).map(parse));
}

/** A whole number of at least `min`, from a number or the text typed. */
export function wholeNumber(flag: string, min: number, expected: string): (value: unknown) => number {
  return once(flag, (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw userError(flag, `expected ${expected}, found ${typed(v)}`);
    return n;
  });
}

/** One of `choices`, as typed. */
export function oneOf<const C extends readonly string[]>(flag: string, choices: C): (value: unknown) => C[number] {
  return once(flag, (v) => {
    const s = String(v);
    if (!choices.includes(s)) throw userError(flag, `expected one of ${choices.join(', ')}, found ${typed(v)}`);
    return s as C[number];
  });
}

/** Any text (a path, a name): only refuses the flag given twice. */
export function text(flag: string): (value: unknown) => string {
  return once(flag, (v) => String(v));
}

/** A single-valued flag: its check, and `nargs: 1` so that a value must follow it. */
export function valued(coerce: (value: unknown) => unknown, o: Omit<Options, 'coerce' | 'nargs' | 'type'>): Options {
  return { nargs: 1, coerce, ...o };
}

// ---------------------------------------------------------------------------------------
// Groups

/** Adds some flags to a command's yargs; a command's builder adds its groups with `withFlags`. */
export type Group = (y: Argv<object>) => Argv<object>;

/** `y` with these groups of flags, in order (the order `--help` lists them in). */
export function withFlags(y: Argv<object>, ...groups: Group[]): Argv<object> {
  return groups.reduce((acc, group) => group(acc), y);
}

/** `--quiet`, in every command's own words. */
export function quietFlag(describe: string): Group {
  return (y) => y.option('quiet', { type: 'boolean', default: false, describe });
}

/** `--out`: where the command writes (a folder or a file, said by `describe`). */
export function outFlag(describe: string): Group {
  return (y) => y.option('out', valued(text('--out'), { describe }));
}

/** `--seed`: the run's seed; the scenario's own seed when left out. */
export function seedFlag(describe = 'Run seed (default: the scenario\'s seed)'): Group {
  return (y) => y.option('seed', valued(wholeNumber('--seed', 0, 'a whole number >= 0'), { describe }));
}

/**
 * `--clock`: the clock rule. Without `choices`, any rule of the simulator (docs/clocks.md),
 * parameterised ones included (`plausible:4`); a live node names the few it knows.
 */
export function clockFlag(choices?: readonly ClockRuleName[], dflt?: ClockRuleName): Group {
  const anyRule = once('--clock', (v) => {
    const s = String(v);
    if (!isClockRuleName(s)) throw userError('--clock', `expected one of ${CLOCK_RULE_FORMS}, found ${typed(v)}`);
    return s;
  });
  const o = choices === undefined
    ? valued(anyRule, { describe: `Clock rule: ${CLOCK_RULES.join(', ')}, plausible:R or bloom:MxK (docs/clocks.md)` })
    : valued(oneOf('--clock', choices), { describe: 'Clock rule', choices, ...(dflt === undefined ? {} : { default: dflt }) });
  return (y) => y.option('clock', o);
}

/** The flags that change the scenario: `--nodes`, `--duration`, `--clock`. */
export const scenarioFlags: Group = (y) => clockFlag()(y
  .option('nodes', valued(wholeNumber('--nodes', 1, 'a whole number of nodes, at least 1'), { describe: 'Override the node count' }))
  .option('duration', valued(once('--duration', duration('--duration')), { describe: 'Override the duration, e.g. 10s' })));

function duration(flag: string): (v: unknown) => string {
  return (v) => {
    const d = parseDuration(String(v));
    if (!d.ok) throw userError(flag, `expected ${d.expected}, found ${typed(String(v))}`);
    return String(v);
  };
}

/** The scenario-changing flags as overrides, each naming its flag for the loader's problems. */
export function runOverrides(argv: { nodes?: number; duration?: string; clock?: string }): Override[] {
  const o: Override[] = [];
  if (argv.nodes !== undefined) o.push({ path: ['nodes'], value: argv.nodes, flag: '--nodes' });
  if (argv.duration !== undefined) o.push({ path: ['duration'], value: argv.duration, flag: '--duration' });
  if (argv.clock !== undefined) o.push({ path: ['protocol', 'clock'], value: argv.clock, flag: '--clock' });
  return o;
}

/** `--port` and `--address`: where live nodes meet, checked before any socket opens. */
export const socketFlags: Group = (y) => y
  .option('port', valued(once('--port', (v) => {
    const problem = portProblem(typeof v === 'number' ? v : String(v));
    if (problem !== null) throw userError('--port', problem);
    return v as number;
  }), { default: DEFAULT_PORT, describe: 'The UDP port every live node binds' }))
  .option('address', valued(once('--address', (v) => {
    const problem = addressProblem(String(v));
    if (problem !== null) throw userError('--address', problem);
    return String(v);
  }), { default: DEFAULT_BROADCAST, describe: 'The broadcast address of live nodes (loopback by default; nothing leaves the machine)' }));

/** `--port`, `--address` and `--time-scale`: a live run of a scenario. */
export const liveFlags: Group = (y) => socketFlags(y)
  .option('time-scale', valued(once('--time-scale', (v) => {
    const n = typeof v === 'number' ? v : NaN;
    if (!(Number.isFinite(n) && n > 0)) throw userError('--time-scale', `expected a positive number, found ${typed(v)}`);
    return n;
  }), { default: 1, describe: 'Wall seconds per scenario second in a live run (2: twice as slow)' }));

/** `--checker`: the causality checker on or off. */
export function checkerFlag(describe: string): Group {
  return (y) => y.option('checker', valued(oneOf('--checker', ['on', 'off'] as const), { choices: ['on', 'off'], default: 'on', describe }));
}

/** What the checker covers and lists: `--scope`, `--orderings`, `--orderings-limit`. */
export const checkerScopeFlags: Group = (y) => y
  .option('scope', valued(oneOf('--scope', CHECK_SCOPES), { choices: CHECK_SCOPES, default: 'all', describe: 'Events the checker\'s headline figures cover: chat sends, or all chat sends and receives' }))
  .option('orderings', valued(oneOf('--orderings', ['sends', 'all', 'none'] as const), { choices: ['sends', 'all', 'none'], default: 'sends', describe: 'Pairs listed in orderings.csv' }))
  .option('orderings-limit', valued(wholeNumber('--orderings-limit', 0, 'a whole number of rows >= 0'), { default: DEFAULT_ORDERINGS_LIMIT, describe: 'Skip orderings.csv (with a note) above this many rows' }));

/** `--window` and `--nodes-shown`: the slice of a run the pictures draw. */
export const pictureSliceFlags: Group = (y) => y
  .option('window', valued(once('--window', (v) => parseWindow(String(v))), { describe: 'Draw only this time window, e.g. 2s..4s (either end may be left out)' }))
  .option('nodes-shown', valued(once('--nodes-shown', (v) => {
    const nodes = String(v).split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (nodes.length === 0) throw userError('--nodes-shown', `expected node names separated by commas, e.g. n0,n3, found ${typed(v)}`);
    return nodes;
  }), { describe: 'Draw only these lanes, in this order, e.g. n0,n3,n7' }));

/** `--workers`: threads to run on (explore and sweep: this one and N-1 workers); the machine's cores when left out. */
export const workersFlag: Group = (y) => y
  .option('workers', valued(wholeNumber('--workers', 1, 'a whole number, at least 1'), { describe: `Threads to run on (default: the machine's cores, ${defaultWorkers()}); results do not depend on it` }));

/** `--vary PATH=VALUES` (repeatable): the fields a sweep or a comparison varies. */
export function varyFlag(describe: string): Group {
  return (y) => y.option('vary', { type: 'string', array: true, coerce: each(String), describe });
}

/** `--seeds A..B`: a range of seeds. */
export function seedsFlag(describe: string): Group {
  return (y) => y.option('seeds', valued(once('--seeds', (v): SeedRange => parseSeedRange(String(v))), { describe }));
}

/**
 * `--shard i/n` and `--shard-count N`: which share of the work this process runs. Without
 * them a batch engine's variables decide (docs/scale-out.md, "Which shard runs").
 */
export function shardFlags(describe: string): Group {
  return (y) => y
    .option('shard', valued(once('--shard', (v): Shard => parseShard(String(v))), { describe: `${describe}. Default: from VCSIM_SHARD, JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (docs/scale-out.md)` }))
    .option('shard-count', valued(wholeNumber('--shard-count', 1, 'a whole number, at least 1'), { describe: 'The number of shards, with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); or set VCSIM_SHARD_COUNT' }));
}

/** `--merge`: join the shards' outputs instead of running (docs/scale-out.md, "Merging"). */
export function mergeFlag(describe: string): Group {
  return (y) => y.option('merge', { type: 'string', array: true, coerce: each(String), describe });
}

/** `--fresh`: discard a journal instead of resuming it. */
export function freshFlag(describe: string): Group {
  return (y) => y.option('fresh', { type: 'boolean', default: false, describe });
}

/** `--dry-run`: check the arguments, say what would run, and stop. */
export function dryRunFlag(describe: string): Group {
  return (y) => y.option('dry-run', { type: 'boolean', default: false, describe });
}

/** The seeds a command runs: `--seeds A..B`, else the span of the scenario's `seeds:` list. */
export function seedRangeOf(flag: SeedRange | undefined, scenarioSeeds: readonly number[] | undefined, example = '1..10'): SeedRange {
  if (flag !== undefined) return flag;
  if (scenarioSeeds !== undefined) return { first: Math.min(...scenarioSeeds), last: Math.max(...scenarioSeeds) };
  throw userError('--seeds', `expected a seed range like ${example} (the scenario has no seeds: field)`);
}
