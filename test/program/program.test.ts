// Real programs inside the simulator (issue 20, docs/programs.md): the original-style Python
// client under the shim matches the seed model event for event, a wrong client is caught at
// the right event, runs repeat exactly, and a misbehaving program gets a per-node report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffProgram, loadScenarioFile, loadScenarioText, ProgramFailure, runScenario, type LoadedScenario, type Override, type TraceEvent } from '../../src/api/index.js';

/** The interpreter itself (not a version manager's wrapper script, which only adds start-up time). */
const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
const CLIENT = 'test/program/clients/seed_client.py';
const FAILING = 'test/program/clients/failing.py';
const LOSSY5 = 'test/program/fixtures/lossy5.yaml';

function withProgram(file: string, program: Record<string, unknown>): LoadedScenario {
  const o: Override = { path: ['program'], value: { shim: 'python', timeout: '20s', ...program }, flag: '(test)' };
  return loadScenarioFile(file, [o]);
}

function vcsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/vcsim.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function traceLines(loaded: LoadedScenario, seed: number): Promise<string[]> {
  const lines: string[] = [];
  await runScenario({ loaded, seed, outDir: null, outputs: 'none', checker: 'off', consumers: [{ wantsLines: true, event: (_e: TraceEvent, line: string) => lines.push(line) }] });
  return lines;
}

describe('the original-style client under the Python shim', () => {
  it('matches the seed model on a 5-node lossy, reordering run with deaths, a rejoin, a partition and a pause, seeds 1..5', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT] });
    let deaths = 0;
    let resets = 0;
    let cut = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const r = await diffProgram(loaded, seed, loaded.scenario.program!);
      expect(r.at, `seed ${seed}: model ${r.model[r.at]}\nprogram ${r.program[r.at]}`).toBe(-1);
      const records = r.model.map((l) => JSON.parse(l) as Record<string, unknown>);
      deaths += records.filter((e) => e.type === 'receiver_died' && e.cause === 'unknown_key').length;
      resets += records.filter((e) => e.type === 'join_seen' && e.reset === true).length;
      cut += records.filter((e) => e.type === 'drop' && String(e.reason).startsWith('partition')).length;
      expect(records.filter((e) => e.type === 'datagram').length).toBeGreaterThan(20);
    }
    // The comparison covered the quirks the issue names, not only quiet runs.
    expect(deaths).toBeGreaterThan(0);
    expect(resets).toBeGreaterThan(0);
    expect(cut).toBeGreaterThan(0);
  });

  it('matches too when the client prints its clock only around sends and receives, as the original', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT, '--silent-handshake'] });
    const r = await diffProgram(loaded, 3, loaded.scenario.program!);
    expect(r.at, `model ${r.model[r.at]}\nprogram ${r.program[r.at]}`).toBe(-1);
    // The handshake's clocks were not printed (so not compared); the chat events' were.
    let printed = new WeakSet<object>();
    const after: Record<string, boolean[]> = {};
    await runScenario({
      loaded, seed: 3, outDir: null, outputs: 'none', printedClocks: (p) => { printed = p; },
      consumers: [{ wantsClocks: true, event: (e: TraceEvent) => { if ('after' in e && typeof e.after === 'object') (after[e.type] ??= []).push(printed.has(e.after)); } }],
    });
    expect(after.join_seen.length).toBeGreaterThan(0);
    expect(after.join_seen.every((p) => !p)).toBe(true);
    expect(after.receive.length).toBeGreaterThan(0);
    expect(after.receive.every((p) => p)).toBe(true);
    expect(after.send.every((p) => p)).toBe(true);
  });

  it('catches a client that counts receives at the first receive, both sides shown', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT, '--count-receives'] });
    const r = await diffProgram(loaded, 1, loaded.scenario.program!);
    const firstReceive = r.model.findIndex((l) => JSON.parse(l).type === 'receive');
    expect(firstReceive).toBeGreaterThan(0);
    expect(r.at).toBe(firstReceive);
    const [m, p] = [JSON.parse(r.model[r.at]), JSON.parse(r.program[r.at])];
    expect(p.type).toBe('receive');
    expect(p.before).toBe(m.before);
    const own = m.node as string;
    expect(JSON.parse(p.after)[own]).toBe(JSON.parse(m.after)[own] + 1);
  });

  it('gives byte-identical traces for the same seed twice', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT] });
    const a = await traceLines(loaded, 3);
    const b = await traceLines(loaded, 3);
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
  });

  it('feeds the checker: the run\'s summary is the model\'s, but for the words of each death', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT] });
    const model: LoadedScenario = { ...loaded, scenario: { ...loaded.scenario, program: undefined } };
    const words = (s: Record<string, unknown>): unknown => JSON.parse(JSON.stringify(s).replace(/unknown_key: [^(]*\(/g, 'unknown_key: (WORDS) ('));
    const a = (await runScenario({ loaded, seed: 1, outDir: null, outputs: 'none' })).summary;
    const b = (await runScenario({ loaded: model, seed: 1, outDir: null, outputs: 'none' })).summary;
    expect(a.checker).toHaveProperty('sends');
    expect(a.anomalies.receiver_died).toBeGreaterThan(0);
    expect(words(a as unknown as Record<string, unknown>)).toEqual(words(b as unknown as Record<string, unknown>));
  });

  it('runs mixed with model nodes: programs on two of five nodes match the model', async () => {
    const loaded = withProgram(LOSSY5, { command: [PYTHON, CLIENT], nodes: ['n1', 'n3'] });
    expect(loaded.scenario.program!.nodes).toEqual([1, 3]);
    const r = await diffProgram(loaded, 2, loaded.scenario.program!);
    expect(r.at, `model ${r.model[r.at]}\nprogram ${r.program[r.at]}`).toBe(-1);
  });
});

