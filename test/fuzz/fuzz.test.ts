// Issue 16, the fuzz suite: generated bad scenario files and flags (fast-check, fixed seed).
// Each must be a user error: exit 2, one line per problem naming where, no stack trace, and
// no file left behind. Most cases call the loading API in-process (fast); a small sample runs
// the vcsim command itself.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { UserError } from '../../src/util/errors.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const SEED = 16;
const BASE = { name: 'fuzz', nodes: 4, duration: '2s', workload: { count: 2 } };

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A value of the wrong kind for most fields. */
const junk: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom<Json>(-1, -0.5, 1e300, -1e300, 1.5, true, null, [], {}, 'NaN', '-1s', '1e9h', '', '  '),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** One mutation of the base scenario that is always invalid, and what it touched. */
const badScenario: fc.Arbitrary<{ text: string; what: string }> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }).map((k) => ({ ...BASE, [`zz_${k}`]: 1 })).map((o) => ({ text: stringify(o), what: 'unknown field' })),
  fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 }), fc.double({ noNaN: true, min: 0.01, max: 100 }).filter((x) => !Number.isInteger(x)), fc.string({ maxLength: 5 }))
    .map((v) => ({ text: stringify({ ...BASE, nodes: v }), what: 'nodes' })),
  fc.oneof(fc.integer({ min: 1 }), fc.string({ maxLength: 6 }).filter((s) => !/^\s*[0-9.]+\s*(us|µs|ms|s|m|h)\s*$/.test(s) && s.trim() !== '0'))
    .map((v) => ({ text: stringify({ ...BASE, duration: v }), what: 'duration' })),
  fc.oneof(fc.double({ min: 1.0001, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -0.0001, noNaN: true }), fc.string({ maxLength: 4 }))
    .map((v) => ({ text: stringify({ ...BASE, network: { loss: v } }), what: 'network.loss' })),
  fc.double({ min: 10.001, max: 1e6, noNaN: true }).map((s) => ({ text: stringify({ ...BASE, network: { latency: { dist: 'lognormal', median: '20ms', sigma: s } } }), what: 'sigma' })),
  fc.tuple(fc.constantFrom('##', '@@', '==', ' ', '\t', '\n', '/'), fc.string({ maxLength: 4 }))
    .map(([sep, s]) => ({ text: stringify({ ...BASE, nodes: 2, names: [`a${sep}${s}`, 'ok'] }), what: 'names' })),
  fc.integer({ min: 70, max: 400 }).map((n) => ({ text: stringify({ ...BASE, nodes: 2, names: ['x'.repeat(n), 'ok'] }), what: 'long name' })),
  fc.double({ min: 1e5, max: 1e12, noNaN: true }).map((r) => ({ text: stringify({ ...BASE, duration: '10s', random_faults: { rate: r } }), what: 'random_faults.rate' })),
  junk.map((v) => ({ text: stringify({ ...BASE, workload: { interval: v } }), what: 'workload.interval' })).filter(({ text }) => !/interval: (0|"?[0-9.]+ ?(us|ms|s|m|h)"?)\n/.test(text)),
  junk.map((v) => ({ text: stringify({ ...BASE, protocol: { clock: v } }), what: 'protocol.clock' })),
  fc.integer({ min: 101, max: 400 }).map((n) => ({ text: `nodes: 2\nduration: 1s\nx: &a [1]\ny: [${Array(n).fill('*a').join(', ')}]\n`, what: 'aliases' })),
  fc.integer({ min: 33, max: 3000 }).map((d) => ({ text: `nodes: 2\nduration: 1s\nx: ${'['.repeat(d)}${']'.repeat(d)}\n`, what: 'nesting' })),
  fc.string({ maxLength: 40 }).map((s) => ({ text: `nodes: 2\nduration: 1s\nkey_${s.replace(/[^A-Za-z0-9]/g, '')}: [\n`, what: 'syntax' })),
);

/** Asserts the problems of a UserError: at least one, each one line naming where. */
function assertOneLineEach(e: unknown, file: string): void {
  expect(e, 'a user error').toBeInstanceOf(UserError);
  const problems = (e as UserError).problems;
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.where.startsWith(file), p.where).toBe(true);
    expect(`${p.path}: ${p.message}`, p.message).not.toMatch(/[\n\r]/);
    expect(p.message).not.toMatch(/\bat .*\.(js|ts):\d+/);
  }
}

describe('fuzz: bad scenario files (in-process, 400 cases)', () => {
  it('every generated bad scenario is a UserError with one line per problem', () => {
    fc.assert(
      fc.property(badScenario, ({ text }) => {
        let err: unknown = null;
        try {
          loadScenarioText(text, 'fuzz.yaml');
        } catch (e) {
          err = e;
        }
        assertOneLineEach(err, 'fuzz.yaml');
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('arbitrary text never throws anything but a UserError (200 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        try {
          loadScenarioText(text, 'any.yaml');
        } catch (e) {
          assertOneLineEach(e, 'any.yaml');
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

interface Ran { code: number | null; stderr: string }
function run(args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'vcsim.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('exit', (code) => resolve({ code, stderr }));
  });
}

function assertCliUserError(r: Ran, label: string): void {
  expect(r.code, `${label}\n${r.stderr}`).toBe(2);
  expect(r.stderr, label).not.toMatch(/\n\s+at |node:internal|Error: /);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines.length, label).toBeGreaterThan(0);
  for (const l of lines) expect(l, label).toMatch(/^(vcsim: |Run vcsim --help for usage\.)/);
}

describe('fuzz: the vcsim command on a sample (spawned)', () => {
  it('bad scenario files and bad flags exit 2 with one line each and leave no files', async () => {
    const dir = tempDir();
    const files = fc.sample(badScenario, { seed: SEED, numRuns: 4 });
    const flags = fc.sample(fc.oneof(
      fc.constantFrom('-1', '0', '1.5', '1e300').map((v) => ['--nodes', v]),
      fc.constantFrom('-3', '1.5', '1e300').map((v) => ['--seed', v]),
      fc.constantFrom('-1', '2.5').map((v) => ['--orderings-limit', v]),
      fc.constantFrom('5s..1s', 'x..y', '..').map((v) => ['--window', v]),
      fc.constantFrom('nobody', ',').map((v) => ['--nodes-shown', v]),
      fc.constantFrom('bogus').map((v) => ['--clock', v]),
      fc.constantFrom('10', 'fast', '-1s').map((v) => ['--duration', v]),
    ), { seed: SEED, numRuns: 4 });
    const cases: { args: string[]; out: string; label: string }[] = [];
    files.forEach(({ text, what }, i) => {
      const f = join(dir, `bad-${i}.yaml`);
      writeFileSync(f, text);
      const out = join(dir, `out-f${i}`);
      cases.push({ args: ['run', f, '--out', out, '--quiet'], out, label: `scenario (${what})` });
    });
    flags.forEach((fl, i) => {
      const out = join(dir, `out-g${i}`);
      cases.push({ args: ['run', 'scenarios/lossless.yaml', ...fl, '--out', out, '--quiet'], out, label: fl.join(' ') });
    });
    const results = await Promise.all(cases.map((c) => run(c.args)));
    results.forEach((r, i) => {
      assertCliUserError(r, cases[i].label);
      const out = cases[i].out;
      expect(existsSync(out) ? readdirSync(out) : [], cases[i].label).toEqual([]);
    });
  });
});
