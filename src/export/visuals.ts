// The pictures of a run, as files: diagram.svg, report.html and shiviz.log (docs/pictures.md).
// Two ways in: VisualsConsumer rides along a live run (it keeps a bounded slice, see
// slice.ts, and the overview's bins, see overview.ts), and readRunPictures reads an existing
// run folder's trace.jsonl. Both end in writeVisuals.
//
// When the slice is past DRAW_LIMITS, the diagram shows a part of it chosen by focus.ts
// (read back from trace.jsonl: a second pass, only then), says which part and how to draw
// others; report.html still shows the whole run in bins. shiviz.log is written only when
// the whole slice is drawn.

import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { AnomalyDetector, type Anomaly } from '../check/anomalies.js';
import { CausalityChecker, type CheckScope } from '../check/checker.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { isHeader, readTrace } from '../trace/read.js';
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
  // A simulated trace is in time order: with nothing else to feed, reading stops past the window.
  let stopAt = Number.MAX_SAFE_INTEGER;
  // Alone, the slice reads the clocks of its window only (the truth needs no clocks).
  const from = opts.window?.[0] ?? 0, to = opts.window?.[1] ?? Number.MAX_SAFE_INTEGER;
  const clocksOf = also.length === 0 && opts.window ? (t: number): boolean => t >= from && t <= to : undefined;
  for await (const { value } of readTrace(traceFile, clocksOf)) {
    if (progress !== undefined && ++lines % 100_000 === 0) progress(lines);
    if (isHeader(value)) {
      builder = new SliceBuilder(value, opts);
      if (also.length === 0 && value.transport === 'sim' && opts.window) stopAt = opts.window[1];
      for (const c of also) c.header?.(value, '');
    } else if (builder === null) throw new Error(`${traceFile}: the first line is not a trace header`);
    else if ((value.t as number) > stopAt) {
      builder.seen(value.t as number);
      break;
    }
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

/**
 * report.html and diagram.svg stay under this many bytes: a slice whose drawing would pass it
 * (many events with wide vector clocks in their titles) is drawn in part, as a too-large one.
 */
export const PICTURE_BYTES = 4_500_000;

/** Past this many nodes, the part drawn of a large run has no truth (docs/pictures.md, "When a run is too large"). */
export const TRUTH_NODES = 2000;

interface Drawing { readonly drawn: RunSlice; readonly focus: Focus | null; readonly svg: string; readonly report: string }

function draw(drawn: RunSlice, slice: RunSlice, focus: Focus | null, inp: PictureInputs): Drawing {
  const caption: DiagramCaption | null = focus === null ? null : {
    what: `Too large to draw whole (${slice.count} events on ${slice.nodes.length} lanes): shown ${fmtTime(focus.window[0])}..${fmtTime(focus.window[1])} on ${focus.nodes.length} lanes, ${focus.why}.`,
    command: renderCommand(inp.folder, focus.window, focus.nodes) + '   (change --window and --nodes-shown)',
  };
  return { drawn, focus, svg: renderSvg(drawn, inp.folder, caption), report: renderReport(drawn, { ...inp, whole: slice, caption }) };
}

const fits = (d: Drawing): boolean => Buffer.byteLength(d.svg) <= PICTURE_BYTES && Buffer.byteLength(d.report) <= PICTURE_BYTES;

/**
 * The slice drawn whole if it is within the limits, else a part of it (focus.ts), read back
 * from trace.jsonl and halved around its centre until its pictures fit in PICTURE_BYTES.
 */
async function drawing(slice: RunSlice, inp: PictureInputs): Promise<Drawing> {
  if (!slice.tooLarge) {
    const whole = draw(slice, slice, null, inp);
    if (fits(whole)) return whole;
  }
  let focus = chooseFocus(inp.overview, slice.nodes, inp.anomalies, slice.window);
  for (;;) {
    const part = { window: focus.window, nodes: focus.nodes, truth: slice.header.nodes.length <= TRUTH_NODES };
    const d = draw(await readRunSlice(inp.traceFile, part), slice, focus, inp);
    const [w0, w1] = focus.window;
    if (fits(d) || w1 - w0 <= 2000) return d;
    const mid = Math.round((w0 + w1) / 2), quarter = Math.round((w1 - w0) / 4);
    focus = { ...focus, window: [mid - quarter, mid + quarter] };
  }
}

/** Writes the pictures of a slice into `dir`. */
export async function writeVisuals(dir: string, slice: RunSlice, inp: PictureInputs): Promise<Pictures> {
  const d = await drawing(slice, inp);
  writeFileAtomic(join(dir, 'diagram.svg'), d.svg);
  writeFileAtomic(join(dir, 'report.html'), d.report);
  if (d.focus !== null) return { files: ['diagram.svg', 'report.html'], drawn: d.drawn, focus: d.focus };
  writeFileAtomic(join(dir, 'shiviz.log'), renderShiviz(slice));
  return { files: [...VISUAL_FILES], drawn: d.drawn, focus: null };
}
