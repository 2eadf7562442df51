// Format-1 traces (vcsim before issue 14) stay readable by every command that reads a trace:
// render draws the same pictures from the format-1 trace and from the same run's format-2
// trace, and vcsim check's comparison with a format-1 baseline finds every event the same
// (only the header's format differs), its first difference shown expanded when one exists.
// (Replay of a format-1 trace: test/repro/replay.test.ts.)

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, renderRun, runScenario } from '../../src/api/index.js';
import { compareRun } from '../../src/ci/compare.js';
import { tempDir } from '../helpers/cli.js';

const FIXTURE = 'test/fixtures/mixed-faults-format1';

describe('format-1 traces', () => {
  let root: string;
  let run2: string;
  let digest: string;
  beforeAll(async () => {
    root = tempDir();
    run2 = join(root, 'run2');
    const r = await runScenario({ loaded: loadScenarioFile('test/fixtures/mixed-faults.yaml'), seed: 1, outDir: run2, visuals: false });
    digest = r.summary.digest!;
  });

  it('render draws the same pictures from a format-1 trace as from the format-2 trace of the same run', async () => {
    const run1 = join(root, 'run1');
    mkdirSync(run1);
    writeFileSync(join(run1, 'trace.jsonl'), gunzipSync(readFileSync(join(FIXTURE, 'trace.jsonl.gz'))));
    copyFileSync(join(run2, 'summary.json'), join(run1, 'summary.json'));
    const a = await renderRun({ runDir: run1, outDir: join(root, 'pics1') });
    const b = await renderRun({ runDir: run2, outDir: join(root, 'pics2') });
    expect(a.files).toEqual(b.files);
    // report.html names its run folder (run1, run2); everything else must be the same.
    for (const f of ['shiviz.log', 'report.html']) {
      expect(readFileSync(join(root, 'pics1', f), 'utf8').replaceAll(run1, run2), f).toBe(readFileSync(join(root, 'pics2', f), 'utf8'));
    }
  });

  it('vcsim check against a format-1 baseline trace: every event the same, only the format differs; a changed event is shown', () => {
    const baselines = join(root, 'baselines');
    mkdirSync(join(baselines, 'mf'), { recursive: true });
    const old = gunzipSync(readFileSync(join(FIXTURE, 'trace.jsonl.gz')));
    writeFileSync(join(baselines, 'mf', 'seed-1.jsonl.gz'), gzipSync(old));
    const base = { digest: 'sha256:old', trace: 'mf/seed-1.jsonl.gz', figures: {} };
    const c = compareRun(base, {}, digest, join(run2, 'trace.jsonl'), baselines);
    expect(c.status).toBe('changed');
    expect(c.header).toEqual([{ path: 'format', baseline: 1, measured: 2 }]);
    expect(c.first_difference).toBeNull();
    expect(c.note).toBe('every event is the same; only the header differs');

    const edited = old.toString('utf8').replace('"t":62708,', '"t":62709,');
    writeFileSync(join(baselines, 'mf', 'seed-1.jsonl.gz'), gzipSync(edited));
    const d = compareRun(base, {}, digest, join(run2, 'trace.jsonl'), baselines);
    expect(d.first_difference?.baseline).toContain('"t":62709,"node":"n0"');
    expect(d.first_difference?.now).toContain('"t":62708,"node":"n0"');
  });
});
