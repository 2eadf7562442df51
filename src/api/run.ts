// Running a scenario: the heart of the programmatic API (src/api/index.ts is its door).
// It wires a loaded scenario to a driver and the trace consumers, and returns results as
// values; it never reads argv, prints, or sets exit codes (that is src/cli's job).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnomalyDetector } from '../check/anomalies.js';
import { CausalityChecker, type CheckScope } from '../check/checker.js';
import { checkExpectations, type ExpectationResult } from '../export/expect.js';
import { EventsCsv, MessagesCsv } from '../export/csv.js';
import { JsonlWriter } from '../export/jsonl.js';
import { RunFolder } from '../util/atomic.js';
import { userError } from '../util/errors.js';
import { writeAnomaliesCsv, writeOrderingsCsv } from '../export/orderings.js';
import { assembleSummary, SummaryConsumer, type OrderingsFigures, type Summary } from '../export/summary.js';
import type { LoadedScenario } from '../scenario/load.js';
import { simulate } from '../sim/driver.js';
import { ProgramRun, nodeFactory, programPlan } from '../program/run.js';
import type { ProgramProblem } from '../program/node.js';
import type { ProgramField } from '../scenario/program.js';
import { drawSchedule } from '../world/schedule.js';
import { drawPhysicalClocks } from '../world/clocks.js';
import type { PhysicalClock } from '../core/stamps.js';
import { TraceBus, type TraceConsumer } from '../trace/bus.js';
import { DigestConsumer } from '../trace/digest.js';
import { TRACE_FORMAT, type TraceHeader } from '../trace/events.js';
import { VERSION } from '../util/version.js';
import { liveOptions, type LiveTransport } from './live.js';
import { runLive } from '../transport/driver.js';
import { VisualsConsumer, writeVisuals } from '../export/visuals.js';
import type { SliceOptions } from '../export/slice.js';
import type { Focus } from '../export/focus.js';


export type OutputsMode = 'all' | 'none';
export type OrderingsMode = OrderingsFigures['scope'];

/** orderings.csv is not written when its scope has more pairs than this (by default). */
export const DEFAULT_ORDERINGS_LIMIT = 1_000_000;

export interface RunOptions {
  readonly loaded: LoadedScenario;
  readonly seed: number;
  /** Folder for the output files; null writes nothing. */
  readonly outDir: string | null;
  /** `none` writes only summary.json, timing.json and manifest.json. */
  readonly outputs?: OutputsMode;
  /** Compute the trace digest (default: only with outputs `all`, as it costs the trace text). */
  readonly digest?: boolean;
  /** Extra consumers of the trace (tests, other tools). */
  readonly consumers?: readonly TraceConsumer[];
  /** Run on live UDP sockets instead of the simulator (`--transport udp`). */
  readonly live?: LiveTransport;
  /** The causality checker: on (default) or off (for huge runs). */
  readonly checker?: 'on' | 'off';
  /** Scope of the checker's headline figures (default `all`). */
  readonly scope?: CheckScope;
  /** Which pairs orderings.csv lists (default `sends`); written only with outputs `all`. */
  readonly orderings?: OrderingsMode;
  /** orderings.csv is skipped (with a note) above this many rows. */
  readonly orderingsLimit?: number;
  /** Limit on the checker's kept cells (events x nodes); see src/check/checker.ts. */
  readonly checkerMaxCells?: number;
  /** Write diagram.svg, report.html and shiviz.log (default: true with outputs `all`). */
  readonly visuals?: boolean;
  /** Cut the pictures to a time window and a set of lanes (default: the whole run). */
  readonly visualSlice?: SliceOptions;
  /** Nodes that are a real program, in place of the scenario's `program:` (docs/programs.md). */
  readonly program?: ProgramField;
  /** With a program: clock snapshots the program printed are added here (vcsim diff compares only those). */
  readonly printedClocks?: (printed: WeakSet<object>) => void;
  /** Told every datagram a node broadcasts, as it does (vcsim diff); vector clock rules only. */
  readonly transmitted?: (node: string, payload: string) => void;
  /** events.csv with its `clock_before` column (format 1; `--events-clock-before`); default false. */
  readonly eventsClockBefore?: boolean;
}

export interface Timing {
  readonly wall_ms: number;
  readonly events_per_second: number;
  readonly receives_per_second: number;
}

