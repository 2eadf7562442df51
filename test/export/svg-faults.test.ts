// diagram.svg marks node faults on their lanes: a crash until its restart, a pause, a leave.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, runScenario } from '../../src/api/index.js';

async function svgOf(file: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'vcsim-svgf-'));
  await runScenario({ loaded: loadScenarioFile(file), seed: 1, outDir: out });
  return readFileSync(join(out, 'diagram.svg'), 'utf8');
}

describe('node faults in diagram.svg', () => {
  it('draws a crash band on the crashed lane, from the crash to the restart', async () => {
    const svg = await svgOf('scenarios/crash-restart.yaml');
    const bands = svg.match(/<g class="fault crash"><title>([^<]*)<\/title>/g) ?? [];
    expect(bands).toHaveLength(1);
    expect(bands[0]).toMatch(/n2 crashed at 3(\.0+)?s, restarted at 5(\.0+)?s/);
  });

  it('draws a pause band', async () => {
    const svg = await svgOf('scenarios/pause.yaml');
    expect(svg).toMatch(/<g class="fault pause"><title>[^<]*paused from/);
  });
});
