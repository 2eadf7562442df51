/// <reference lib="dom" />
// report.html in a real browser (Debian's chromium, driven by playwright-core): it opens from
// the file alone with no network request, and clicking a chat event highlights exactly its
// causal past and future according to the truth (trueVectorClocks over the whole trace) and,
// in other classes, according to the clocks. A screenshot goes to test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happenedBefore, isChatEvent, trueVectorClocks, type CausalInput, type TrueClock } from '../../src/export/causal.js';
import { clockLess, type PlainClock } from '../../src/export/plain.js';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { readTrace } from '../../src/trace/read.js';
import { fmtTime } from '../../src/export/svg.js';

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

// The headline, `vcsim run scenarios/partition.yaml --nodes 50`: too large to draw whole, so
// the report shows it in bins and the diagram shows a part; the page loads with no error, its
// charts are drawn, and dragging across a chart selects a window that the diagram marks and
// for which the page gives the exact `vcsim render` command.
describe.skipIf(!haveBrowser)('the headline\'s report.html in chromium', () => {
  it('loads without errors, draws its charts, and a window selection shows its diagram and command', async () => {
    const d = mkdtempSync(join(tmpdir(), 'vcsim-headline-'));
    const r = await runScenario({ loaded: loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 50, flag: '--nodes' }]), seed: 1, outDir: d });
    expect(r.pictures).toBe('part');
    const file = join(d, 'report.html');
    expect(statSync(file).size).toBeLessThan(5 * 1024 * 1024);
    const page = await ctx!.newPage();
    const requests: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
    await page.goto(pathToFileURL(file).href);

    // Every chart, the heatmap and the matrix: a canvas with something drawn on it.
    const drawn = await page.evaluate(() => {
      const inked = (c: HTMLCanvasElement): boolean => {
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200)) return true;
        return false;
      };
      const charts = Array.from(document.querySelectorAll('.chart')).map((el) => ({ id: el.id, inked: Array.from(el.querySelectorAll('canvas')).some(inked) }));
      return { charts, heatmap: inked(document.getElementById('heatmap') as HTMLCanvasElement), matrix: inked(document.getElementById('matrix') as HTMLCanvasElement) };
    });
    expect(drawn.charts.map((c) => c.id)).toEqual(['chart-traffic', 'chart-trouble', 'chart-delivery', 'chart-wire', 'chart-verdicts']);
    for (const c of drawn.charts) expect(c.inked, c.id).toBe(true);
    expect(drawn.heatmap).toBe(true);
    expect(drawn.matrix).toBe(true);

    // Drag across the traffic chart over the middle of the part the diagram shows.
    const [f0, f1] = r.focus!.window;
    const mid = (f0 + f1) / 2;
    const want = [mid - 150_000, mid + 150_000];
    const xy = await page.evaluate((w) => {
      const u = (window as unknown as { vcsimCharts: { over: HTMLElement; valToPos(v: number, s: string): number }[] }).vcsimCharts[0];
      u.over.scrollIntoView({ block: 'center' });
      const b = u.over.getBoundingClientRect();
      return { x0: b.left + u.valToPos(w[0] / 1e6, 'x'), x1: b.left + u.valToPos(w[1] / 1e6, 'x'), y: b.top + b.height / 2 };
    }, want);
    await page.mouse.move(xy.x0, xy.y);
    await page.mouse.down();
    await page.mouse.move(xy.x1, xy.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getAttribute('#drill', 'data-window')).toMatch(/^\d+\.\.\d+$/);
    const [t0, t1] = (await page.getAttribute('#drill', 'data-window'))!.split('..').map(Number);
    // The selection is the dragged window, to the pixel (a few ms at this scale), in whole ms.
    expect(Math.abs(t0 - want[0])).toBeLessThan(30_000);
    expect(Math.abs(t1 - want[1])).toBeLessThan(30_000);
    expect(await page.textContent('#drill-command')).toBe(`vcsim render ${d} --window ${fmtTime(t0)}..${fmtTime(t1)}`);
    const marks = await page.evaluate(() => Array.from(document.querySelectorAll('#diagram g.ev')).map((g) => ({ t: Number(g.getAttribute('data-t')), out: g.classList.contains('out') })));
    const inside = marks.filter((m) => !m.out);
    expect(inside.length).toBeGreaterThan(10);
    expect(Number(await page.getAttribute('#drill', 'data-inside'))).toBe(inside.length);
    for (const m of marks) expect(m.out, `mark at ${m.t}`).toBe(m.t < t0 || m.t > t1);
    expect(marks.some((m) => m.out)).toBe(true);

    const artifacts = resolve('test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-headline-selection.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, 'report-headline.png'), fullPage: true });

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });
});
