// `vcsim node`: one interactive live node for a person at a terminal, like the original
// program. Reads lines from stdin and broadcasts each; prints the clock before and after
// every send and receive; reports hostile datagrams on stderr and carries on (unless
// --faithful). Ctrl-C, SIGTERM or the end of stdin closes the socket, flushes --log, exit 0.

import { createInterface } from 'node:readline';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { nameProblem, openNodeLog } from '../api/index.js';
// `vcsim node` is itself one node of the transport layer (a live socket a person types into),
// so it takes InteractiveNode from src/transport directly; everything else comes through the API.
import { InteractiveNode } from '../transport/interactive.js';
import { userError } from '../util/errors.js';
import { withInterrupt } from './interrupt.js';
import { clockFlag, once, socketFlags, text, valued, withFlags } from './options.js';

export interface NodeArgs {
  name: string;
  port: number;
  address: string;
  clock: 'seed' | 'fidge-mattern';
  faithful: boolean;
  log?: string;
}

/** Wall ms to keep listening after stdin ends, so replies to the last line are heard. */
const LINGER_MS = 300;

export const nodeCommand: CommandModule<object, NodeArgs> = {
  command: 'node',
  describe: 'Run one interactive live node that chats with other vcsim or original nodes',
  builder: (y: Argv<object>) =>
    withFlags(y, socketFlags, clockFlag(['seed', 'fidge-mattern'], 'seed'))
      .option('name', valued(once('--name', (v) => {
        const problem = nameProblem(String(v));
        if (problem !== null) throw userError('--name', problem);
        return String(v);
      }), { demandOption: true, describe: 'This node\'s name (no "==", "##", "@@" or whitespace)' }))
      .option('faithful', { type: 'boolean', default: false, describe: 'Die on a bad datagram as the original does, instead of reporting it and carrying on' })
      .option('log', valued(text('--log'), { describe: 'Record this node\'s trace (vcsim JSONL) to this file' }))
      .example('$0 node --name alice', 'Type lines to chat; run `vcsim node --name bob` in another terminal')
      .example('$0 node --name bob --port 47000 --log bob.jsonl', 'Another port, with a trace to check afterwards') as Argv<NodeArgs>,
  handler: async (argv: ArgumentsCamelCase<NodeArgs>) => {
    await runNode(argv);
  },
};

async function runNode(argv: NodeArgs): Promise<void> {
  const log = argv.log === undefined ? null : openNodeLog(argv.log, { name: argv.name, clock: argv.clock, port: argv.port, address: argv.address });
  const err = (line: string): void => { process.stderr.write(`vcsim node ${argv.name}: ${line}\n`); };
  const node = new InteractiveNode({
    name: argv.name,
    clock: argv.clock,
    endpoint: { port: argv.port, address: argv.address },
    faithful: argv.faithful,
    print: (line) => process.stdout.write(line + '\n'),
    report: err,
    bus: log?.bus ?? null,
  });
  await withInterrupt(async (signal) => {
    try {
      await node.start();
    } catch (e) {
      log?.abort();
      throw e;
    }
    err(`clock ${argv.clock}, port ${argv.port}, broadcast ${argv.address}; type a line to send it, Ctrl-C to quit`);
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    rl.on('line', (line) => node.send(line));
    await new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      rl.once('close', () => setTimeout(resolve, LINGER_MS));
    });
    rl.close();
    await node.close();
    const c = node.counts;
    err(`closed (${c.sent} sent, ${c.received} received, ${c.reported} reported)${argv.log ? `; trace in ${argv.log}` : ''}`);
  });
  // stdin may still hold the event loop open; everything is closed and flushed.
  process.stdin.destroy();
}
