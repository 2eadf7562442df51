// The human summary of a run, as `vcsim run` prints it.

import { seconds, type ProgramProblem, type RunResult, type Summary, type VerdictCounts } from '../api/index.js';

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
    `  faults      ${kv(s.faults)}`,
    `  convergence ${convergence(s.convergence)}`,
    `  anomalies   ${kv(s.anomalies)}${Object.keys(s.receiver_deaths).length > 0 ? ` (deaths: ${kv(s.receiver_deaths)})` : ''}`,
    ...anomalyLines(s),
    ...checkerLines(s),
    `  wire        ${s.bytes.total} bytes: ${s.bytes.per_chat_message} per chat message, ${s.bytes.per_handshake} per handshake`,
    `  wall        ${(r.timing.wall_ms / 1000).toFixed(3)}s, ${r.timing.events_per_second.toLocaleString('en-US')} events/s`,
    `  output      ${r.outDir ?? '(none)'}${r.outDir ? ' (' + r.files.join(', ') + ')' : ''}`,
    ...(r.report !== null ? [`  report      ${r.report} (open it in a browser)`] : []),
    ...(r.focus !== null ? [`  pictures    too large to draw whole: diagram.svg shows ${seconds(r.focus.window[0])}..${seconds(r.focus.window[1])} on ${r.focus.nodes.length} lanes, ${r.focus.why}; vcsim render --window --nodes-shown draws other parts`] : []),
    `  digest      ${s.digest ?? "not computed (--outputs none skips the trace)"}`,
    `  reproduce   ${reproduce}`,
  ];
  if (s.orderings.scope !== 'none') {
    lines.splice(lines.length - 2, 0, s.orderings.written ? `  orderings   orderings.csv: ${s.orderings.rows} pairs of scope ${s.orderings.scope}` : `  orderings   ${s.orderings.note}`);
  }
  const ex = r.expectations;
  if (ex.length > 0) lines.push(`  expect      ${ex.filter((e) => e.ok).length}/${ex.length} held`);
  process.stdout.write(lines.join('\n') + '\n');
}

const SHOWN_ANOMALIES = 5;

function anomalyLines(s: Summary): string[] {
  const ex = s.anomaly_examples;
  const total = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const lines = ex.slice(0, SHOWN_ANOMALIES).map((a) => `              ${seconds(a.time_us)} ${a.node} ${a.kind}: ${a.cause}`);
  if (total > lines.length) lines.push(`              ... ${total - lines.length} more${ex.length > 0 ? ' in anomalies.csv' : ''}`);
  return lines;
}

function checkerLines(s: Summary): string[] {
  const c = s.checker;
  const out: string[] = [];
  const verdict = (v: VerdictCounts): string =>
    `${v.pairs} pairs of ${v.events} events: ${v.agree} agree, ${v.missed} missed, ${v.false_order} false order, ${v.reversed} reversed; ${v.equal_stamps} equal stamps; precision ${v.precision}, recall ${v.recall}`;
  if (c.status !== 'done') out.push(`  checker     ${c.status}: ${c.note}`);
  else {
    out.push(`  checker     sends: ${verdict(c.sends)}`);
    if (c.all !== undefined) out.push(`              all:   ${verdict(c.all)}`);
  }
  for (const n of c.notes ?? []) out.push(`              note: ${n}`);
  return out;
}

function convergence(c: RunResult['summary']['convergence']): string {
  const phase = c.quiet_from_us === null ? 'no quiet phase' : `quiet from ${seconds(c.quiet_from_us)}`;
  if (!c.checked) return `not checked (${c.reasons[0] ?? ''})`;
  // Without a quiet phase, faults and loss may still be active at the end: not a verdict.
  if (c.quiet_from_us === null) return `${c.converged ? 'converged' : 'not converged'} at the end (${c.problems} problems; no quiet phase, so no verdict: add \`quiet: 2s\` to check it)`;
  if (c.converged) return `converged, ${c.live} live nodes (${phase})`;
  return `NOT converged, ${c.live} live nodes, ${c.problems} problems (${phase}): ${c.reasons.slice(0, 3).join('; ')}`;
}

/** A program node's failure, for stderr: what happened, when, and the end of its stderr. */
export function programProblemLines(p: ProgramProblem, outcome: string): string[] {
  const lines = [`vcsim: program node ${p.node} ${outcome} at t=${seconds(p.t)}: it ${p.message}`];
  if (p.stderr === '') lines.push(`vcsim:   (node ${p.node} wrote nothing to stderr)`);
  else {
    lines.push(`vcsim:   the end of node ${p.node}'s stderr:`);
    for (const l of p.stderr.split('\n').slice(-20)) lines.push(`vcsim:   | ${l}`);
  }
  return lines;
}
