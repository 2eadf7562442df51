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
import { VisualsConsumer, writeVisuals } from './export/visuals.js';
import type { SliceOptions } from './export/slice.js';

export { loadScenarioFile, loadScenarioText, loadScenarioData, type Override, type LoadedScenario } from './scenario/load.js';
export { UserError, formatProblem, type Problem } from './scenario/problems.js';
export type { Summary } from './export/summary.js';
export { VERSION } from './version.js';
export { renderRun, parseWindow, type RenderOptions, type RenderResult } from './render.js';

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
  /** Write diagram.svg, report.html and shiviz.log (default: true with outputs `all`). */
  readonly visuals?: boolean;
  /** Cut the pictures to a time window and a set of lanes (default: the whole run). */
  readonly visualSlice?: SliceOptions;
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
  /** Whether the pictures were drawn, replaced by a too-large note, or not asked for. */
  readonly pictures: 'drawn' | 'too_large' | 'none';
}

export function traceHeader(loaded: LoadedScenario, seed: number): TraceHeader {
  const sc = loaded.scenario;
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
    faults: drawFaults(sc, seed).records,
  };
}

/** Runs a scenario in the simulator and writes its outputs. */
export async function runScenario(opts: RunOptions): Promise<RunResult> {
  const { loaded, seed, outDir } = opts;
  const outputs = opts.outputs ?? 'all';
  const header = traceHeader(loaded, seed);
  const summary = new SummaryConsumer();
  const digest = new DigestConsumer();
  const consumers: TraceConsumer[] = [summary, digest, ...(opts.consumers ?? [])];
  const files: string[] = [];
  if (outDir !== null) {
    mkdirSync(outDir, { recursive: true });
    if (outputs === 'all') {
      consumers.push(new JsonlWriter(join(outDir, 'trace.jsonl')), new EventsCsv(join(outDir, 'events.csv')), new MessagesCsv(join(outDir, 'messages.csv')));
      files.push('trace.jsonl', 'events.csv', 'messages.csv');
    }
  }
  // The pictures ride along as one more consumer; it keeps at most DRAW_LIMITS events.
  const visuals = outDir !== null && outputs === 'all' && opts.visuals !== false ? new VisualsConsumer(opts.visualSlice) : null;
  if (visuals !== null) consumers.push(visuals);
  const bus = new TraceBus(consumers);
  const started = performance.now();
  bus.header(header);
  await simulate({ scenario: loaded.scenario, seed, clock: loaded.scenario.clock }, bus);
  await bus.end();
  const wallMs = performance.now() - started;
  summary.s.digest = digest.digest;
  const s = summary.s;
  const timing: Timing = {
    wall_ms: Math.round(wallMs * 1000) / 1000,
    events_per_second: Math.round(s.events / Math.max(wallMs / 1000, 1e-9)),
    receives_per_second: Math.round(s.receives / Math.max(wallMs / 1000, 1e-9)),
  };
  const expectations = checkExpectations(s, loaded.scenario.expect);
  let pictures: RunResult['pictures'] = 'none';
  if (outDir !== null) {
    writeFileAtomic(join(outDir, 'summary.json'), JSON.stringify(s, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'timing.json'), JSON.stringify(timing, null, 2) + '\n');
    files.push('summary.json', 'timing.json');
    if (visuals !== null) {
      const slice = visuals.slice();
      files.push(...writeVisuals(outDir, slice, { summary: s, expectations }));
      pictures = slice.tooLarge ? 'too_large' : 'drawn';
    }
  }
  return { header, summary: s, timing, expectations, outDir, files, pictures };
}
