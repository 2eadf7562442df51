// The pictures of a run, as files: diagram.svg, report.html and shiviz.log (docs/pictures.md).
// Two ways in: VisualsConsumer rides along a live run (it keeps a bounded slice, see
// slice.ts, and the overview's bins, see overview.ts), and readRunPictures reads an existing
// run folder's trace.jsonl. Both end in writeVisuals.
//
// When the slice is past DRAW_LIMITS, the diagram shows a part of it chosen by focus.ts
// (read back from trace.jsonl: a second pass, only then), says which part and how to draw
// others; report.html still shows the whole run in bins. shiviz.log is written only when
// the whole slice is drawn.

import { join } from 'node:path';
import { AnomalyDetector, type Anomaly } from '../check/anomalies.js';
import { CausalityChecker, type CheckScope } from '../check/checker.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { isHeader, readTraceLines } from '../trace/read.js';
import { writeFileAtomic } from '../util/atomic.js';
import { ClockSizeConsumer } from './clock-size.js';
import { chooseFocus, renderCommand, type Focus } from './focus.js';
import { OverviewConsumer, type OverviewData } from './overview.js';
import { toPlain, type PlainEvent } from './plain.js';
import { renderReport, type ReportExtras } from './report-html.js';
import { renderShiviz } from './shiviz.js';
import { SliceBuilder, type RunSlice, type SliceOptions } from './slice.js';
import { fmtTime, renderSvg, type DiagramCaption } from './svg.js';

export const VISUAL_FILES = ['diagram.svg', 'report.html', 'shiviz.log'] as const;

export class VisualsConsumer implements TraceConsumer {
  private builder: SliceBuilder | null = null;
  readonly overview: OverviewConsumer;

  /** `clockSize`: the summary's counter, which the overview listens to (it counts no second time). */
  constructor(private readonly opts: SliceOptions = {}, clockSize: ClockSizeConsumer | null = null) {
    this.overview = new OverviewConsumer(clockSize, clockSize === null ? new ClockSizeConsumer() : null);
  }

  header(h: TraceHeader): void {
    this.builder = new SliceBuilder(h, this.opts);
    this.overview.header(h);
  }

  event(e: TraceEvent): void {
    this.overview.event(e);
    const b = this.builder;
    if (b === null) return;
    // Once the run is too large to draw, events are only counted, never converted or kept.
    if (b.tooLarge) b.countOnly(e);
    else b.add(toPlain(e));
  }

  slice(): RunSlice {
    if (this.builder === null) throw new Error('VisualsConsumer: no header seen');
    return this.builder.finish();
  }
}

/** Reads a run folder's trace.jsonl into a slice; `progress` hears the line count now and then. */
export async function readRunSlice(traceFile: string, opts: SliceOptions = {}, progress?: (lines: number) => void, also: readonly TraceConsumer[] = []): Promise<RunSlice> {
  let builder: SliceBuilder | null = null;
  let lines = 0;
  for await (const { value } of readTraceLines(traceFile)) {
    if (progress !== undefined && ++lines % 100_000 === 0) progress(lines);
    if (isHeader(value)) {
      builder = new SliceBuilder(value, opts);
      for (const c of also) c.header?.(value, '');
    } else if (builder === null) throw new Error(`${traceFile}: the first line is not a trace header`);
    else {
      builder.add(value as unknown as PlainEvent);
      for (const c of also) c.event(value as unknown as TraceEvent, '');
    }
  }
  if (builder === null) throw new Error(`${traceFile}: empty trace`);
  for (const c of also) await c.end?.();
  return builder.finish();
}

/** A run folder's slice and overview, from trace.jsonl alone (the checker and anomalies recomputed). */
export async function readRunPictures(traceFile: string, opts: SliceOptions, check: { scope: CheckScope; enabled: boolean }, progress?: (lines: number) => void): Promise<{ slice: RunSlice; overview: OverviewData; anomalies: readonly Anomaly[] }> {
  const overview = new OverviewConsumer(null, new ClockSizeConsumer());
  const anomalies = new AnomalyDetector();
  const checker = new CausalityChecker(check);
  checker.wantDetail(() => overview.verdictSpec());
  const slice = await readRunSlice(traceFile, opts, progress, [overview, anomalies, checker]);
  return { slice, overview: overview.data(anomalies.anomalies, checker.detail()), anomalies: anomalies.anomalies };
}

export interface PictureInputs extends ReportExtras {
  readonly overview: OverviewData;
  readonly anomalies: readonly Anomaly[];
  /** trace.jsonl, to read the part drawn when the whole slice is too large. */
  readonly traceFile: string;
  /** The run folder as commands should name it. */
  readonly folder: string;
}

export interface Pictures {
  readonly files: string[];
  /** The slice drawn: the one asked for, or the part focus.ts chose. */
  readonly drawn: RunSlice;
  /** Set when the slice asked for was too large and a part of it is drawn instead. */
  readonly focus: Focus | null;
}

/** Writes the pictures of a slice into `dir`. */
export async function writeVisuals(dir: string, slice: RunSlice, inp: PictureInputs): Promise<Pictures> {
  let drawn = slice;
  let focus: Focus | null = null;
  let caption: DiagramCaption | null = null;
  if (slice.tooLarge) {
    focus = chooseFocus(inp.overview, slice.nodes, inp.anomalies, slice.window);
    drawn = await readRunSlice(inp.traceFile, { window: focus.window, nodes: focus.nodes });
    caption = {
      what: `Too large to draw whole (${slice.count} events on ${slice.nodes.length} lanes): shown ${fmtTime(focus.window[0])}..${fmtTime(focus.window[1])} on ${focus.nodes.length} lanes, ${focus.why}.`,
      command: renderCommand(inp.folder, focus.window, focus.nodes) + '   (change --window and --nodes-shown)',
    };
  }
  writeFileAtomic(join(dir, 'diagram.svg'), renderSvg(drawn, inp.folder, caption));
  writeFileAtomic(join(dir, 'report.html'), renderReport(drawn, { ...inp, whole: slice, caption }));
  if (slice.tooLarge) return { files: ['diagram.svg', 'report.html'], drawn, focus };
  writeFileAtomic(join(dir, 'shiviz.log'), renderShiviz(slice));
  return { files: [...VISUAL_FILES], drawn, focus };
}
