// The programmatic API: what the CLI calls, and what tests and other programs can call.
// It wires a loaded scenario to a driver and the trace consumers, and returns results as
// values; it never reads argv, prints, or sets exit codes (that is src/cli's job).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkExpectations, type ExpectationResult } from './check/expect.js';
import { EventsCsv, MessagesCsv } from './export/csv.js';
import { JsonlWriter } from './export/jsonl.js';
import { writeFileAtomic } from './export/atomic.js';
import { SummaryConsumer, type Summary } from './export/summary.js';
import type { LoadedScenario } from './scenario/load.js';
import { drawFaults, simulate } from './sim/driver.js';
import { TraceBus, type TraceConsumer } from './trace/bus.js';
import { DigestConsumer } from './trace/digest.js';
import { TRACE_FORMAT, type TraceHeader } from './trace/events.js';
import { VERSION } from './version.js';
import { liveOptions, type LiveTransport } from './live.js';
import { runLive } from './transport/driver.js';

export { loadScenarioFile, loadScenarioText, loadScenarioData, type Override, type LoadedScenario } from './scenario/load.js';
export { UserError, formatProblem, type Problem } from './scenario/problems.js';
export type { Summary } from './export/summary.js';
export { VERSION } from './version.js';
export type { LiveTransport } from './live.js';
export { validate, type ValidateOptions, type ValidateResult, type VerdictConsumer } from './validate.js';

export type OutputsMode = 'all' | 'none';

export interface RunOptions {
  readonly loaded: LoadedScenario;
  readonly seed: number;
  /** Folder for the output files; null writes nothing. */
  readonly outDir: string | null;
  /** `none` writes only summary.json and timing.json. */
  readonly outputs?: OutputsMode;
  /** Extra consumers of the trace (tests, the checker). */
  readonly consumers?: readonly TraceConsumer[];
  /** Run on live UDP sockets instead of the simulator (`--transport udp`). */
  readonly live?: LiveTransport;
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
}

export function traceHeader(loaded: LoadedScenario, seed: number): TraceHeader {
  const sc = loaded.scenario;
  const schedule = drawFaults(sc, seed);
  return {
    type: 'header',
    vcsim: VERSION,
    format: TRACE_FORMAT,
    transport: 'sim',
    replayable: true,
    seed,
    clock: sc.clock,
    nodes: sc.names,
    scenario: loaded.input,
    faults: schedule.records,
    ...(schedule.profile !== undefined ? { fault_profile: schedule.profile } : {}),
  };
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
  const header = opts.live === undefined ? traceHeader(loaded, seed) : liveHeader(loaded, seed, opts.live);
  const summary = new SummaryConsumer();
  // The digest needs the whole trace text; --outputs none skips it, for speed.
  const digest = outputs === 'all' ? new DigestConsumer() : null;
  const consumers: TraceConsumer[] = [summary, ...(digest ? [digest] : []), ...(opts.consumers ?? [])];
  const files: string[] = [];
  if (outDir !== null) {
    mkdirSync(outDir, { recursive: true });
    if (outputs === 'all') {
      consumers.push(new JsonlWriter(join(outDir, 'trace.jsonl')), new EventsCsv(join(outDir, 'events.csv')), new MessagesCsv(join(outDir, 'messages.csv')));
      files.push('trace.jsonl', 'events.csv', 'messages.csv');
    }
  }
  const bus = new TraceBus(consumers);
  const started = performance.now();
  bus.header(header);
  if (opts.live === undefined) await simulate({ scenario: loaded.scenario, seed, clock: loaded.scenario.clock }, bus);
  else await runLive(liveOptions(loaded, seed, opts.live), bus);
  await bus.end();
  const wallMs = performance.now() - started;
  summary.s.digest = digest ? digest.digest : null;
  const s = summary.s;
  const timing: Timing = {
    wall_ms: Math.round(wallMs * 1000) / 1000,
    events_per_second: Math.round(s.events / Math.max(wallMs / 1000, 1e-9)),
    receives_per_second: Math.round(s.receives / Math.max(wallMs / 1000, 1e-9)),
  };
  const expectations = checkExpectations(s, loaded.scenario.expect);
  if (outDir !== null) {
    writeFileAtomic(join(outDir, 'summary.json'), JSON.stringify(s, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'timing.json'), JSON.stringify(timing, null, 2) + '\n');
    files.push('summary.json', 'timing.json');
  }
  return { header, summary: s, timing, expectations, outDir, files };
}
