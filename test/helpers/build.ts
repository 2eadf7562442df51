// vitest's global setup: compiles src/ to dist/ before any test runs, so a test that runs the
// vcsim command (bin/vcsim.js) or a worker thread (they run dist/) never tests stale code,
// also under a bare `npx vitest` after an edit.

import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the build for the tests failed:\n${r.stdout}${r.stderr}`);
  // As `npm run build`: the Python shim ships beside the compiled src/program/.
  cpSync(join(ROOT, 'src/program/shim'), join(ROOT, 'dist/program/shim'), { recursive: true });
}
