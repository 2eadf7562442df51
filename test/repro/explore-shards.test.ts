// vcsim explore across machines and interruptions (issue 19): four shard processes merged
// from their folders, in any order, give the report of one run byte for byte; a merge with
// a shard missing or repeated fails with exit 2 naming it; Kubernetes and Slurm variables
// pick the shard --shard does; finished seeds are journaled, so an interrupted explore
// resumes without running them again, and a damaged journal line is run again, not used.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { explore, exploreRaw, type ExploreOptions } from '../../src/repro/explore.js';
import { reportJson } from '../../src/repro/report.js';
import { readJournalLine } from '../../src/util/journal.js';
import { ROOT, tempDir, testEnv, vcsim } from '../helpers/cli.js';

const FILE = 'scenarios/reordering-rare.yaml';
const SEEDS = '1..120'; // seed 49 fails
const read = (f: string): string => readFileSync(f, 'utf8');

describe('an explore in 4 shard processes', () => {
  let dir: string;
  const args = ['explore', FILE, '--seeds', SEEDS, '--workers', '1', '--quiet'];
  beforeAll(() => {
    dir = tempDir();
    const whole = vcsim([...args, '--report', join(dir, 'whole', 'explore.json')]);
    expect(whole.status, whole.stderr).toBe(1);
    for (const i of [1, 2, 3, 4]) {
      const r = vcsim([...args, '--shard', `${i}/4`, '--report', join(dir, `shard-${i}`, 'explore.json')]);
      expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
      expect(r.stderr).toContain(`vcsim explore: shard ${i}/4 (from --shard ${i}/4)`);
    }
  });

  it('merges the shard folders, in any order, into the report of one run, byte for byte', () => {
    const m = vcsim(['explore', '--merge', ...[2, 4, 1, 3].map((i) => join(dir, `shard-${i}`)), '--report', join(dir, 'merged.json')]);
    expect(m.status, m.stderr).toBe(1);
    expect(read(join(dir, 'merged.json'))).toBe(read(join(dir, 'whole', 'explore.json')));
    expect(read(join(dir, 'merged.csv'))).toBe(read(join(dir, 'whole', 'explore.csv')));
    expect(read(join(dir, 'merged.json'))).toContain('"seed": 49');
  });

  it('refuses a missing shard with exit 2, naming it', () => {
    const m = vcsim(['explore', '--merge', ...[1, 3, 4].map((i) => join(dir, `shard-${i}`)), '--report', join(dir, 'bad.json')]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe('vcsim: --merge: missing shard 2/4 (have 1/4, 3/4, 4/4)\n');
  });

  it('refuses a repeated shard with exit 2, naming it and its reports', () => {
    const m = vcsim(['explore', '--merge', ...[1, 2, 3, 4, 3].map((i) => join(dir, `shard-${i}`)), '--report', join(dir, 'bad.json')]);
    expect(m.status).toBe(2);
    const f = join(dir, 'shard-3', 'explore.json');
    expect(m.stderr).toBe(`vcsim: --merge: shard 3/4 is given more than once: ${f}, ${f}\n`);
  });

  it('takes the shard from a Kubernetes Indexed Job or a Slurm array as from the flag', () => {
    const k8s = vcsim([...args, '--shard-count', '4', '--report', join(dir, 'k8s.json')], { JOB_COMPLETION_INDEX: '3' });
    expect(k8s.stderr).toContain('vcsim explore: shard 4/4 (from JOB_COMPLETION_INDEX=3 of --shard-count 4)');
    expect(read(join(dir, 'k8s.json'))).toBe(read(join(dir, 'shard-4', 'explore.json')));
    const slurm = vcsim([...args, '--report', join(dir, 'slurm.json')], { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' });
    expect(slurm.stderr).toContain('vcsim explore: shard 1/4 (from SLURM_ARRAY_TASK_ID=1 (SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_STEP=1, SLURM_ARRAY_TASK_COUNT=4))');
    expect(read(join(dir, 'slurm.json'))).toBe(read(join(dir, 'shard-1', 'explore.json')));
  });
});

describe('an interrupted explore', () => {
  const base = (): ExploreOptions => {
    const loaded = loadScenarioFile(FILE);
    return { input: loaded.input, origin: FILE, range: { first: 1, last: 120 }, workers: 1, determinismEvery: 10, command: (s) => `vcsim run ${FILE} --seed ${s}` };
  };
  let whole: string;
  beforeAll(async () => {
    whole = reportJson(await explore(base()));
  });

  it('resumes without running its finished seeds again, and reports as one uninterrupted run', async () => {
    const journal = join(tempDir(), 'explore.journal.jsonl');
    const ac = new AbortController();
    const first = await exploreRaw({ ...base(), journal, signal: ac.signal, onProgress: (p) => { if (p.done >= 30) ac.abort(); } });
    expect(first.complete).toBe(false);
    expect(first.resumed).toBe(0);
    expect(first.computed).toBe(30);
    expect(read(journal).trim().split('\n')).toHaveLength(1 + 30);
    let last = { done: 0, resumed: -1 };
    const second = await explore({ ...base(), journal, onProgress: (p) => { last = p; } });
    expect(last.resumed).toBe(30);
    expect(last.done).toBe(120);
    expect(reportJson(second)).toBe(whole);
    // The journal now holds every seed once; a third run runs nothing.
    expect(read(journal).trim().split('\n')).toHaveLength(1 + 120);
    const third = await exploreRaw({ ...base(), journal });
    expect([third.resumed, third.computed]).toEqual([120, 0]);
  });

  it('writes the same journal, byte for byte, with 1, 2 and 3 workers', async () => {
    const dir = tempDir();
    const journals = [1, 2, 3].map((w) => join(dir, `w${w}.journal.jsonl`));
    const reports: string[] = [];
    for (const [i, journal] of journals.entries()) reports.push(reportJson(await explore({ ...base(), workers: i + 1, journal })));
    expect(reports).toEqual([whole, whole, whole]);
    const lines = read(journals[0]).trim().split('\n');
    expect(lines).toHaveLength(1 + 120);
    expect(lines.slice(1).map((l) => (readJournalLine(l) as { outcome: { seed: number } }).outcome.seed)).toEqual(Array.from({ length: 120 }, (_, k) => k + 1));
    expect(read(journals[1])).toBe(read(journals[0]));
    expect(read(journals[2])).toBe(read(journals[0]));
  });

  it('resumes with --stop-after to the same report as one run with it', async () => {
    const opts = { ...base(), range: { first: 1, last: 1000 }, stopAfter: 3, determinismEvery: undefined };
    const one = reportJson(await explore(opts));
    const journal = join(tempDir(), 'explore.journal.jsonl');
    const ac = new AbortController();
    await exploreRaw({ ...opts, journal, signal: ac.signal, onProgress: (p) => { if (p.done >= 100) ac.abort(); } });
    expect(reportJson(await explore({ ...opts, journal }))).toBe(one);
  });

  it('runs a seed whose journal line is damaged again, never using the line', async () => {
    const journal = join(tempDir(), 'explore.journal.jsonl');
    await explore({ ...base(), journal });
    const lines = read(journal).split('\n');
    const at = lines.findIndex((l) => l.includes('"seed":49,'));
    lines[at] = lines[at].replace('"failed":true', '"failed":fals');
    writeFileSync(journal, lines.join('\n'));
    const again = await exploreRaw({ ...base(), journal });
    expect([again.resumed, again.computed]).toEqual([119, 1]);
    expect(again.failing.map((f) => f.seed)).toEqual([49]);
    expect(read(journal).trim().split('\n').every((l) => readJournalLine(l) !== undefined)).toBe(true);
  });

  it('says on the command line how many seeds it resumed and how many it ran', async () => {
    const dir = tempDir();
    const report = join(dir, 'explore.json');
    const ac = new AbortController();
    const opts = { ...base(), determinismEvery: undefined };
    await exploreRaw({ ...opts, journal: join(dir, 'explore.journal.jsonl'), signal: ac.signal, onProgress: (p) => { if (p.done >= 45) ac.abort(); } });
    const r = vcsim(['explore', FILE, '--seeds', SEEDS, '--workers', '1', '--report', report]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(`45 seed(s) resumed from ${join(dir, 'explore.journal.jsonl')}, 75 run now`);
    const plain = vcsim(['explore', FILE, '--seeds', SEEDS, '--workers', '1', '--report', join(dir, 'plain.json'), '--fresh']);
    expect(plain.status).toBe(1);
    expect(read(report)).toBe(read(join(dir, 'plain.json')));
  });

  it('stopped by Ctrl-C, keeps its finished seeds and resumes from them', async () => {
    const dir = tempDir();
    const report = join(dir, 'explore.json');
    const journal = join(dir, 'explore.journal.jsonl');
    const args = [join(ROOT, 'bin', 'vcsim.js'), 'explore', FILE, '--seeds', '1..600', '--workers', '1', '--report', report];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once some batches are journaled (polling the file, not timing the run).
    for (let i = 0; i < 400 && !(existsSync(journal) && read(journal).split('\n').length > 1 + 32); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    const kept = read(journal).trim().split('\n').length - 1;
    expect(stderr).toContain(`${kept} seed(s) finished are kept in ${journal}; run the same command again to resume`);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(600);
    const again = vcsim(args.slice(1));
    expect(again.status, again.stderr).toBe(1);
    expect(again.stdout).toContain(`${kept} seed(s) resumed from ${journal}, ${600 - kept} run now`);
    const plain = vcsim(['explore', FILE, '--seeds', '1..600', '--workers', '1', '--report', join(dir, 'plain.json')]);
    expect(plain.status).toBe(1);
    expect(read(report)).toBe(read(join(dir, 'plain.json')));
  });
});
