// The truth against hand-drawn runs whose happened-before is known by construction.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkTrace } from '../../src/check/checker.js';
import { Truth, trueRelation } from '../../src/check/truth.js';
import { closure, header, trace, type Step } from './handmade.js';

/** The relation the checker's truth gives for every pair of kept events, by ev. */
async function relations(nodes: string[], steps: readonly Step[]): Promise<Map<string, string>> {
  const { checker } = await checkTrace(header(nodes), trace(steps), { scope: 'all' });
  const out = new Map<string, string>();
  for (const p of checker.pairs('all')) out.set(`${p.a.ev},${p.b.ev}`, p.truth);
  return out;
}

describe('the truth (happened-before from the run itself)', () => {
  test('the textbook three-process diagram', async () => {
    // A: s1 ........ r3        B: r1 s2        C: s3 r2
    const steps: Step[] = [
      ['send', 'A', 1], // 0
      ['recv', 'B', 1], // 1
      ['send', 'B', 2], // 2
      ['send', 'C', 3], // 3
      ['recv', 'C', 2], // 4
      ['recv', 'A', 3], // 5
    ];
    const r = await relations(['A', 'B', 'C'], steps);
    expect(r.get('0,1')).toBe('before'); // send -> its receive
    expect(r.get('0,2')).toBe('before'); // via B's receive, then program order
    expect(r.get('0,4')).toBe('before'); // transitively, through m2
    expect(r.get('0,5')).toBe('before'); // program order at A
    expect(r.get('0,3')).toBe('concurrent');
    expect(r.get('2,3')).toBe('concurrent'); // two sends nobody linked
    expect(r.get('3,4')).toBe('before');
    expect(r.get('3,5')).toBe('before');
    expect(r.get('4,5')).toBe('concurrent');
    expect(r.get('1,5')).toBe('concurrent');
    expect(r.get('2,4')).toBe('before');
  });

  test('a duplicate receive links to the same send, and program order orders the two copies', async () => {
    const steps: Step[] = [['send', 'A', 1], ['recv', 'B', 1], ['recv', 'B', 1], ['send', 'B', 2]];
    const r = await relations(['A', 'B'], steps);
    expect(r.get('0,1')).toBe('before');
    expect(r.get('0,2')).toBe('before');
    expect(r.get('1,2')).toBe('before');
    expect(r.get('2,3')).toBe('before');
  });

  test('a fatal receive still makes the node causally after the send, but stays out of scope', async () => {
    const steps: Step[] = [['send', 'A', 1], ['die', 'B', 1], ['send', 'B', 2]];
    const { checker } = await checkTrace(header(['A', 'B'], 'seed'), trace(steps));
    expect(checker.inScope('all').map((e) => e.ev)).toEqual([0, 2]);
    expect([...checker.pairs('all')][0].truth).toBe('before');
  });

  test('handshake events stay outside the relation', async () => {
    const t = trace([['send', 'A', 1], ['send', 'B', 2]]);
    const snap = { A: 0, B: 0 };
    const withHandshake = [
      { type: 'join', ev: 10, t: 0, node: 'A', msg: 90, after: snap },
      t[0],
      { type: 'join_seen', ev: 11, t: 1, node: 'B', msg: 90, from: 'A', sent: 0, copy: 0, dg: 'join', reply: 91, reset: false, before: snap, after: snap },
      { type: 'reply_seen', ev: 12, t: 2, node: 'A', msg: 91, from: 'B', sent: 1, copy: 0, dg: 'reply', before: snap, after: snap },
      t[1],
    ] as never[];
    const { checker } = await checkTrace(header(['A', 'B']), withHandshake);
    expect(checker.inScope('all').map((e) => e.ev)).toEqual([0, 1]);
    expect([...checker.pairs('all')][0].truth).toBe('concurrent');
  });

  test('property: on random runs, VT comparison equals the transitive closure', () => {
    const nodes = ['A', 'B', 'C', 'D'];
    // A run: each step is a send by a node, or a receive of an earlier message by a node.
    const runArb = fc.array(fc.tuple(fc.boolean(), fc.nat(3), fc.nat(1000)), { minLength: 1, maxLength: 30 }).map((raw) => {
      const steps: Step[] = [];
      let msgs = 0;
      for (const [isSend, n, pick] of raw) {
        if (isSend || msgs === 0) steps.push(['send', nodes[n], ++msgs]);
        else steps.push(['recv', nodes[n], 1 + (pick % msgs)]);
      }
      return steps;
    });
    fc.assert(fc.property(runArb, (steps) => {
      const hb = closure(steps);
      const truth = new Truth(nodes);
      const vts = steps.map(([kind, node, msg]) => ({ node: truth.slot(node), vt: kind === 'send' ? truth.send(node, msg) : truth.receive(node, msg) }));
      for (let i = 0; i < steps.length; i++) {
        for (let j = i + 1; j < steps.length; j++) {
          const want = hb[i][j] ? 'before' : hb[j][i] ? 'after' : 'concurrent';
          expect(trueRelation(vts[i].node, vts[i].vt, vts[j].node, vts[j].vt)).toBe(want);
        }
      }
    }), { numRuns: 300 });
  });
});
