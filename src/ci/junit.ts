// The `vcsim check` report as JUnit XML, the format CI systems display: one <testsuite> per
// scenario, one <testcase> per scenario and seed (a <failure> with the reasons when it
// failed), and a skipped test case for each scenario found without an `expect:` block.

import { xmlAttrEscape, xmlChars, xmlEscape } from '../util/escape.js';
import type { CheckReport, ScenarioCheck, SeedCheck } from './check.js';

/** Lines that explain a failed seed (the CLI's words, so JUnit and the terminal agree). */
export type Explain = (s: ScenarioCheck, seed: SeedCheck) => readonly string[];

export function junitXml(r: CheckReport, explain: Explain): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const tests = r.runs + r.skipped.length;
  out.push(`<testsuites name="vcsim check" tests="${tests}" failures="${r.failed}" skipped="${r.skipped.length}">`);
  for (const s of r.scenarios) {
    const failures = s.seeds.filter((x) => !x.ok).length;
    out.push(`  <testsuite name="${attr(s.scenario)}" file="${attr(s.file)}" tests="${s.seeds.length}" failures="${failures}">`);
    for (const seed of s.seeds) {
      const open = `    <testcase classname="vcsim.${attr(s.scenario)}" name="${attr(`${s.scenario} seed ${seed.seed}`)}" file="${attr(s.file)}"`;
      if (seed.ok) {
        out.push(`${open}/>`);
        continue;
      }
      const lines = explain(s, seed);
      out.push(`${open}>`);
      out.push(`      <failure message="${attr(lines[0] ?? 'failed')}" type="regression">${text(lines.join('\n'))}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (r.skipped.length > 0) {
    out.push(`  <testsuite name="skipped" tests="${r.skipped.length}" failures="0" skipped="${r.skipped.length}">`);
    for (const k of r.skipped) {
      out.push(`    <testcase classname="vcsim.${attr(k.scenario)}" name="${attr(k.scenario)}" file="${attr(k.file)}">`);
      out.push(`      <skipped message="${attr(k.reason)}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function text(s: string): string {
  return xmlEscape(xmlChars(s));
}

function attr(s: string): string {
  return xmlAttrEscape(xmlChars(s));
}
