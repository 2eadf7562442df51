// The import graph of src/: no cycle between files, none between folders, and every import
// points down the layer table of eslint.config.js (docs/design.md, "Layers"). The lint rule
// catches an upward import as it is written; this test also catches cycles inside a folder.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error eslint.config.js is plain JavaScript without types
import { LAYERS } from '../../eslint.config.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]/g;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Each file of src/ (relative path) with the files it imports. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => relative(root, resolve(dirname(file), m[1].replace(/\.js$/, '.ts'))));
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** Strongly connected components with more than one member, or a member importing itself. */
export function cycles(graph: Map<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const strong = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(part.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return found;
}

const folderOf = (file: string): string => (file.includes('/') ? file.split('/')[0] : file);

describe('the import graph of src/', () => {
  const graph = importGraph(SRC);

  it('has no cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const list = folders.get(from) ?? [];
      for (const t of targets) if (folderOf(t) !== from && !list.includes(folderOf(t))) list.push(folderOf(t));
      folders.set(from, list);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('points every import down the layer table', () => {
    const rank = new Map<string, number>();
    (LAYERS as string[][]).forEach((layer, r) => layer.forEach((f) => rank.set(f, r)));
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (!file.includes('/')) continue; // src/index.ts is the package's door, above every layer
      expect(rank.has(from), `src/${from} is in no layer of eslint.config.js`).toBe(true);
      for (const t of targets) {
        const to = folderOf(t);
        if (to !== from && rank.get(to)! >= rank.get(from)!) upward.push(`${file} imports ${t}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
