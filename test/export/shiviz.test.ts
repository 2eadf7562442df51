// shiviz.log against ShiViz's rules: its regular expression (first line) parses every event
// and nothing is left over; each host's own counter starts at 1 and rises by exactly one per
// logged event; every clock names only hosts that have events, within their counts; the
// clocks order the logged events exactly as happened-before does; and the event text carries
// the run's own clock under test.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { happenedBefore, isChatEvent, trueVectorClocks, type CausalInput } from '../../src/export/causal.js';
import { SHIVIZ_REGEX } from '../../src/export/shiviz.js';
import { loadScenarioFile, renderRun, runScenario } from '../../src/api/index.js';
import { readTrace } from '../../src/trace/read.js';

interface Logged { host: string; clock: Record<string, number>; event: string }

/** Parses a shiviz.log as ShiViz does: regex from line 1, delimiter line 2, the log after. */
function parseShiviz(text: string): Logged[] {
  const lines = text.split('\n');
  expect(lines[0]).toBe(SHIVIZ_REGEX);
  expect(lines[1]).toBe('');
  const body = lines.slice(2).join('\n');
  const re = new RegExp(lines[0], 'g');
  const out: Logged[] = [];
  let covered = '';
  for (const m of body.matchAll(re)) {
    const g = m.groups as Record<string, string>;
    out.push({ host: g.host, clock: JSON.parse(g.clock) as Record<string, number>, event: g.event });
    covered += m[0] + '\n';
  }
  expect(covered).toBe(body); // every line belongs to an event
  return out;
}

function checkRules(log: Logged[]): void {
  const count = new Map<string, number>();
  for (const e of log) {
    const n = (count.get(e.host) ?? 0) + 1;
    count.set(e.host, n);
    expect(e.clock[e.host], `${e.host} event ${n}`).toBe(n);
  }
  for (const e of log) {
    for (const [h, v] of Object.entries(e.clock)) {
      expect(count.has(h), `clock names ${h}, which has no events`).toBe(true);
      expect(Number.isInteger(v) && v >= 1 && v <= (count.get(h) as number)).toBe(true);
    }
  }
}

async function chatEvents(dir: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const { value } of readTrace(join(dir, 'trace.jsonl'))) if (value.type !== 'header') out.push(value);
  return out;
}

let dir: string;
let trace: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vcsim-shiviz-'));
  await runScenario({ loaded: loadScenarioFile('scenarios/partition.yaml', []), seed: 1, outDir: dir });
  trace = await chatEvents(dir);
});

/** Happened-before among the logged events by their ShiViz clocks equals the truth's. */
function checkOrderEqualsTruth(log: Logged[], logged: Record<string, unknown>[]): void {
  const truth = trueVectorClocks(trace as unknown as CausalInput[]);
  expect(log.length).toBe(logged.length);
  const wrong: string[] = [];
  for (let i = 0; i < log.length; i++) {
    for (let j = 0; j < log.length; j++) {
      if (i === j) continue;
      const byLog = log[i].clock[log[i].host] <= (log[j].clock[log[i].host] ?? 0);
      const a = { node: logged[i].node as string, v: truth.get(logged[i].ev as number)! };
      const b = { node: logged[j].node as string, v: truth.get(logged[j].ev as number)! };
      if (byLog !== happenedBefore(a, b)) wrong.push(`${String(logged[i].ev)} -> ${String(logged[j].ev)}`);
    }
  }
  expect(wrong).toEqual([]);
}

describe('shiviz.log', () => {
  it('follows ShiViz\'s rules for a whole run and logs every chat event with its clock under test', () => {
    const log = parseShiviz(readFileSync(join(dir, 'shiviz.log'), 'utf8'));
    const chat = trace.filter((e) => isChatEvent(e as unknown as CausalInput));
    expect(log.length).toBe(chat.length);
    expect(log.length).toBeGreaterThan(100);
    checkRules(log);
    log.forEach((l, i) => {
      expect(l.host).toBe(chat[i].node);
      expect(l.event).toContain(`ev=${String(chat[i].ev)} clock=${JSON.stringify(chat[i].after)}`);
      expect(l.event.startsWith(chat[i].type as string)).toBe(true);
    });
    checkOrderEqualsTruth(log, chat);
  });

  it('follows the rules for a slice too (clocks projected onto the events logged)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vcsim-shiviz-'));
    const shown = ['n1', 'n4', 'n8'];
    await renderRun({ runDir: dir, outDir: out, window: [4_000_000, 6_000_000], nodes: shown });
    const log = parseShiviz(readFileSync(join(out, 'shiviz.log'), 'utf8'));
    const chat = trace.filter((e) => isChatEvent(e as unknown as CausalInput) && shown.includes(e.node as string) && (e.t as number) >= 4_000_000 && (e.t as number) <= 6_000_000);
    expect(log.length).toBe(chat.length);
    expect(log.length).toBeGreaterThan(20);
    checkRules(log);
    checkOrderEqualsTruth(log, chat);
  });
});
