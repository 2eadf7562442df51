// Reading a trace.jsonl back: the header and the events, streamed line by line.
// readTraceLines gives each line as written (either format); readTrace expands format 2 to
// format 1 as it goes (src/trace/expand.ts), which is what every reader of events wants.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TraceHeader } from './events.js';
import { TraceExpander } from './expand.js';

export interface TraceLine {
  readonly text: string;
  readonly value: Record<string, unknown>;
}

export async function* readTraceLines(file: string): AsyncGenerator<TraceLine> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of rl) {
    if (text === '') continue;
    yield { text, value: JSON.parse(text) as Record<string, unknown> };
  }
}

/**
 * The lines of a trace of either format, as format 1 has them: names for ids and every
 * node event's clocks whole (`before`, `after`). `text` is the line's format-1 text.
 * `clocksOf`, when given, says from a line's time (`t`) whether its clocks are wanted: a
 * format-2 line that is not wanted comes without `before`/`after` and without its text
 * (expanding every clock of a long trace makes garbage by the hundred megabytes).
 */
export async function* readTrace(file: string, clocksOf?: (t: number) => boolean): AsyncGenerator<TraceLine> {
  const x = new TraceExpander(file);
  for await (const { text, value } of readTraceLines(file)) {
    const e = x.expandValue(value, text, clocksOf === undefined || typeof value.t !== 'number' || clocksOf(value.t));
    yield { get text() { return e.text(); }, value: e.value };
  }
}

export function isHeader(v: Record<string, unknown>): v is Record<string, unknown> & TraceHeader {
  return v.type === 'header';
}
