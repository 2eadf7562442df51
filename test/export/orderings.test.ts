// orderings.csv for a small run, checked the way a person would check it by hand: every row
// against events.csv (the events, their nodes, kinds and clocks) and messages.csv (which
// receive got which message), recomputing both relations from those files alone.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadScenarioData, loadScenarioFile, runScenario } from '../../src/api/index.js';
import { ORDERINGS_COLUMNS } from '../../src/export/orderings.js';
import { parseCsv } from '../helpers/csvparse.js';

const dir = mkdtempSync(join(tmpdir(), 'vcsim-orderings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(clock: string, orderings: 'sends' | 'all'): Promise<{ out: string; rows: Record<string, string>[] }> {
  const loaded = loadScenarioData({
    name: 'small', nodes: 3, seed: 4, duration: '600ms', protocol: { clock },
    network: { latency: { dist: 'uniform', min: '1ms', max: '80ms' }, duplicate: 0.3, loss: 0.1 },
    workload: { process: 'fixed', interval: '100ms', start: '100ms' },
  }, 'small.yaml');
  const out = join(dir, `${clock}-${orderings}`);
  await runScenario({ loaded, seed: 4, outDir: out, orderings });
  return { out, rows: parseCsv(readFileSync(join(out, 'orderings.csv'), 'utf8')) };
}

function dict(json: string): Record<string, number> {
  const v = JSON.parse(json) as Record<string, number> | number;
  return typeof v === 'number' ? { '': v } : v;
}

function relation(a: Record<string, number>, b: Record<string, number>): string {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let le = true, ge = true;
  for (const k of keys) {
    if ((a[k] ?? 0) > (b[k] ?? 0)) le = false;
    if ((a[k] ?? 0) < (b[k] ?? 0)) ge = false;
  }
  return le && ge ? 'equal' : le ? 'before' : ge ? 'after' : 'concurrent';
}

function checkAgainstFiles(out: string, rows: Record<string, string>[]): void {
  const events = parseCsv(readFileSync(join(out, 'events.csv'), 'utf8'));
  const messages = parseCsv(readFileSync(join(out, 'messages.csv'), 'utf8'));
  const chat = events.filter((e) => e.kind === 'send' || e.kind === 'receive');
  const byId = new Map(chat.map((e) => [e.event, e]));
  expect(rows.length).toBe((chat.length * (chat.length - 1)) / 2);
  expect(Object.keys(rows[0])).toEqual([...ORDERINGS_COLUMNS]);

  // Happened-before from the files: program order per node, and each receive after the
  // send of its message, the link confirmed by a delivered row in messages.csv.
  // A receiver that died on a chat message did read it: it is a causal event too.
  const sendOf = new Map(chat.filter((e) => e.kind === 'send').map((e) => [e.message, e.event]));
  const causal = events.filter((e) => byId.has(e.event) || (e.kind === 'receiver_died' && sendOf.has(e.message)));
  const preds = new Map<string, string[]>();
  const lastAt = new Map<string, string>();
  for (const e of causal) {
    const p: string[] = [];
    if (lastAt.has(e.node)) p.push(lastAt.get(e.node)!);
    lastAt.set(e.node, e.event);
    if (e.kind === 'receiver_died') p.push(sendOf.get(e.message)!);
    if (e.kind === 'receive') {
      expect(messages.some((m) => m.message === e.message && m.receiver === e.node && m.delivered_us === e.time_us && (m.outcome === 'delivered' || m.outcome === 'duplicate'))).toBe(true);
      p.push(sendOf.get(e.message)!);
    }
    preds.set(e.event, p);
  }
  const ancestors = new Map<string, Set<string>>();
  for (const e of causal) {
    const s = new Set<string>();
    for (const p of preds.get(e.event)!) { s.add(p); for (const q of ancestors.get(p)!) s.add(q); }
    ancestors.set(e.event, s);
  }

  for (const r of rows) {
    const a = byId.get(r.a)!, b = byId.get(r.b)!;
    expect(Number(r.a)).toBeLessThan(Number(r.b));
    expect([r.node_a, r.kind_a, r.node_b, r.kind_b]).toEqual([a.node, a.kind, b.node, b.kind]);
    expect(r.clock_relation).toBe(relation(dict(a.clock_after), dict(b.clock_after)));
    const truth = ancestors.get(r.b)!.has(r.a) ? 'before' : ancestors.get(r.a)!.has(r.b) ? 'after' : 'concurrent';
    expect(r.true_relation).toBe(truth);
    const agree = r.clock_relation === truth || (truth === 'concurrent' && r.clock_relation === 'equal');
    expect(r.agree).toBe(String(agree));
    expect(r.equal_stamps).toBe(String(r.clock_relation === 'equal'));
  }
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  expect(summary.orderings).toEqual({ scope: 'all', written: true, rows: rows.length, note: '' });
  expect(summary.checker.all.agree).toBe(rows.filter((r) => r.agree === 'true').length);
  expect(summary.checker.all.missed).toBe(rows.filter((r) => r.verdict === 'missed').length);
  expect(summary.checker.all.false_order).toBe(rows.filter((r) => r.verdict === 'false_order').length);
  expect(summary.checker.all.equal_stamps).toBe(rows.filter((r) => r.equal_stamps === 'true').length);
}

describe('orderings.csv', () => {
  for (const clock of ['seed', 'fidge-mattern', 'lamport']) {
    test(`agrees with events.csv and messages.csv (${clock}, scope all)`, async () => {
      const { out, rows } = await run(clock, 'all');
      checkAgainstFiles(out, rows);
    });
  }

  test('agrees with the files when receivers die (long-message.yaml)', async () => {
    const loaded = loadScenarioFile('scenarios/long-message.yaml');
    const out = join(dir, 'long-message');
    await runScenario({ loaded, seed: 1, outDir: out, orderings: 'all' });
    const rows = parseCsv(readFileSync(join(out, 'orderings.csv'), 'utf8'));
    expect(parseCsv(readFileSync(join(out, 'events.csv'), 'utf8')).filter((e) => e.kind === 'receiver_died').length).toBe(3);
    expect(rows.some((r) => r.verdict === 'missed')).toBe(true);
    checkAgainstFiles(out, rows);
  });

  test('scope sends lists only pairs of sends', async () => {
    const { out, rows } = await run('seed', 'sends');
    const sends = parseCsv(readFileSync(join(out, 'events.csv'), 'utf8')).filter((e) => e.kind === 'send');
    expect(rows.length).toBe((sends.length * (sends.length - 1)) / 2);
    expect(rows.every((r) => r.kind_a === 'send' && r.kind_b === 'send')).toBe(true);
  });
});

describe('determinism', () => {
  test('the same run writes byte-identical orderings.csv, anomalies.csv and summary figures', async () => {
    const loaded = loadScenarioData({ name: 'det', nodes: 4, seed: 9, duration: '800ms', network: { loss: 0.1, duplicate: 0.2, latency: { dist: 'pareto', min: '1ms', alpha: 1.2 } } }, 'det.yaml');
    const read = async (sub: string): Promise<string[]> => {
      const out = join(dir, sub);
      await runScenario({ loaded, seed: 9, outDir: out, orderings: 'all' });
      const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      return [readFileSync(join(out, 'orderings.csv'), 'utf8'), readFileSync(join(out, 'anomalies.csv'), 'utf8'), JSON.stringify([s.checker, s.anomalies, s.anomaly_examples])];
    };
    expect(await read('det1')).toEqual(await read('det2'));
  });
});
