// `vcsim render`: draw an existing run folder again (diagram.svg, report.html, shiviz.log),
// from its trace.jsonl alone, whole or cut to a time window and a set of lanes.

import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { join } from 'node:path';
import { DRAW_LIMITS, fmtTime, renderRun } from '../api/index.js';
import { outFlag, pictureSliceFlags, quietFlag, withFlags } from './options.js';

export interface RenderArgs {
  run: string;
  window?: [number, number];
  nodesShown?: string[];
  out?: string;
  quiet: boolean;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render <run>',
  describe: 'Draw a run folder: diagram.svg, report.html (interactive) and shiviz.log',
  builder: (y: Argv<object>) =>
    withFlags(y, pictureSliceFlags, outFlag('Output folder (default: the run folder)'), quietFlag('Print nothing but problems'))
      .positional('run', { type: 'string', demandOption: true, describe: 'Run folder (holding trace.jsonl)' })
      .example('$0 render results/partition/seed-1', 'Redraw a run')
      .example('$0 render results/partition/seed-1 --window 3.5s..5s --nodes-shown n0,n1,n2,n3', 'A readable slice of a large run')
      .epilog(`A slice with more than ${DRAW_LIMITS.events} events or ${DRAW_LIMITS.nodes} lanes is not drawn whole: diagram.svg then shows a part of it (around the first anomaly, else the busiest second, at most 12 lanes) and says which; report.html shows the whole run in time bins.`) as Argv<RenderArgs>,
  handler: async (argv: ArgumentsCamelCase<RenderArgs>) => {
    const tty = process.stderr.isTTY === true;
    const progress = tty ? (lines: number) => process.stderr.write(`\rvcsim render: ${lines.toLocaleString('en-US')} trace lines read`) : undefined;
    const r = await renderRun({ runDir: argv.run, outDir: argv.out, window: argv.window ?? null, nodes: argv.nodesShown ?? null, progress });
    if (tty) process.stderr.write('\r\x1b[K');
    if (argv.quiet) return;
    const s = r.slice;
    process.stdout.write(`vcsim render ${argv.run}: ${s.nodes.length} lanes, ${fmtTime(s.window[0])}..${fmtTime(s.window[1])}, ${s.count} events\n`);
    if (r.focus !== null) process.stdout.write(`  too large to draw whole (limits: ${DRAW_LIMITS.events} events, ${DRAW_LIMITS.nodes} lanes): diagram.svg shows ${fmtTime(r.focus.window[0])}..${fmtTime(r.focus.window[1])} on ${r.focus.nodes.length} lanes, ${r.focus.why}\n`);
    process.stdout.write(`  output      ${r.outDir} (${r.files.join(', ')})\n`);
    process.stdout.write(`  report      ${join(r.outDir, 'report.html')} (open it in a browser)\n`);
  },
};
