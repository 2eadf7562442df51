// Every link in the manual resolves, and every section the code cites exists. Checks relative
// markdown links (file and `#anchor`, GitHub's slug rules) in README.md, CHANGELOG.md and
// docs/*.md, and comments in src/ and test/ that cite a page and a section by name, the page
// under docs/ or README.md, followed by a comma and the section's heading in double quotes.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Markdown pages whose links are checked, relative to the repository root. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', 'CHANGELOG.md', ...docs];
}

/** Text outside fenced code blocks (links in code are not links). */
function prose(text: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      out.push('');
      continue;
    }
    out.push(fenced ? '' : line.replace(/`[^`]*`/g, ''));
  }
  return out.join('\n');
}

/** Heading texts of a markdown file, as written (outside code blocks). */
function headings(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** GitHub's anchor for a heading: lowercase, punctuation but `-` and spaces removed, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

/** Anchors of a file, with GitHub's `-1`, `-2` suffixes for repeated headings. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const base = slug(h);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Heading text as a citation names it: without backticks. */
function plain(heading: string): string {
  return heading.replace(/`/g, '').trim();
}

interface Link { readonly page: string; readonly target: string }

function links(page: string): Link[] {
  const text = prose(readFileSync(join(ROOT, page), 'utf8'));
  const out: Link[] = [];
  // [text](target) and ![alt](target); the text may span lines.
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ page, target: m[1] });
  // Reference definitions: [label]: target
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s+(\S+)/gm)) out.push({ page, target: m[1] });
  return out;
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** Why a link does not resolve, or null. */
function brokenLink(l: Link): string | null {
  if (isExternal(l.target)) return null;
  const hash = l.target.indexOf('#');
  const path = hash < 0 ? l.target : l.target.slice(0, hash);
  const anchor = hash < 0 ? null : decodeURIComponent(l.target.slice(hash + 1));
  const file = path === '' ? join(ROOT, l.page) : resolve(dirname(join(ROOT, l.page)), decodeURIComponent(path));
  if (!existsSync(file)) return `${l.page}: ${l.target}: no such file`;
  if (anchor === null) return null;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return `${l.page}: ${l.target}: an anchor into a file that is not markdown`;
  if (!anchors(readFileSync(file, 'utf8')).has(anchor)) return `${l.page}: ${l.target}: no heading with anchor #${anchor} in ${relative(ROOT, file)}`;
  return null;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|js|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

interface Citation { readonly where: string; readonly file: string; readonly section: string }

/** Citations like `docs/checker.md, "Verdicts"` or `README.md, "Quick start"` in src/ and test/. */
function citations(): Citation[] {
  const out: Citation[] = [];
  for (const f of [...sourceFiles('src'), ...sourceFiles('test')]) {
    const lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const m of line.matchAll(/((?:\.\.\/)*(?:[\w.-]+\/)*[\w.-]+\.md),\s*"([^"]+)"/g)) {
        out.push({ where: `${f}:${i + 1}`, file: m[1], section: m[2] });
      }
    });
  }
  return out;
}

/** Why a citation does not resolve, or null. Paths are relative to the repository root. */
function brokenCitation(c: Citation): string | null {
  const file = resolve(ROOT, c.file);
  if (relative(ROOT, file).startsWith('..')) return `${c.where}: ${c.file}: outside the repository`;
  if (!existsSync(file)) return `${c.where}: ${c.file}: no such file`;
  const names = headings(readFileSync(file, 'utf8')).map(plain);
  if (!names.includes(plain(c.section))) return `${c.where}: ${c.file} has no section "${c.section}"`;
  return null;
}

describe('documentation links', () => {
  it('every relative link in README.md, CHANGELOG.md and docs/*.md names an existing file and heading', () => {
    const all = pages().flatMap(links);
    expect(all.length).toBeGreaterThan(20);
    expect(all.map(brokenLink).filter((p) => p !== null)).toEqual([]);
  });

  it('the slug rules match GitHub', () => {
    expect(slug('The causality checker')).toBe('the-causality-checker');
    expect(slug('`vcsim run <scenario> --transport udp`')).toBe('vcsim-run-scenario---transport-udp');
    expect(slug('Anomalies (anomalies.csv)')).toBe('anomalies-anomaliescsv');
  });

  it('every section cited in src/ and test/ comments exists', () => {
    const cited = citations();
    expect(cited.map(brokenCitation).filter((p) => p !== null)).toEqual([]);
  });
});
