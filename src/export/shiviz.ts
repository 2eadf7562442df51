// shiviz.log: the run's chat events in the log format ShiViz parses, GoVector's variant: the
// first line is the parsing regular expression, the second is empty (no multi-execution
// delimiter), then two lines per event:
//   <host> <vector clock as JSON>
//   <event text>
//
// ShiViz accepts only clocks in which each host's own entry rises by exactly one per logged
// event, starting at 1, and which name only hosts that have events. The clocks the nodes kept
// break those rules (seed receives do not count), so the clocks here are the truth's (see
// causal.ts), projected onto the events logged: for a host h with logged events h1..hk, an
// event's entry for h is how many of h1..hk happened before it or are it. The run's own clock
// under test goes into the event text (`clock=...`), with the time and the message.

import { clockText, type PlainEvent } from './plain.js';
import type { RunSlice } from './slice.js';
import { fmtTime } from './svg.js';

export const SHIVIZ_REGEX = String.raw`(?<host>\S*) (?<clock>{.*})\n(?<event>.*)`;

/**
 * A node name as a ShiViz host: the host is read up to the first space, so whitespace (and
 * "%", to stay one-to-one) is written as %XX, and an empty name as "%". Only names allowed
 * by `fragile_names: true` change (docs/pictures.md, "shiviz.log").
 */
export function shivizHost(name: string): string {
  if (name === '') return '%';
  return name.replace(/[\s%]/gu, (c) => [...new TextEncoder().encode(c)].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''));
}

export function renderShiviz(slice: RunSlice): string {
  const shown = new Set(slice.nodes);
  const logged = slice.events.filter((e): e is Extract<PlainEvent, { ev: number }> =>
    'ev' in e && slice.truth.has(e.ev) && shown.has(e.node));
  // Each host's first logged own count, and how many events it logs.
  const first = new Map<string, number>();
  const count = new Map<string, number>();
  for (const e of logged) {
    const own = (slice.truth.get(e.ev) as Record<string, number>)[e.node];
    if (!first.has(e.node)) first.set(e.node, own);
    count.set(e.node, (count.get(e.node) ?? 0) + 1);
  }
  const lines = [SHIVIZ_REGEX, ''];
  for (const e of logged) {
    const v = slice.truth.get(e.ev) as Record<string, number>;
    const clock: Record<string, number> = {};
    for (const h of slice.nodes) {
      const f = first.get(h);
      if (f === undefined || v[h] === undefined) continue;
      const c = Math.min(v[h] - f + 1, count.get(h) as number);
      if (c >= 1) clock[shivizHost(h)] = c;
    }
    lines.push(`${shivizHost(e.node)} ${JSON.stringify(clock)}`, eventText(e));
  }
  return lines.join('\n') + '\n';
}

function eventText(e: Extract<PlainEvent, { ev: number }>): string {
  const parts: string[] = [e.type];
  if ('msg' in e) parts.push(`msg=${e.msg}`);
  if ('from' in e) parts.push(`from=${e.from}`);
  if ('copy' in e && e.copy > 0) parts.push('duplicate');
  parts.push(`t=${fmtTime(e.t)}`, `ev=${e.ev}`, `clock=${clockText(e.after)}`);
  if (e.type === 'send') parts.push(`text=${JSON.stringify(e.text)}`);
  if (e.type === 'receiver_died') parts.push(`died=${e.cause}`);
  // One line per event, whatever the chat text holds.
  return parts.join(' ').replace(/[\r\n\u2028\u2029]/g, ' ');
}
