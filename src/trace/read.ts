// Reading a trace.jsonl back: the header and the events, streamed line by line.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TraceHeader } from './events.js';

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

export function isHeader(v: Record<string, unknown>): v is Record<string, unknown> & TraceHeader {
  return v.type === 'header';
}
