// Determinism is the product: the same scenario, seed and version give byte-identical
// outputs, in one process and across processes; a different seed gives a different trace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';

const OUTPUTS = ['trace.jsonl', 'events.csv', 'messages.csv', 'summary.json'];
const tmp = (): string => mkdtempSync(join(tmpdir(), 'vcsim-det-'));

async function runTo(file: string, seed: number, overrides = [] as Parameters<typeof loadScenarioFile>[1]): Promise<string> {
  const dir = tmp();
  await runScenario({ loaded: loadScenarioFile(file, overrides), seed, outDir: dir });
  return dir;
}

describe('determinism', () => {
  for (const file of ['scenarios/partition.yaml', 'scenarios/reordering-death.yaml', 'scenarios/lossless.yaml']) {
    it(`${file}: two runs in one process write byte-identical files`, async () => {
      const a = await runTo(file, 3);
      const b = await runTo(file, 3);
      for (const f of OUTPUTS) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    });
  }

  it('two processes write byte-identical files, equal to the in-process run', async () => {
    const inProcess = await runTo('scenarios/partition.yaml', 5, [{ path: ['nodes'], value: 20, flag: '--nodes' }]);
    const dirs = [tmp(), tmp()];
    for (const d of dirs) {
      execFileSync(process.execPath, ['bin/vcsim.js', 'run', 'scenarios/partition.yaml', '--nodes', '20', '--seed', '5', '--out', d, '--quiet']);
    }
    for (const f of OUTPUTS) {
      const want = readFileSync(join(inProcess, f));
      for (const d of dirs) expect(readFileSync(join(d, f)).equals(want), `${d}/${f}`).toBe(true);
    }
  });

  it('a different seed gives a different trace', async () => {
    const a = JSON.parse(readFileSync(join(await runTo('scenarios/partition.yaml', 1), 'summary.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(await runTo('scenarios/partition.yaml', 2), 'summary.json'), 'utf8'));
    expect(a.digest).not.toBe(b.digest);
  });

  it('the summary digest is the SHA-256 of trace.jsonl', async () => {
    const dir = await runTo('scenarios/lossless.yaml', 1);
    const { createHash } = await import('node:crypto');
    const digest = 'sha256:' + createHash('sha256').update(readFileSync(join(dir, 'trace.jsonl'))).digest('hex');
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).digest).toBe(digest);
  });
});