describe('vcsim shim on the command line', () => {
  it('is a node program itself: a scenario can name `vcsim shim python -- python3 client.py`', async () => {
    const command = [process.execPath, 'bin/vcsim.js', 'shim', 'python', '--', PYTHON, CLIENT];
    const loaded = loadScenarioFile(LOSSY5, [
      { path: ['nodes'], value: 3, flag: '(test)' },
      { path: ['faults'], value: [], flag: '(test)' },
      { path: ['program'], value: { command, shim: 'none', timeout: '20s' }, flag: '(test)' },
    ]);
    const r = await diffProgram(loaded, 1, loaded.scenario.program!);
    expect(r.at, `model ${r.model[r.at]}\nprogram ${r.program[r.at]}`).toBe(-1);
    expect(r.records).toBeGreaterThan(30);
  });

  it('--path prints where the shim is', () => {
    const r = vcsim('shim', 'python', '--path');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/program\/shim\/vcsim_shim\.py$/);
  });
});

describe('vcsim diff on the command line', () => {
  it('says identical and exits 0; shows the first difference and exits 1', () => {
    const ok = vcsim('diff', LOSSY5, '--program', `${PYTHON} ${CLIENT}`, '--shim', 'python', '--seed', '4');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^vcsim diff program-lossy5 seed 4: identical, \d+ records/);
    const bad = vcsim('diff', LOSSY5, '--program', `${PYTHON} ${CLIENT} --count-receives`, '--shim', 'python', '--seed', '4');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('the program DIFFERS from the model');
    expect(bad.stderr).toMatch(/first difference at line \d+ \(receive ev \d+/);
    expect(bad.stderr).toMatch(/\* after/);
  });

  it('has --help, and reports bad input with exit 2', () => {
    const h = vcsim('diff', '--help');
    expect(h.code).toBe(0);
    for (const f of ['--program', '--shim', '--timeout', '--clock-pattern', '--seed']) expect(h.stdout).toContain(f);
    const none = vcsim('diff', LOSSY5);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('vcsim: --program: expected a program');
    const pat = vcsim('diff', LOSSY5, '--program', 'x', '--clock-pattern', 'Vector (.*)');
    expect(pat.code).toBe(2);
    expect(pat.stderr).toContain('--clock-pattern');
    expect(pat.stderr).toContain('(?<clock>');
  });
});

