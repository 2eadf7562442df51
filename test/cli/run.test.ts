// `vcsim run` end to end, as a user runs it: the files, the summary, the exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_COLUMNS, EVENTS_COLUMNS_V1, MESSAGES_COLUMNS } from '../../src/export/csv.js';

function vcsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/vcsim.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'vcsim-cli-'));

describe('vcsim run', () => {
  it('runs the headline scenario with 50 nodes and writes every output', () => {
    const out = tmp();
    const r = vcsim('run', 'scenarios/partition.yaml', '--nodes', '50', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['trace.jsonl', 'events.csv', 'messages.csv', 'summary.json', 'timing.json']) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const label of ['simulated', 'chat', 'drops', 'anomalies', 'wall', 'output', 'digest', 'reproduce']) expect(r.stdout).toContain(label);
    expect(r.stdout).toContain('vcsim run scenarios/partition.yaml --nodes 50 --seed 1');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.nodes).toBe(50);
    expect(summary.sends).toBeGreaterThan(0);
    expect(summary.receives).toBeGreaterThan(0);
    expect(summary.drops_by_reason['partition p1']).toBeGreaterThan(0);
    expect(r.stdout).toContain(summary.digest);
    expect(summary).not.toHaveProperty('wall_ms');
  });

  it('writes CSV headers with the documented columns, and a header line in the trace', () => {
    const out = tmp();
    expect(vcsim('run', 'scenarios/lossless.yaml', '--out', out, '--quiet').code).toBe(0);
    expect(readFileSync(join(out, 'events.csv'), 'utf8').split('\n')[0]).toBe(EVENTS_COLUMNS.join(','));
    expect(readFileSync(join(out, 'messages.csv'), 'utf8').split('\n')[0]).toBe(MESSAGES_COLUMNS.join(','));
    const header = JSON.parse(readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n')[0]);
    expect(header).toMatchObject({ type: 'header', seed: 1, clock: 'seed', transport: 'sim', replayable: true });
    expect(header.scenario.name).toBe('lossless');
  });

  it('--events-clock-before writes events.csv format 1, the same digest and trace', () => {
    const out = tmp(), v1 = tmp();
    expect(vcsim('run', 'scenarios/lossless.yaml', '--out', out, '--quiet').code).toBe(0);
    expect(vcsim('run', 'scenarios/lossless.yaml', '--out', v1, '--quiet', '--events-clock-before').code).toBe(0);
    expect(EVENTS_COLUMNS).not.toContain('clock_before');
    expect(readFileSync(join(v1, 'events.csv'), 'utf8').split('\n')[0]).toBe(EVENTS_COLUMNS_V1.join(','));
    expect(readFileSync(join(v1, 'trace.jsonl'), 'utf8')).toBe(readFileSync(join(out, 'trace.jsonl'), 'utf8'));
    const digest = (d: string): string => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')).digest;
    expect(digest(v1)).toBe(digest(out));
    expect(readFileSync(join(v1, 'events.csv')).length).toBeGreaterThan(readFileSync(join(out, 'events.csv')).length * 1.5);
  });

  it('events.csv and messages.csv agree: each receive row has its delivery row', () => {
    const out = tmp();
    vcsim('run', 'scenarios/reordering-death.yaml', '--out', out, '--quiet');
    const rows = (f: string) => readFileSync(join(out, f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const receives = rows('events.csv').filter((r) => r[3] === 'receive');
    const delivered = new Set(rows('messages.csv').filter((r) => r[6] === 'delivered' || r[6] === 'duplicate').map((r) => `${r[0]}>${r[3]}@${r[5]}`));
    expect(receives.length).toBeGreaterThan(0);
    for (const r of receives) expect(delivered.has(`${r[4]}>${r[2]}@${r[1]}`)).toBe(true);
  });

  it('shows the seed protocol killing receivers under reordering, and fidge-mattern not', () => {
    const seed = JSON.parse((() => { const o = tmp(); vcsim('run', 'scenarios/reordering-death.yaml', '--out', o, '--quiet'); return readFileSync(join(o, 'summary.json'), 'utf8'); })());
    const fm = JSON.parse((() => { const o = tmp(); vcsim('run', 'scenarios/reordering-death.yaml', '--clock', 'fidge-mattern', '--out', o, '--quiet'); return readFileSync(join(o, 'summary.json'), 'utf8'); })());
    expect(seed.anomalies.receiver_died).toBeGreaterThan(0);
    expect(seed.receiver_deaths.unknown_key).toBe(seed.anomalies.receiver_died);
    expect(fm.anomalies.receiver_died).toBe(0);
  });

  it('exits 2 with one line per problem, and no stack, for a bad scenario', () => {
    const dir = tmp();
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'nodes: 3\nduration: 1s\nnetwork:\n  loss: 1.5\n  jitter: 2ms\n');
    const r = vcsim('run', f);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `vcsim: ${f}:4:9: network.loss: expected a probability from 0 to 1, found 1.5`,
      `vcsim: ${f}:5:3: network.jitter: unknown field`,
    ]);
  });

  it('exits 2 for a missing file and for a bad flag', () => {
    expect(vcsim('run', 'nope.yaml')).toMatchObject({ code: 2, stderr: 'vcsim: nope.yaml: no such file\n' });
    const r = vcsim('run', 'scenarios/lossless.yaml', '--clock', 'vector');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/clock/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 and names the figure when an expectation fails', () => {
    const dir = tmp();
    const f = join(dir, 'exp.yaml');
    // The scenario's own expect: block is replaced by one that fails.
    const own = readFileSync('scenarios/reordering-death.yaml', 'utf8').split('\nexpect:\n')[0];
    writeFileSync(f, own + '\nexpect:\n  anomalies.receiver_died: 0\n  sends: ">= 1"\n');
    const r = vcsim('run', f, '--out', join(dir, 'o'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expectation failed: anomalies\.receiver_died expected 0, measured \d+/);
    expect(r.stdout).toContain('1/2 held');
  });

  it('has --help for every command', () => {
    expect(vcsim('--help').stdout).toContain('run <scenario>');
    const h = vcsim('run', '--help').stdout;
    for (const flag of ['--nodes', '--seed', '--duration', '--clock', '--out', '--outputs']) expect(h).toContain(flag);
  });
});
