// The trace readers docs/outputs.md gives in Python and jq ("Reading a trace") really expand a
// format-2 trace to the format-1 events vcsim wrote before format 2 (the committed
// mixed-faults fixture: resets, a crash, receiver deaths, duplicates). Skipped where python3
// or jq is not installed.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';
import { tempDir } from '../helpers/cli.js';

const doc = readFileSync('docs/outputs.md', 'utf8');
const block = (lang: string): string => {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(doc.slice(doc.indexOf('### Reading a trace')));
  if (m === null) throw new Error(`no ${lang} block under "Reading a trace"`);
  return m[1];
};
const has = (cmd: string): boolean => spawnSync(cmd, ['--version']).status === 0;
const old = gunzipSync(readFileSync('test/fixtures/mixed-faults-format1/trace.jsonl.gz')).toString('utf8').split('\n').filter((l) => l !== '');
// Python's json.dumps and jq -c both keep key order; compare events as parsed values in order.
const canon = (lines: string[]): string[] => lines.slice(1).map((l) => JSON.stringify(JSON.parse(l)));

describe('the documented trace readers', () => {
  let dir: string;
  let trace: string;
  beforeAll(async () => {
    dir = tempDir();
    await runScenario({ loaded: loadScenarioFile('test/fixtures/mixed-faults.yaml'), seed: 1, outDir: join(dir, 'run'), visuals: false });
    trace = join(dir, 'run', 'trace.jsonl');
  });

  it.skipIf(!has('python3'))('Python expands format 2 to format 1', () => {
    writeFileSync(join(dir, 'expand.py'), block('python') + '\nimport sys\nfor e in expand(sys.argv[1]):\n    print(json.dumps(e, separators=(",", ":"), ensure_ascii=False))\n');
    const r = spawnSync('python3', [join(dir, 'expand.py'), trace], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(canon(r.stdout.split('\n').filter((l) => l !== ''))).toEqual(canon(old));
  });

  it.skipIf(!has('jq'))('jq expands format 2 to format 1', () => {
    writeFileSync(join(dir, 'expand.jq'), block('jq'));
    const r = spawnSync('jq', ['-c', '-n', '-f', join(dir, 'expand.jq'), trace], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(canon(r.stdout.split('\n').filter((l) => l !== ''))).toEqual(canon(old));
  });
});
