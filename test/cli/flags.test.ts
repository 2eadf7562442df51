// Flags as a hostile user types them (issue 16, item 6), and the rule that every flag is
// declared once and checked once (src/cli/options.ts; docs/errors.md, "User errors: one line
// per problem"): a bad flag is one line naming it and quoting what was typed, exit 2.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { loadScenarioData, loadScenarioFile } from '../../src/api/index.js';
import { COMMANDS } from '../../src/cli/main.js';
import { ROOT, tempDir, vcsim, type CliResult } from '../helpers/cli.js';

/** A user's mistake: exit 2, exactly one line on stderr, naming the flag, no stack trace. */
function refused(r: CliResult, flag: string): string {
  expect(r.status, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^vcsim: ${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

const LOSSLESS = 'scenarios/lossless.yaml';

describe('issue 16, item 6: flags', () => {
  it('--duration -1s is one clear line about --duration, not "Unknown arguments: 1, s"', () => {
    const line = refused(vcsim(['run', LOSSLESS, '--duration', '-1s', '--outputs', 'none']), '--duration');
    expect(line).toBe('vcsim: --duration: expected a duration that is not negative, found "-1s"');
    expect(refused(vcsim(['shrink', LOSSLESS, '--duration', 'soon']), '--duration')).toContain('found "soon"');
  });

  it('non-numeric values are reported as the text typed, not as NaN', () => {
    const cases: [string[], string][] = [
      [['run', LOSSLESS, '--nodes', 'abc'], '--nodes'],
      [['run', LOSSLESS, '--seed', 'one'], '--seed'],
      [['run', LOSSLESS, '--orderings-limit', 'lots'], '--orderings-limit'],
      [['run', LOSSLESS, '--time-scale', 'slow'], '--time-scale'],
      [['run', LOSSLESS, '--port', 'http'], '--port'],
      [['explore', LOSSLESS, '--seeds', '1..2', '--workers', 'many'], '--workers'],
      [['explore', LOSSLESS, '--seeds', '1..2', '--stop-after', 'x'], '--stop-after'],
      [['shrink', LOSSLESS, '--max-tries', 'x'], '--max-tries'],
      [['sweep', LOSSLESS, '--vary', 'nodes=2', '--seeds', '1..1', '--workers', 'two'], '--workers'],
    ];
    for (const [args, flag] of cases) {
      const line = refused(vcsim(args), flag);
      expect(line).not.toContain('NaN');
      expect(line).toContain(`found ${JSON.stringify(args[args.indexOf(flag) + 1])}`);
    }
    expect(refused(vcsim(['run', LOSSLESS, '--nodes', '99999999999999999999']), '--nodes')).toContain('found "99999999999999999999"');
  });

  it('--merge on a file that is not an explore report says what the file is and what was expected', () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    expect(vcsim(['run', LOSSLESS, '--out', out, '--quiet']).status).toBe(0);
    const summary = refused(vcsim(['explore', '--merge', join(out, 'summary.json')]), join(out, 'summary.json'));
    expect(summary).toContain('expected an explore report');
    expect(summary).toContain('vcsim-explore/1');
    expect(summary).toMatch(/found a JSON object without a "format" field \(its fields: .*scenario/);
    expect(summary).not.toContain('undefined');
    const trace = refused(vcsim(['explore', '--merge', join(out, 'trace.jsonl')]), join(out, 'trace.jsonl'));
    expect(trace).toContain('found text that is not one JSON value');
  });

  it('--nodes with no value is refused', () => {
    expect(refused(vcsim(['run', LOSSLESS, '--nodes']), '--nodes')).toBe('vcsim: --nodes: expected a value after it, found nothing');
    expect(refused(vcsim(['run', LOSSLESS, '--nodes', '--quiet']), '--nodes')).toContain('found nothing');
    refused(vcsim(['explore', LOSSLESS, '--seeds']), '--seeds');
  });

  it('--transport udp --check-determinism is refused before any socket opens', () => {
    const line = refused(vcsim(['run', LOSSLESS, '--transport', 'udp', '--check-determinism', '--outputs', 'none']), '--check-determinism');
    expect(line).toContain('--transport udp');
  });

  it('node --name a --name b is refused, not run as "a,b"', () => {
    const line = refused(vcsim(['node', '--name', 'a', '--name', 'b']), '--name');
    expect(line).toBe('vcsim: --name: expected it once, found it given 2 times ("a", "b")');
  });

  it('sweep --vary __proto__.polluted=1 names the --vary flag, and nothing is polluted', () => {
    const out = join(tempDir(), 'sweep');
    for (const path of ['__proto__.polluted', 'network.constructor.x', 'prototype']) {
      const line = refused(vcsim(['sweep', LOSSLESS, '--vary', `${path}=1`, '--seeds', '1..1', '--out', out]), `--vary ${path}`);
      expect(line).not.toContain(LOSSLESS);
    }
    expect(existsSync(out)).toBe(false);
    // Even an override that reaches the loader cannot set a field on Object.prototype.
    const input = loadScenarioFile(LOSSLESS).input;
    expect(() => loadScenarioData(input, 'x', [{ path: ['__proto__', 'polluted'], value: 1, flag: '--vary __proto__.polluted' }])).toThrow(/--vary __proto__\.polluted/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('shrink prints a command whose paths are shell-quoted, and that command, run by a shell, reproduces the failure', () => {
    const dir = join(tempDir(), "a folder with spaces and 'quotes'");
    mkdirSync(dir, { recursive: true });
    const scenario = join(dir, 'rare copy.yaml');
    copyFileSync('scenarios/reordering-rare.yaml', scenario);
    const out = join(dir, 'small one.yaml');
    const r = vcsim(['shrink', scenario, '--seed', '49', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const command = r.stdout.trim();
    expect(command.startsWith('vcsim run ')).toBe(true);
    // The shell sees `vcsim` as the built command; the printed line is pasted as it is.
    const sh = spawnSync('sh', ['-c', `vcsim() { "${process.execPath}" "${join(ROOT, 'bin', 'vcsim.js')}" "$@"; }\n${command} --outputs none --out "${join(tempDir(), 'o')}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(sh.status, sh.stderr).toBe(1);
    expect(sh.stderr).toContain('expectation failed: anomalies.receiver_died');
    // The header of the shrunk file quotes the original command the same way.
    expect(readFileSync(out, 'utf8')).toContain(`# Shrunk from: vcsim run '${scenario.replace(/'/g, `'\\''`)}' --seed 49`);
  });

  it('--seeds given twice is one clear line, not a yargs error', () => {
    const line = refused(vcsim(['explore', LOSSLESS, '--seeds', '1..2', '--seeds', '3..4']), '--seeds');
    expect(line).toBe('vcsim: --seeds: expected it once, found it given 2 times ("1..2", "3..4")');
  });

  it('repeated single-value flags are refused with a clear message, whatever the command', () => {
    const cases: [string[], string][] = [
      [['run', LOSSLESS, '--seed', '1', '--seed', '2'], '--seed'],
      [['run', LOSSLESS, '--nodes', '3', '--nodes', '4'], '--nodes'],
      [['run', LOSSLESS, '--clock', 'seed', '--clock', 'lamport'], '--clock'],
      [['run', LOSSLESS, '--out', 'a', '--out', 'b'], '--out'],
      [['run', LOSSLESS, '--duration', '1s', '--duration', '2s'], '--duration'],
      [['run', LOSSLESS, '--window', '1s..', '--window', '..2s'], '--window'],
      [['render', 'results', '--nodes-shown', 'n0', '--nodes-shown', 'n1'], '--nodes-shown'],
      [['validate', LOSSLESS, '--port', '47000', '--port', '47001'], '--port'],
      [['explore', LOSSLESS, '--shard', '1/2', '--shard', '2/2'], '--shard'],
      [['check', '--json', 'a.json', '--json', 'b.json'], '--json'],
      [['sweep', LOSSLESS, '--checker', 'on', '--checker', 'off'], '--checker'],
      [['node', '--name', 'a', '--clock', 'seed', '--clock', 'seed'], '--clock'],
    ];
    for (const [args, flag] of cases) expect(refused(vcsim(args), flag)).toContain('expected it once, found it given 2 times');
  });

  it('a value outside a flag\'s choices is one line in the same form', () => {
    expect(refused(vcsim(['run', LOSSLESS, '--clock', 'sundial']), '--clock')).toBe('vcsim: --clock: expected one of seed, fidge-mattern, lamport, found "sundial"');
    expect(refused(vcsim(['node', '--name', 'a', '--clock', 'lamport']), '--clock')).toBe('vcsim: --clock: expected one of seed, fidge-mattern, found "lamport"');
  });
});

/** The flags and positionals a command's builder declares, read back from yargs. */
function declared(c: CommandModule<object, object>): { flags: string[]; positionals: string[] } {
  const built = (c.builder as (y: Argv<object>) => Argv<object>)(yargs([]));
  const keys = Object.keys((built as unknown as { getOptions(): { key: Record<string, boolean> } }).getOptions().key);
  const positionals = [...String(c.command).matchAll(/[<[](\w+)(?:\.\.)?[>\]]/g)].map((m) => m[1]);
  return { flags: keys.filter((k) => !positionals.includes(k) && k !== 'help' && k !== 'version'), positionals };
}

describe('--help', () => {
  it('vcsim --help exits 0 and lists every command', () => {
    const r = vcsim(['--help']);
    expect(r.status, r.stderr).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^\\s+vcsim ${String(c.command).split(' ')[0]}\\b`, 'm'));
  });

  it('every command\'s --help exits 0 and lists each of its flags', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(9);
    for (const c of COMMANDS) {
      const name = String(c.command).split(' ')[0];
      const { flags, positionals } = declared(c);
      expect(flags.length, name).toBeGreaterThan(0);
      const r = vcsim([name, '--help']);
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      for (const f of flags) expect(r.stdout, `${name} --help lists --${f}`).toMatch(new RegExp(`^\\s+--${f}(?=\\s)`, 'm'));
      for (const p of positionals) expect(r.stdout, `${name} --help lists ${p}`).toMatch(new RegExp(`^\\s+${p}\\b`, 'm'));
    }
  });
});

describe('each flag declared once', () => {
  /** Flags whose name means different things in two commands, each declared in its command. */
  const TWO_MEANINGS: Record<string, string> = {
    'check-determinism': 'run: a switch (run twice); explore: every k-th seed',
    json: 'check: a file to write; validate: a switch (print JSON)',
  };

  it('no flag is declared twice in src/cli, so no command redeclares one of the shared groups', () => {
    const dir = join(ROOT, 'src', 'cli');
    const seen = new Map<string, string[]>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/\.option\(\s*'([^']+)'/g)) seen.set(m[1], [...(seen.get(m[1]) ?? []), file]);
    }
    expect(seen.size).toBeGreaterThan(30);
    for (const [flag, files] of seen) expect(files, `--${flag} is declared in ${files.join(', ')}`).toHaveLength(TWO_MEANINGS[flag] === undefined ? 1 : 2);
    for (const flag of ['quiet', 'clock', 'out', 'seed', 'nodes', 'duration', 'workers', 'seeds', 'port', 'address', 'time-scale', 'checker', 'window', 'nodes-shown']) {
      expect(seen.get(flag), `--${flag}`).toEqual(['options.ts']);
    }
  });

  it('no command sets an exit code by number', () => {
    const dir = join(ROOT, 'src', 'cli');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/process\.exit(Code\s*=\s*|\()\s*\d/);
    }
  });
});
