/// <reference lib="dom" />
// report.html in a real browser (Debian's chromium, driven by playwright-core): it opens from
// the file alone with no network request, and clicking a chat event highlights exactly its
// causal past and future according to the truth (trueVectorClocks over the whole trace) and,
// in other classes, according to the clocks. A screenshot goes to test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happenedBefore, isChatEvent, trueVectorClocks, type CausalInput, type TrueClock } from '../../src/export/causal.js';
import { clockLess, type PlainClock } from '../../src/export/plain.js';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { readTrace } from '../../src/trace/read.js';

const CHROMIUM = '/usr/bin/chromium';
// CI installs chromium (.ci/run); elsewhere the test is skipped, saying so, if it is missing.
const haveBrowser = existsSync(CHROMIUM) || process.env.CI !== undefined;

interface Chat { ev: number; node: string; v: TrueClock; after: PlainClock }

let ctx: BrowserContext | null = null;
let dir: string;
let chat: Chat[];

beforeAll(async () => {
  if (!haveBrowser) return;
  dir = mkdtempSync(join(tmpdir(), 'vcsim-report-'));
  const loaded = loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 6, flag: '--nodes' }, { path: ['duration'], value: '8s', flag: '--duration' }]);
  await runScenario({ loaded, seed: 1, outDir: dir });
  const events: Record<string, unknown>[] = [];
  for await (const { value } of readTrace(join(dir, 'trace.jsonl'))) if (value.type !== 'header') events.push(value);
  const truth = trueVectorClocks(events as unknown as CausalInput[]);
  chat = events.filter((e) => isChatEvent(e as unknown as CausalInput)).map((e) => ({ ev: e.ev as number, node: e.node as string, v: truth.get(e.ev as number)!, after: e.after as PlainClock }));
  ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vcsim-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1500, height: 1000 },
  });
});

afterAll(async () => {
  await ctx?.close();
});

describe.skipIf(!haveBrowser)('report.html in chromium', () => {
  it('highlights the clicked event\'s causal past and future, by the truth and by the clocks', async () => {
    const page = await ctx!.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);

    // Pick a receive where the seed clock and the truth disagree, whose mark is on top at its
    // centre (so a real click lands on it).
    const disagrees = (s: Chat) => chat.some((c) => c !== s && (happenedBefore(c, s) !== clockLess(c.after, s.after) || happenedBefore(s, c) !== clockLess(s.after, c.after)));
    const candidates = chat.filter((c, i) => i > chat.length / 3 && disagrees(c)).map((c) => c.ev);
    expect(candidates.length).toBeGreaterThan(0);
    const target = await page.evaluate((evs) => {
      for (const ev of evs) {
        const g = document.querySelector(`g.ev.chat[data-ev="${ev}"]`);
        if (!g) continue;
        g.scrollIntoView({ block: 'center', inline: 'center' });
        const r = g.querySelector('.dot')!.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('g.ev') === g) return { ev, x, y };
      }
      return null;
    }, candidates);
    expect(target, 'a clickable chat event').not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await expect.poll(() => page.getAttribute('#selection', 'data-selected')).toBe(String(target!.ev));

    const s = chat.find((c) => c.ev === target!.ev)!;
    const others = chat.filter((c) => c !== s);
    const want = {
      tPast: others.filter((c) => happenedBefore(c, s)).map((c) => c.ev),
      tFuture: others.filter((c) => happenedBefore(s, c)).map((c) => c.ev),
      cPast: others.filter((c) => clockLess(c.after, s.after)).map((c) => c.ev),
      cFuture: others.filter((c) => clockLess(s.after, c.after)).map((c) => c.ev),
    };
    const got = await page.evaluate(() => {
      const evs = (cls: string) => Array.from(document.querySelectorAll(`#diagram g.ev.${cls}`)).map((g) => Number(g.getAttribute('data-ev'))).sort((a, b) => a - b);
      return { tPast: evs('t-past'), tFuture: evs('t-future'), cPast: evs('c-past'), cFuture: evs('c-future'), sel: evs('sel'), disagree: evs('disagree') };
    });
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
    expect(got.sel).toEqual([s.ev]);
    expect(got.tPast).toEqual(sorted(want.tPast));
    expect(got.tFuture).toEqual(sorted(want.tFuture));
    expect(got.cPast).toEqual(sorted(want.cPast));
    expect(got.cFuture).toEqual(sorted(want.cFuture));
    expect(want.tPast.length + want.tFuture.length).toBeGreaterThan(0);
    const differ = others.filter((c) => happenedBefore(c, s) !== clockLess(c.after, s.after) || happenedBefore(s, c) !== clockLess(s.after, c.after)).map((c) => c.ev);
    expect(got.disagree).toEqual(sorted(differ));
    expect(differ.length).toBeGreaterThan(0);
    await expect.poll(() => page.textContent('#selection')).toMatch(/Truth: \d+ events in the causal past/);

    const artifacts = resolve('test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-click.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, 'report-top.png') });

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });
});