export interface RunResult {
  readonly header: TraceHeader;
  readonly summary: Summary;
  readonly timing: Timing;
  readonly expectations: ExpectationResult[];
  readonly outDir: string | null;
  readonly files: string[];
  /** Whether the pictures were drawn whole, only a part of the run (too large: see `focus`), or not asked for. */
  readonly pictures: 'drawn' | 'part' | 'none';
  /** report.html's path, when written. */
  readonly report: string | null;
  /** With pictures `part`: the part diagram.svg shows, and why. */
  readonly focus: Focus | null;
  /** What went wrong with program nodes that the run went on without (program.on_error: continue). */
  readonly programProblems: readonly ProgramProblem[];
}

export function traceHeader(loaded: LoadedScenario, seed: number): TraceHeader {
  const scenario = loaded.scenario;
  const schedule = drawSchedule(scenario, seed);
  return {
    type: 'header',
    vcsim: VERSION,
    format: TRACE_FORMAT,
    transport: 'sim',
    replayable: true,
    seed,
    clock: scenario.clock,
    nodes: scenario.names,
    scenario: loaded.input,
    faults: schedule.records,
    ...(schedule.profile !== undefined ? { fault_profile: schedule.profile } : {}),
    ...physicalClocksRecord(scenario.names, drawPhysicalClocks(scenario, seed)),
  };
}

function physicalClocksRecord(names: readonly string[], clocks: readonly PhysicalClock[] | undefined): Pick<TraceHeader, 'physical_clocks'> {
  if (clocks === undefined) return {};
  const rec: Record<string, { offset_us: number; drift_ppm: number }> = {};
  names.forEach((n, i) => { rec[n] = { offset_us: clocks[i].offset, drift_ppm: clocks[i].driftPpm }; });
  return { physical_clocks: rec };
}

/** The header of a live run: wall-clock times, not replayable, where it ran. */
export function liveHeader(loaded: LoadedScenario, seed: number, t: LiveTransport): TraceHeader {
  const o = liveOptions(loaded, seed, t);
  return { ...traceHeader(loaded, seed), transport: 'udp', replayable: false, live: { port: o.endpoint.port, address: o.endpoint.address, time_scale: o.timeScale } };
}

/** Runs a scenario in the simulator (or on live sockets, see `live`) and writes its outputs. */
export async function runScenario(opts: RunOptions): Promise<RunResult> {
  const { loaded, seed, outDir } = opts;
  const outputs = opts.outputs ?? 'all';
  const orderings: OrderingsMode = outDir === null || outputs === 'none' ? 'none' : opts.orderings ?? 'sends';
  const header = opts.live === undefined ? traceHeader(loaded, seed) : liveHeader(loaded, seed, opts.live);
  const summary = new SummaryConsumer();
  // The digest needs the whole trace text; --outputs none skips it unless asked, for speed.
  const digest = opts.digest ?? outputs === 'all' ? new DigestConsumer() : null;
  const anomalies = new AnomalyDetector();
  // A large run's verdicts are counted on a worker thread beside the simulation (src/check/counting.ts).
  const checker = new CausalityChecker({ scope: opts.scope ?? 'all', keepReceives: orderings === 'all', enabled: opts.checker !== 'off', maxCells: opts.checkerMaxCells, worker: true });
  const consumers: TraceConsumer[] = [summary, ...(digest ? [digest] : []), anomalies, checker, ...(opts.consumers ?? [])];
  const files: string[] = [];
  let folder: RunFolder | null = null;
  if (outDir !== null) {
    mkdirSync(outDir, { recursive: true });
    // docs/outputs.md, "One run per folder": another run's files go before the first write.
    folder = new RunFolder(outDir);
  }
  try {
    return await runInto(opts, folder, { header, summary, digest, anomalies, checker, consumers, files, outputs, orderings });
  } catch (e) {
    checker.close();
    folder?.abort();
    throw e;
  }
}

interface RunParts {
  header: TraceHeader;
  summary: SummaryConsumer;
  digest: DigestConsumer | null;
  anomalies: AnomalyDetector;
  checker: CausalityChecker;
  consumers: TraceConsumer[];
  files: string[];
  outputs: OutputsMode;
  orderings: OrderingsMode;
}

