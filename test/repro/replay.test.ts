// vcsim replay: a run's trace is recomputed from its header alone and compared byte for
// byte; any change to the recorded trace is found at its line, a trace of another version
// is flagged, and traces that cannot be replayed are refused as a user's mistake.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/index.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { UserError } from '../../src/util/errors.js';
import { replayTrace } from '../../src/repro/replay.js';
import { VERSION } from '../../src/util/version.js';
import { tempDir, vcsim } from '../helpers/cli.js';

describe('replay', () => {
  let dir: string;
  let lines: string[];
  let digest: string;
  beforeAll(async () => {
    dir = join(tempDir(), 'run');
    const loaded = loadScenarioFile('scenarios/partition.yaml', [{ path: ['nodes'], value: 6, flag: '--nodes' }, { path: ['duration'], value: '5s', flag: '--duration' }]);
    const r = await runScenario({ loaded, seed: 17, outDir: dir });
    digest = r.summary.digest!;
    lines = readFileSync(join(dir, 'trace.jsonl'), 'utf8').split('\n');
  });
  const variant = (edit: (ls: string[]) => string[]): string => {
    const f = join(tempDir(), 'trace.jsonl');
    writeFileSync(f, edit([...lines]).join('\n'));
    return f;
  };

  it('recomputes a run from its header (overrides and seed included) byte for byte', async () => {
    const r = await replayTrace(dir);
    expect(r.divergence).toBeNull();
    expect(r.otherVersion).toBeNull();
    expect(r.header.seed).toBe(17);
    expect(r.lines).toBe(lines.length - 1);
    expect(r.digest).toBe(digest);
  });

  it('names the first differing line', async () => {
    const at = 40;
    const changed = lines[at - 1].replace(/"t":(\d+)/, (_m, t: string) => `"t":${Number(t) + 1}`);
    expect(changed).not.toBe(lines[at - 1]);
    const r = await replayTrace(variant((ls) => { ls[at - 1] = changed; return ls; }));
    expect(r.divergence).toEqual({ line: at, a: changed, b: lines[at - 1] });
    expect(r.lines).toBe(at - 1);
  });

  it('finds a missing last event, an extra line, and a missing final newline', async () => {
    const n = lines.length - 1;
    const short = await replayTrace(variant((ls) => [...ls.slice(0, n - 1), '']));
    expect(short.divergence).toEqual({ line: n, a: null, b: lines[n - 1] });
    const extra = await replayTrace(variant((ls) => [...ls.slice(0, n), '{"type":"end"}', '']));
    expect(extra.divergence).toEqual({ line: n + 1, a: '{"type":"end"}', b: null });
    const noNewline = await replayTrace(variant((ls) => ls.slice(0, n)));
    expect(noNewline.divergence?.line).toBe(n);
  });

  it('flags a trace written by another vcsim version, and still compares the rest', async () => {
    const r = await replayTrace(variant((ls) => { ls[0] = ls[0].replace(`"vcsim":"${VERSION}"`, '"vcsim":"0.0.1-other"'); return ls; }));
    expect(r.otherVersion).toBe('0.0.1-other');
    expect(r.divergence).toBeNull();
  });

  it('refuses live traces, folders without a trace, and files that are not traces', async () => {
    await expect(replayTrace(variant((ls) => { ls[0] = ls[0].replace('"replayable":true', '"replayable":false'); return ls; }))).rejects.toThrow(/cannot be replayed/);
    const empty = tempDir();
    mkdirSync(join(empty, 'x'));
    await expect(replayTrace(join(empty, 'x'))).rejects.toThrow(UserError);
    await expect(replayTrace(variant(() => ['not json']))).rejects.toThrow(/trace header/);
  });

  it('vcsim replay exits 0 when identical, 1 with the difference side by side, 2 on bad input', () => {
    const ok = vcsim(['replay', dir]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('byte-identical');
    const f = variant((ls) => { ls[5] = ls[5].replace(/"node":(\d+)/, '"node":4$1'); return ls; });
    const bad = vcsim(['replay', f]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('first difference at line 6');
    expect(bad.stderr).toMatch(/ \* node +4\d +\d+/);
    const other = vcsim(['replay', variant((ls) => { ls[0] = ls[0].replace(`"vcsim":"${VERSION}"`, '"vcsim":"9.9.9"'); return ls; })]);
    expect(other.status).toBe(0);
    expect(other.stderr).toContain('written by vcsim 9.9.9');
    expect(vcsim(['replay', join(dir, 'nope.jsonl')]).status).toBe(2);
  });

  it('replays a format-1 trace (vcsim before format 2) byte for byte, with the digest of its text', async () => {
    const text = gunzipSync(readFileSync('test/fixtures/mixed-faults-format1/trace.jsonl.gz'));
    expect(JSON.parse(text.toString('utf8').split('\n')[0]).format).toBe(1);
    const f = join(tempDir(), 'trace.jsonl');
    writeFileSync(f, text);
    const r = await replayTrace(f);
    expect(r.divergence).toBeNull();
    expect(r.lines).toBe(text.toString('utf8').split('\n').length - 1);
    expect(r.digest).toBe('sha256:' + createHash('sha256').update(text).digest('hex'));
    const changed = text.toString('utf8').replace('"t":62708,', '"t":62709,');
    writeFileSync(f, changed);
    expect((await replayTrace(f)).divergence?.line).toBeGreaterThan(1);
    writeFileSync(f, text);
    const cli = vcsim(['replay', f]);
    expect(cli.status, cli.stderr).toBe(0);
  });
});