describe('a misbehaving program gets a per-node report', () => {
  const quick = (mode: string, extra: Record<string, unknown> = {}): LoadedScenario => withProgram(LOSSY5, { command: [PYTHON, FAILING, mode], nodes: ['n2'], timeout: '1s', ...extra });

  async function failure(loaded: LoadedScenario): Promise<ProgramFailure> {
    try {
      await runScenario({ loaded, seed: 1, outDir: null, outputs: 'none' });
    } catch (e) {
      if (e instanceof ProgramFailure) return e;
      throw e;
    }
    throw new Error('the run did not fail');
  }

  it('a program that hangs: not idle within its bound', async () => {
    const f = await failure(quick('hang-on-send'));
    expect(f.problem.node).toBe('n2');
    expect(f.problem.message).toMatch(/^did not become idle within 1000 ms after the line "msg 1 from n2"/);
    expect(f.problem.t).toBeGreaterThan(0);
  });

  it('a program that exits: its exit code and the end of its stderr', async () => {
    const f = await failure(quick('exit-on-send'));
    expect(f.problem.message).toMatch(/^exited with code 3 after the line/);
    expect(f.problem.stderr).toContain('giving up on purpose');
  });

  it('a program whose input thread dies: the exception and its traceback', async () => {
    const f = await failure(quick('sender-dies'));
    expect(f.problem.message).toContain('a thread died after the line "msg 1 from n2": RuntimeError: the input thread broke');
    expect(f.problem.stderr).toContain('Traceback');
  });

  it('a program that prints garbage (no shim): the line it wrote', async () => {
    const f = await failure(quick('(none)', { shim: 'none', command: [PYTHON, '-c', 'print("hello there")'] }));
    expect(f.problem.message).toMatch(/^wrote a line that is not the protocol starting \(expected TX, OUT, DIED or IDLE\): "hello there"/);
  });

  it('a command that cannot start', async () => {
    const f = await failure(quick('(none)', { shim: 'none', command: ['/nonexistent/vcsim-no-such-program'] }));
    expect(f.problem.message).toMatch(/^could not run: .*ENOENT/);
  });

  it('on_error: continue goes on without the node and lists the problem', async () => {
    const r = await runScenario({ loaded: quick('exit-on-send', { on_error: 'continue' }), seed: 1, outDir: null, outputs: 'none' });
    expect(r.programProblems.map((p) => p.node)).toEqual(['n2']);
    expect(r.summary.sends).toBeGreaterThan(0);
  });

  it('on the command line: exit 1 and a report naming the node, the time and its stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-prog-'));
    const file = join(dir, 'exit.yaml');
    writeFileSync(file, `nodes: 3\nduration: 1s\nprogram:\n  command: [${JSON.stringify(PYTHON)}, ${JSON.stringify(FAILING)}, exit-on-send]\n  nodes: [n1]\n  shim: python\n  timeout: 5s\n`);
    const r = vcsim('run', file, '--out', join(dir, 'out'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^vcsim: program node n1 stopped the run at t=[0-9.]+s: it exited with code 3 after the line "msg 1 from n1"/);
    expect(r.stderr).toContain('vcsim:   | giving up on purpose');
  });
});

describe('the program: field', () => {
  it('reports bad fields at file:line:column with exit 2', () => {
    const text = 'nodes: 3\nduration: 1s\nprogram:\n  command: [python3, c.py]\n  nodes: [n1, n9]\n  clock_pattern: "Vector (.*)"\n';
    let problems: string[] = [];
    try {
      loadScenarioText(text, 'p.yaml');
    } catch (e) {
      problems = (e as Error).message.split('\n');
    }
    expect(problems).toContainEqual(expect.stringMatching(/^p\.yaml:5:\d+: program\.nodes\.1: expected a node of this scenario, found "n9"/));
    expect(problems).toContainEqual(expect.stringMatching(/^p\.yaml:6:\d+: program\.clock_pattern: expected a regular expression with a named group/));
    expect(() => loadScenarioText('nodes: 2\nduration: 1s\njoin: {membership: static}\nprogram: {command: [x]}\n', 'q.yaml')).toThrow(/join\.membership: expected handshake/);
  });
});
