// Two versions of one trace line, side by side: a field per row, the differing fields
// marked, so the first divergence of a replay or a determinism check reads at a glance.

const WIDTH = 44;

export function sideBySide(line: number, a: string | null, b: string | null, labels: readonly [string, string]): string[] {
  const pa = parse(a);
  const pb = parse(b);
  const out = [`first difference at line ${line}${describe(pa, pb)}:`];
  if (pa === null || pb === null) {
    out.push(`  ${labels[0]}: ${a ?? '(end of trace)'}`, `  ${labels[1]}: ${b ?? '(end of trace)'}`);
    return out;
  }
  const keys = [...Object.keys(pa), ...Object.keys(pb).filter((k) => !(k in pa))];
  const kw = Math.max(5, ...keys.map((k) => k.length));
  out.push(`    ${'field'.padEnd(kw)}  ${labels[0].padEnd(WIDTH)}  ${labels[1]}`);
  for (const k of keys) {
    const x = k in pa ? JSON.stringify(pa[k]) : '(absent)';
    const y = k in pb ? JSON.stringify(pb[k]) : '(absent)';
    const mark = x === y ? '   ' : ' * ';
    out.push(` ${mark}${k.padEnd(kw)}  ${clip(x).padEnd(WIDTH)}  ${clip(y)}`);
  }
  out.push(`  ${labels[0]} line: ${a}`, `  ${labels[1]} line: ${b}`);
  return out;
}

function parse(s: string | null): Record<string, unknown> | null {
  if (s === null) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function describe(a: Record<string, unknown> | null, b: Record<string, unknown> | null): string {
  const e = a ?? b;
  if (e === null) return '';
  const ev = typeof e.ev === 'number' ? ` ev ${e.ev}` : '';
  return ` (${String(e.type)}${ev}${typeof e.t === 'number' ? ` at t=${e.t}us` : ''})`;
}

function clip(s: string): string {
  return s.length > WIDTH ? s.slice(0, WIDTH - 3) + '...' : s;
}
