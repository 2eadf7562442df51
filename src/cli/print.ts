// The human summary of a run, as `vcsim run` prints it.

import type { RunResult } from '../index.js';
import { seconds } from '../scenario/duration.js';

export function printSummary(r: RunResult, reproduce: string): void {
  const s = r.summary;
  const d = s.deliveries;
  const kv = (o: Record<string, number>): string => Object.entries(o).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const lines = [
    `vcsim run ${s.scenario}: ${s.nodes} nodes, clock ${s.clock}, seed ${s.seed}`,
    `  simulated   ${seconds(s.sim_time_us)}, ${s.events} events, ${s.messages} datagrams broadcast`,
    `  chat        ${s.sends} sends, ${s.receives} receives (${s.duplicates} of duplicates), delivery ratio ${s.delivery_ratio}`,
    `  handshake   ${s.handshake.announcements} announcements, ${s.handshake.replies} replies, ${s.handshake.reply_seen} replies seen`,
    `  deliveries  ${d.attempts} attempts: ${d.delivered} delivered, ${d.duplicate} duplicate, ${d.own} own, ${d.ignored} ignored, ${d.fatal} fatal`,
    `  drops       ${kv(s.drops_by_reason)}`,
    `  anomalies   ${kv(s.anomalies)}${Object.keys(s.receiver_deaths).length > 0 ? ` (deaths: ${kv(s.receiver_deaths)})` : ''}`,
    `  wire        ${s.bytes.total} bytes: ${s.bytes.per_chat_message} per chat message, ${s.bytes.per_handshake} per handshake`,
    `  wall        ${(r.timing.wall_ms / 1000).toFixed(3)}s, ${r.timing.events_per_second.toLocaleString('en-US')} events/s`,
    `  output      ${r.outDir ?? '(none)'}${r.outDir ? ' (' + r.files.join(', ') + ')' : ''}`,
    ...(r.pictures === 'too_large' ? ['  pictures    too large to draw readably: diagram.svg says how to cut it (vcsim render --window --nodes-shown)'] : []),
    `  digest      ${s.digest}`,
    `  reproduce   ${reproduce}`,
  ];
  const ex = r.expectations;
  if (ex.length > 0) lines.push(`  expect      ${ex.filter((e) => e.ok).length}/${ex.length} held`);
  process.stdout.write(lines.join('\n') + '\n');
}
