// The truth (src/export/causal.ts): true vector timestamps against happened-before computed
// the slow way (reachability over program order and send -> receive edges), on hand-made
// traces and on random ones, and on real simulated runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { happenedBefore, isChatEvent, trueVectorClocks, type CausalInput } from '../../src/export/causal.js';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { clockLess, toPlain, type PlainClock } from '../../src/export/plain.js';
import type { TraceConsumer } from '../../src/trace/bus.js';
import type { TraceEvent } from '../../src/trace/events.js';

/** Happened-before by graph search: the definition, not the vector shortcut. */
function reachability(events: readonly CausalInput[]): (a: number, b: number) => boolean {
  const chat = events.filter(isChatEvent);
  const succ = new Map<number, number[]>();
  const last = new Map<string, number>();
  const sends = new Map<number, number>();
  for (const e of chat) {
    const ev = e.ev as number;
    succ.set(ev, []);
    const prev = last.get(e.node as string);
    if (prev !== undefined) succ.get(prev)?.push(ev);
    last.set(e.node as string, ev);
    if (e.type === 'send') sends.set(e.msg as number, ev);
    else {
      const s = sends.get(e.msg as number);
      if (s !== undefined) succ.get(s)?.push(ev);
    }
  }
  return (a, b) => {
    const seen = new Set<number>();
    const stack = [...(succ.get(a) ?? [])];
    while (stack.length > 0) {
      const x = stack.pop() as number;
      if (x === b) return true;
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...(succ.get(x) ?? []));
    }
    return false;
  };
}

function agreesWithReachability(events: readonly CausalInput[]): void {
  const truth = trueVectorClocks(events);
  const hb = reachability(events);
  const chat = events.filter(isChatEvent).map((e) => ({ ev: e.ev as number, node: e.node as string, v: truth.get(e.ev as number)! }));
  expect(truth.size).toBe(chat.length);
  for (const a of chat) for (const b of chat) expect(happenedBefore(a, b), `${a.ev} -> ${b.ev}`).toBe(hb(a.ev, b.ev));
}

const send = (ev: number, node: string, msg: number): CausalInput => ({ type: 'send', ev, node, msg });
const recv = (ev: number, node: string, msg: number, type = 'receive'): CausalInput => ({ type, ev, node, msg, dg: 'chat' });

describe('trueVectorClocks', () => {
  it('counts chat events per node and carries the sender\'s past along a message', () => {
    const events: CausalInput[] = [
      { type: 'join', ev: 0, node: 'a', msg: 0 },
      send(1, 'a', 1),
      send(2, 'b', 2),
      recv(3, 'b', 1),
      { type: 'join_seen', ev: 4, node: 'c', msg: 0, dg: 'join' },
      recv(5, 'c', 2),
      send(6, 'c', 3),
      recv(7, 'a', 3),
    ];
    const t = trueVectorClocks(events);
    expect([...t.keys()]).toEqual([1, 2, 3, 5, 6, 7]);
    expect(t.get(1)).toEqual({ a: 1 });
    expect(t.get(3)).toEqual({ b: 2, a: 1 });
    expect(t.get(5)).toEqual({ c: 1, b: 1 });
    expect(t.get(6)).toEqual({ c: 2, b: 1 });
    expect(t.get(7)).toEqual({ a: 2, c: 2, b: 1 });
    const at = (ev: number, node: string) => ({ node, v: t.get(ev)! });
    expect(happenedBefore(at(2, 'b'), at(7, 'a'))).toBe(true); // b's send reached a through c
    expect(happenedBefore(at(1, 'a'), at(6, 'c'))).toBe(false); // concurrent
    expect(happenedBefore(at(6, 'c'), at(1, 'a'))).toBe(false);
    expect(happenedBefore(at(7, 'a'), at(7, 'a'))).toBe(false);
  });

  it('treats a duplicate copy as one more receipt and a fatal receipt as a receipt', () => {
    const t = trueVectorClocks([send(1, 'a', 1), recv(2, 'b', 1), recv(3, 'b', 1), recv(4, 'c', 1, 'receiver_died'), send(5, 'c', 2)]);
    expect(t.get(3)).toEqual({ b: 2, a: 1 });
    expect(t.get(5)).toEqual({ c: 2, a: 1 });
  });

  it('ignores a receipt whose send it never saw (no edge), and handshake datagrams', () => {
    const t = trueVectorClocks([recv(1, 'b', 99), { type: 'receiver_died', ev: 2, node: 'b', msg: 1, dg: 'join' }]);
    expect(t.get(1)).toEqual({ b: 1 });
    expect(t.has(2)).toBe(false);
  });

  it('agrees with reachability on random traces', () => {
    const nodes = ['n0', 'n1', 'n2', 'n3'];
    const step = fc.record({ node: fc.constantFrom(...nodes), send: fc.boolean(), pick: fc.nat() });
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const events: CausalInput[] = [];
      const msgs: number[] = [];
      let ev = 0;
      for (const s of steps) {
        if (s.send || msgs.length === 0) { msgs.push(ev); events.push(send(ev, s.node, ev)); }
        else events.push(recv(ev, s.node, msgs[s.pick % msgs.length]));
        ev++;
      }
      agreesWithReachability(events);
    }), { seed: 8, numRuns: 200 });
  });

  it('agrees with reachability on a simulated run with loss, duplicates and reordering', async () => {
    const events: TraceEvent[] = [];
    const collect: TraceConsumer = { event: (e) => { events.push(e); } };
    const loaded = loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 5, flag: '--nodes' }, { path: ['duration'], value: '5s', flag: '--duration' }]);
    await runScenario({ loaded, seed: 3, outDir: null, consumers: [collect] });
    expect(events.filter((e) => e.type === 'receive').length).toBeGreaterThan(20);
    agreesWithReachability(events);
  });
});

describe('the truth against an independent clock', () => {
  it('Fidge/Mattern clocks (the core\'s) order the chat events exactly as the truth does', async () => {
    const events: TraceEvent[] = [];
    const collect: TraceConsumer = { event: (e) => { events.push(e); } };
    const loaded = loadScenarioFile('scenarios/partition.yaml', [{ path: ['protocol', 'clock'], value: 'fidge-mattern', flag: '--clock' }, { path: ['nodes'], value: 6, flag: '--nodes' }]);
    await runScenario({ loaded, seed: 2, outDir: null, consumers: [collect] });
    const plain = events.map(toPlain);
    const truth = trueVectorClocks(plain);
    const chat = plain.filter((e) => isChatEvent(e)).map((e) => ({ ev: (e as { ev: number }).ev, node: (e as { node: string }).node, v: truth.get((e as { ev: number }).ev)!, after: (e as { after: PlainClock }).after }));
    expect(chat.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const a of chat) for (const b of chat) if (a !== b && happenedBefore(a, b) !== clockLess(a.after, b.after)) wrong.push(`${a.ev} -> ${b.ev}`);
    expect(wrong).toEqual([]);
  });
});
