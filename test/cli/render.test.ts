// `vcsim render` and the pictures `vcsim run` writes by default, end to end through the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

function vcsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/vcsim.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'vcsim-render-'));
const PICTURES = ['diagram.svg', 'report.html', 'shiviz.log'];
let run: string;

beforeAll(() => {
  run = tmp();
  const r = vcsim('run', 'scenarios/lossless.yaml', '--out', run);
  expect(r.code, r.stderr).toBe(0);
});

describe('vcsim run draws small runs by default', () => {
  it('writes diagram.svg, report.html and shiviz.log and lists them', () => {
    for (const f of PICTURES) expect(existsSync(join(run, f)), f).toBe(true);
    expect(readdirSync(run).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--window and --nodes-shown cut the pictures of a run; a bad name exits 2', () => {
    const out = tmp();
    const r = vcsim('run', 'scenarios/lossless.yaml', '--out', out, '--quiet', '--window', '..1s', '--nodes-shown', 'n2,n0');
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(out, 'diagram.svg'), 'utf8');
    expect([...svg.matchAll(/class="lane" data-node="([^"]+)"/g)].map((m) => m[1])).toEqual(['n2', 'n0']);
    expect(svg).toContain('window 0s..1s');
    expect(vcsim('run', 'scenarios/lossless.yaml', '--out', out, '--nodes-shown', 'n9')).toMatchObject({ code: 2, stderr: 'vcsim: --nodes-shown: no node named "n9" in this run (it has n0,n1,n2,n3,n4)\n' });
  });

  it('says where the report is, and which part of a run too large to draw whole the diagram shows', () => {
    const out = tmp();
    const r = vcsim('run', 'scenarios/lossless.yaml', '--nodes', '70', '--duration', '1s', '--out', out);
    // lossless.yaml's expectations are for 5 nodes; at 70 they may fail (exit 1), a result.
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stdout).toContain(`  report      ${join(out, 'report.html')} (open it in a browser)`);
    expect(r.stdout).toMatch(/ {2}pictures {4}too large to draw whole: diagram.svg shows \S+\.\.\S+ on 12 lanes, around /);
    const svg = readFileSync(join(out, 'diagram.svg'), 'utf8');
    expect(svg).toContain('Too large to draw whole');
    expect(svg).toContain(`vcsim render ${out} --window `);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'shiviz.log'))).toBe(false);
  });

  it('--outputs none draws nothing', () => {
    const out = tmp();
    expect(vcsim('run', 'scenarios/lossless.yaml', '--out', out, '--outputs', 'none', '--quiet').code).toBe(0);
    for (const f of PICTURES) expect(existsSync(join(out, f)), f).toBe(false);
  });
});

describe('vcsim render', () => {
  it('redraws a run folder from its files alone, byte for byte', () => {
    const copy = tmp();
    const r = vcsim('render', run, '--out', copy);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('diagram.svg, report.html, shiviz.log');
    for (const f of PICTURES) expect(readFileSync(join(copy, f), 'utf8'), f).toBe(readFileSync(join(run, f), 'utf8'));
  });

  it('cuts a slice with --window and --nodes-shown', () => {
    const out = tmp();
    const r = vcsim('render', run, '--window', '1s..2s', '--nodes-shown', 'n3,n1', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 lanes, 1s\.\.2s/);
    const svg = readFileSync(join(out, 'diagram.svg'), 'utf8');
    expect([...svg.matchAll(/class="lane" data-node="([^"]+)"/g)].map((m) => m[1])).toEqual(['n3', 'n1']);
  });

  it('works without summary.json (the trace is enough)', () => {
    const bare = tmp();
    vcsim('run', 'scenarios/lossless.yaml', '--out', bare, '--quiet');
    rmSync(join(bare, 'summary.json'));
    for (const f of PICTURES) rmSync(join(bare, f));
    expect(vcsim('render', bare, '--quiet').code).toBe(0);
    for (const f of PICTURES) expect(existsSync(join(bare, f)), f).toBe(true);
    expect(readFileSync(join(bare, 'report.html'), 'utf8')).toContain('No summary.json in the run folder.');
  });

  it('exits 2 with one line per mistake', () => {
    expect(vcsim('render', join(run, 'nope'))).toMatchObject({ code: 2, stderr: `vcsim: ${join(run, 'nope')}: no such run folder\n` });
    expect(vcsim('render', run, '--window', '3s..1s')).toMatchObject({ code: 2, stderr: 'vcsim: --window: the window must end after it starts, found "3s..1s"\n' });
    expect(vcsim('render', run, '--window', '2x..3s')).toMatchObject({ code: 2, stderr: 'vcsim: --window: a duration with a unit, like 250ms, 2s or 1m, found "2x"\n' });
    expect(vcsim('render', run, '--nodes-shown', 'n1,zz')).toMatchObject({ code: 2, stderr: 'vcsim: --nodes-shown: no node named "zz" in this run (it has n0,n1,n2,n3,n4)\n' });
    const empty = tmp();
    expect(vcsim('render', empty).stderr).toBe(`vcsim: ${join(empty, 'trace.jsonl')}: no such file (the run was made with --outputs none?)\n`);
  });

  it('has --help', () => {
    const r = vcsim('render', '--help');
    expect(r.code).toBe(0);
    for (const f of ['--window', '--nodes-shown', '--out']) expect(r.stdout).toContain(f);
  });
});
