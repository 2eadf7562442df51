// Shared by the fault tests: run a scenario (text or file) and collect its trace events.
import { loadScenarioFile, loadScenarioText, runScenario } from '../../src/api/index.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';

class Collect implements TraceConsumer {
  events: TraceEvent[] = [];
  event(e: TraceEvent): void { this.events.push(e); }
}

export interface Ran { events: TraceEvent[]; header: TraceHeader; digest: string | null; summary: Awaited<ReturnType<typeof runScenario>>['summary'] }

export async function runText(yaml: string, seed = 1): Promise<Ran> {
  const c = new Collect();
  const r = await runScenario({ loaded: loadScenarioText(yaml, 't.yaml'), seed, outDir: null, consumers: [c] });
  return { events: c.events, header: r.header, digest: r.summary.digest, summary: r.summary };
}

export async function runFile(file: string, seed?: number, overrides: Parameters<typeof loadScenarioFile>[1] = []): Promise<Ran> {
  const c = new Collect();
  const loaded = loadScenarioFile(file, overrides);
  const r = await runScenario({ loaded, seed: seed ?? loaded.scenario.seed, outDir: null, consumers: [c] });
  return { events: c.events, header: r.header, digest: r.summary.digest, summary: r.summary };
}

export type Ev<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;
export const ofType = <T extends TraceEvent['type']>(evs: TraceEvent[], t: T): Ev<T>[] => evs.filter((e): e is Ev<T> => e.type === t);
/** Events that reached a node's protocol logic (join_seen, reply_seen, receive, receiver_died). */
export const reached = (evs: TraceEvent[]) => evs.filter((e): e is Ev<'receive' | 'join_seen' | 'reply_seen' | 'receiver_died'> =>
  e.type === 'receive' || e.type === 'join_seen' || e.type === 'reply_seen' || e.type === 'receiver_died');
