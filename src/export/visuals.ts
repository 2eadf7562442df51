// The pictures of a run, as files: diagram.svg, report.html and shiviz.log. Two ways in:
// VisualsConsumer rides along a live run (it keeps a bounded slice, see slice.ts), and
// readRunSlice reads an existing run folder's trace.jsonl. Both end in writeVisuals.
//
// When the slice is past DRAW_LIMITS only diagram.svg is written, holding a note that says
// how to cut the run to a readable slice with `vcsim render --window --nodes-shown`.

import { join } from 'node:path';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { isHeader, readTrace } from '../trace/read.js';
import { writeFileAtomic } from '../util/atomic.js';
import { toPlain, type PlainEvent } from './plain.js';
import { renderReport, type ReportExtras } from './report-html.js';
import { renderShiviz } from './shiviz.js';
import { SliceBuilder, type RunSlice, type SliceOptions } from './slice.js';
import { renderSvg } from './svg.js';

export const VISUAL_FILES = ['diagram.svg', 'report.html', 'shiviz.log'] as const;

export class VisualsConsumer implements TraceConsumer {
  private builder: SliceBuilder | null = null;

  constructor(private readonly opts: SliceOptions = {}) {}

  header(h: TraceHeader): void {
    this.builder = new SliceBuilder(h, this.opts);
  }

  event(e: TraceEvent): void {
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

/** Reads a run folder's trace.jsonl (format 1 or 2) into a slice; `progress` hears the line count now and then. */
export async function readRunSlice(traceFile: string, opts: SliceOptions = {}, progress?: (lines: number) => void): Promise<RunSlice> {
  let builder: SliceBuilder | null = null;
  let lines = 0;
  for await (const { value } of readTrace(traceFile)) {
    if (progress !== undefined && ++lines % 100_000 === 0) progress(lines);
    if (isHeader(value)) builder = new SliceBuilder(value, opts);
    else if (builder === null) throw new Error(`${traceFile}: the first line is not a trace header`);
    else builder.add(value as unknown as PlainEvent);
  }
  if (builder === null) throw new Error(`${traceFile}: empty trace`);
  return builder.finish();
}

/** Writes the pictures of a slice into `dir`; returns the names written. */
export function writeVisuals(dir: string, slice: RunSlice, extras: ReportExtras, folderHint: string = dir): string[] {
  writeFileAtomic(join(dir, 'diagram.svg'), renderSvg(slice, folderHint));
  if (slice.tooLarge) return ['diagram.svg'];
  writeFileAtomic(join(dir, 'report.html'), renderReport(slice, extras));
  writeFileAtomic(join(dir, 'shiviz.log'), renderShiviz(slice));
  return [...VISUAL_FILES];
}