async function runInto(opts: RunOptions, folder: RunFolder | null, parts: RunParts): Promise<RunResult> {
  const { loaded, seed, outDir } = opts;
  const { header, summary, digest, anomalies, checker, consumers, files, outputs, orderings } = parts;
  if (folder !== null && outputs === 'all') {
    consumers.push(new JsonlWriter(folder.file('trace.jsonl')), new EventsCsv(folder.file('events.csv'), { clockBefore: opts.eventsClockBefore }), new MessagesCsv(folder.file('messages.csv')));
    files.push('trace.jsonl', 'events.csv', 'messages.csv');
  }
  // The pictures ride along as one more consumer; it keeps at most DRAW_LIMITS events.
  // The report's overview listens to the summary's clock-size counter and bins the
  // checker's verdicts (docs/pictures.md, "report.html").
  const visuals = outDir !== null && outputs === 'all' && opts.visuals !== false ? new VisualsConsumer(opts.visualSlice, summary.clockSize) : null;
  if (visuals !== null) {
    consumers.push(visuals);
    checker.wantDetail(() => visuals.overview.verdictSpec());
  }
  const bus = new TraceBus(consumers);
  const started = performance.now();
  bus.header(header);
  const field = opts.program ?? loaded.scenario.program;
  // docs/programs.md, "Scenarios with programs": only the simulator runs programs.
  if (field !== undefined && opts.live !== undefined) throw userError('program', 'expected a simulated run: a scenario with program: runs its programs only under the simulator, not on live sockets');
  const programs = field === undefined ? null : new ProgramRun(programPlan(field, process.cwd()));
  if (programs !== null) opts.printedClocks?.(programs.printed);
  try {
    const makeNode = nodeFactory(loaded.scenario.clock, programs, opts.transmitted);
    if (opts.live === undefined) await simulate({ scenario: loaded.scenario, seed, clock: loaded.scenario.clock, ...(makeNode !== undefined ? { makeNode } : {}) }, bus);
    else await runLive(liveOptions(loaded, seed, opts.live), bus);
  } finally {
    await programs?.close();
  }
  await bus.end();
  const wallMs = performance.now() - started;
  if (folder !== null && outputs === 'all') {
    await writeAnomaliesCsv(folder.file('anomalies.csv'), anomalies.anomalies);
    files.push('anomalies.csv');
  }
  const orderingsFigures = await writeOrderings(checker, orderings, folder, opts.orderingsLimit ?? DEFAULT_ORDERINGS_LIMIT);
  if (orderingsFigures.written) files.push('orderings.csv');
  const s = assembleSummary(summary.figures(), {
    digest: digest ? digest.digest : null,
    anomalies: anomalies.anomalies,
    anomalyCounts: anomalies.counts(),
    anomalyNotes: anomalies.notes,
    checker: checker.result(),
    orderings: orderingsFigures,
  });
  // The checker's kept events (tens of MB at the headline's size) are not needed past here.
  checker.detail();
  checker.release();
  const timing: Timing = {
    wall_ms: Math.round(wallMs * 1000) / 1000,
    events_per_second: Math.round(s.events / Math.max(wallMs / 1000, 1e-9)),
    receives_per_second: Math.round(s.receives / Math.max(wallMs / 1000, 1e-9)),
  };
  const expectations = checkExpectations(s, loaded.scenario.expect);
  let pictures: RunResult['pictures'] = 'none';
  let report: string | null = null;
  let focus: Focus | null = null;
  if (folder !== null && outDir !== null) {
    folder.write('summary.json', JSON.stringify(s, null, 2) + '\n');
    folder.write('timing.json', JSON.stringify(timing, null, 2) + '\n');
    files.push('summary.json', 'timing.json');
    if (visuals !== null) {
      const overview = visuals.overview.data(anomalies.anomalies, checker.detail());
      const p = await writeVisuals(outDir, visuals.slice(), { summary: s, expectations, overview, anomalies: anomalies.anomalies, traceFile: join(outDir, 'trace.jsonl'), folder: outDir });
      files.push(...p.files);
      folder.adopt(p.files);
      pictures = p.focus === null ? 'drawn' : 'part';
      focus = p.focus;
      report = join(outDir, 'report.html');
    }
    folder.finish({ vcsim: VERSION, seed, scenario: String(loaded.scenario.name), digest: s.digest });
    files.push('manifest.json');
  }
  return { header, summary: s, timing, expectations, outDir, files, pictures, report, focus, programProblems: programs?.problems ?? [] };
}

/** Writes orderings.csv when its scope is listed and small enough; says what it holds or why not. */
async function writeOrderings(checker: CausalityChecker, scope: OrderingsMode, folder: RunFolder | null, limit: number): Promise<OrderingsFigures> {
  const figures: OrderingsFigures = { scope, written: false, rows: 0, note: '' };
  if (scope === 'none' || folder === null) return figures;
  if (!checker.canList(scope)) {
    figures.note = `orderings.csv not written: ${checker.why || 'the checker kept no events'}`;
  } else if (checker.pairCount(scope) > limit) {
    figures.note = `orderings.csv not written: ${checker.pairCount(scope)} pairs in scope ${scope} exceed the limit of ${limit} rows (--orderings-limit)`;
  } else {
    figures.rows = await writeOrderingsCsv(folder.file('orderings.csv'), checker.pairs(scope), (slot) => checker.nodeName(slot));
    figures.written = true;
  }
  return figures;
}
