// Link faults (overrides, loss bursts, clogs, capacities), random schedules and the quiet
// phase, each asserted on the trace.
import { describe, expect, it } from 'vitest';
import { ofType, reached, runFile, runText } from '../helpers/sim.js';

describe('link faults', () => {
  it('link override: its latency, loss and duplication apply only to its links, only while it holds', async () => {
    const { events } = await runFile('scenarios/link-override.yaml');
    const inWindow = (e: { sent: number }) => e.sent >= 1_000_000 && e.sent < 5_000_000;
    const fromGroup = (e: { from: string }) => e.from === 'n0' || e.from === 'n1';
    for (const e of reached(events)) {
      if (e.from === e.node) continue;
      const delay = e.t - e.sent;
      expect(delay).toBe(inWindow(e) && fromGroup(e) ? 80_000 : 5_000);
      if (e.copy === 1) expect(inWindow(e) && fromGroup(e)).toBe(true);
    }
    const drops = ofType(events, 'drop');
    expect(drops.length).toBeGreaterThan(0);
    for (const d of drops) expect([d.reason, inWindow(d), fromGroup(d)]).toEqual(['link f1', true, true]);
    expect(reached(events).filter((e) => e.copy === 1).length).toBeGreaterThan(0);
  });

  it('loss burst: drops only while it holds, named after it', async () => {
    const { events } = await runFile('scenarios/loss-burst.yaml');
    const drops = ofType(events, 'drop');
    expect(drops.length).toBeGreaterThan(50);
    for (const d of drops) {
      expect(d.reason).toBe('loss-burst f1');
      expect(d.sent).toBeGreaterThanOrEqual(2_000_000);
      expect(d.sent).toBeLessThan(3_000_000);
    }
  });

  it('clog: holds its links, then delivers everything at release, losing nothing', async () => {
    const { events } = await runFile('scenarios/clog.yaml');
    expect(ofType(events, 'drop')).toEqual([]);
    const fromN0 = reached(events).filter((e) => e.from === 'n0');
    expect(fromN0.filter((e) => e.t > 2_000_000 && e.t < 4_000_000)).toEqual([]);
    const released = fromN0.filter((e) => e.t === 4_000_000);
    expect(released.length).toBeGreaterThan(20);
    const end = ofType(events, 'fault').find((f) => f.phase === 'end')!;
    expect(end.released).toBe(released.length + ofType(events, 'ignored').filter((e) => e.from === 'n0' && e.t === 4_000_000).length);
    // every broadcast n0 sent during the clog reaches every other node exactly once
    const sends = ofType(events, 'send').filter((s) => s.node === 'n0' && s.t >= 2_000_000 && s.t < 4_000_000);
    for (const s of sends) expect(released.filter((e) => e.msg === s.msg).map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('capacity: on each link deliveries are at least 1/rate apart while it holds, and none is lost', async () => {
    const { events } = await runFile('scenarios/capacity.yaml');
    expect(ofType(events, 'drop')).toEqual([]);
    const byLink = new Map<string, number[]>();
    for (const e of [...reached(events), ...ofType(events, 'ignored')]) {
      if (e.sent < 1_000_000 || e.t >= 4_000_000) continue;
      const k = `${e.from}>${e.node}`;
      if (!byLink.has(k)) byLink.set(k, []);
      byLink.get(k)!.push(e.t);
    }
    expect(byLink.size).toBe(9);
    let queued = 0;
    for (const ts of byLink.values()) {
      for (let i = 1; i < ts.length; i++) expect(ts[i] - ts[i - 1]).toBeGreaterThanOrEqual(50_000);
      queued += ts.length;
    }
    expect(queued).toBeGreaterThan(100);
    expect(ofType(events, 'send').length).toBe(300);
    expect(ofType(events, 'receive').length).toBe(600);
  });
});

describe('random fault schedules', () => {
  it('are drawn from the seed, logged in full in the header, and deterministic', async () => {
    const a = await runFile('scenarios/random-faults.yaml');
    const b = await runFile('scenarios/random-faults.yaml');
    const c = await runFile('scenarios/random-faults.yaml', 2);
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
    const drawn = a.header.faults.filter((f) => f.origin === 'random');
    expect(drawn.length).toBeGreaterThan(3);
    expect(a.header.fault_profile?.profile).toBe('rates');
    // the trace's fault events are exactly the header's schedule
    const starts = ofType(a.events, 'fault').filter((f) => f.phase === 'start' && f.kind !== 'quiet');
    expect(starts.map((f) => [f.id, f.t])).toEqual(drawn.map((f) => [f.id, f.start]));
    for (const f of drawn) expect(f.start).toBeLessThan(8_000_000);
    // drawn node faults never overlap on one node
    const nodeFaults = drawn.filter((f) => f.kind === 'crash' || f.kind === 'pause' || f.kind === 'leave');
    for (const x of nodeFaults) for (const y of nodeFaults) {
      if (x === y || x.nodes![0] !== y.nodes![0]) continue;
      expect(x.start >= (y.end ?? Infinity) || y.start >= (x.end ?? Infinity)).toBe(true);
    }
  });

  it('swarm: the seed also draws the profile', async () => {
    const profiles = new Set<string>();
    for (const seed of [1, 2, 3, 4]) profiles.add(JSON.stringify((await runFile('scenarios/swarm.yaml', seed)).header.fault_profile));
    expect(profiles.size).toBe(4);
  });

  it('churn drawn at a rate: late joiners join at the drawn time, leavers go silent for good', async () => {
    const { header, events, summary } = await runFile('scenarios/churn-random.yaml');
    const drawn = header.faults.filter((f) => f.origin === 'random');
    const joins = drawn.filter((f) => f.kind === 'join');
    const leaves = drawn.filter((f) => f.kind === 'leave');
    expect(joins.length).toBeGreaterThan(0);
    expect(leaves.length).toBeGreaterThan(0);
    for (const j of joins) expect(ofType(events, 'join').filter((e) => e.node === j.nodes![0]).map((e) => e.t)).toEqual([j.start]);
    for (const l of leaves) {
      const node = l.nodes![0];
      expect(events.filter((e) => 'ev' in e && e.node === node && e.t >= l.start)).toEqual([]);
      for (const d of ofType(events, 'drop').filter((x) => x.to === node)) expect(d.reason).toBe(`leave ${l.id}`);
    }
    expect(summary.convergence.live).toBe(header.nodes.length - leaves.length);
  });

  it('adding random faults leaves the network and workload draws of the rest alone', async () => {
    const plain = 'nodes: 4\nduration: 4s\nnetwork: {latency: {dist: exponential, mean: 10ms}}\nworkload: {start: 500ms}\n';
    const a = await runText(plain);
    const b = await runText(plain + 'random_faults: {kinds: [clog], rate: 0.001}\n');
    expect(b.header.faults).toEqual([]); // nothing drawn at this rate in 4s
    const strip = (evs: typeof a.events) => evs.map((e) => JSON.stringify(e));
    expect(strip(b.events)).toEqual(strip(a.events));
  });
});

describe('the quiet phase', () => {
  it('heals every fault at its start, loses nothing after, and converges (fidge-mattern)', async () => {
    const { events, summary } = await runFile('scenarios/quiet-convergence.yaml');
    const quietAt = 7_000_000;
    const faults = ofType(events, 'fault');
    const quiet = faults.find((f) => f.kind === 'quiet')!;
    expect(quiet.t).toBe(quietAt);
    // every fault that was still active ends at the quiet start, the crashed node restarts
    expect(faults.filter((f) => f.t === quietAt && f.phase === 'end').map((f) => f.kind)).toEqual(['crash']);
    const crashed = faults.find((f) => f.kind === 'crash')!.nodes![0];
    expect(ofType(events, 'join').filter((j) => j.node === crashed).map((j) => j.t)).toContain(quietAt);
    expect(ofType(events, 'drop').filter((d) => d.sent >= quietAt)).toEqual([]);
    expect(summary.convergence).toMatchObject({ quiet_from_us: quietAt, checked: true, converged: true, live: 6, problems: 0 });
    expect(summary.faults).toEqual({ crash: 1, 'loss-burst': 1, partition: 1, quiet: 1 });
  });

  it('reports why it did not converge', async () => {
    // The seed rule under heavy reordering: receivers die, and a dead receiver never catches up.
    const yaml = 'nodes: 8\nduration: 4s\nquiet: 2s\nnetwork: {latency: {dist: pareto, min: 2ms, alpha: 1.2}}\nworkload: {interval: 100ms}\n';
    const { summary } = await runText(yaml);
    expect(summary.convergence.quiet_from_us).toBe(2_000_000);
    expect(summary.convergence.converged).toBe(false);
    expect(summary.convergence.problems).toBeGreaterThan(0);
    expect(summary.convergence.reasons.some((r) => /receiver died \(unknown_key\)/.test(r))).toBe(true);
    const fm = await runText(yaml + 'protocol: {clock: fidge-mattern}\n');
    expect(fm.summary.convergence.converged).toBe(true);
  });

  it('without a quiet phase a lossy run with partitions usually does not converge', async () => {
    const { summary } = await runFile('scenarios/combined-faults.yaml');
    expect(summary.convergence.quiet_from_us).toBeNull();
    expect(summary.convergence.converged).toBe(false);
  });
});

describe('faults combine', () => {
  it('partition plus crash plus loss burst: each fault named, deterministic', async () => {
    const a = await runFile('scenarios/combined-faults.yaml');
    const b = await runFile('scenarios/combined-faults.yaml');
    expect(a.digest).toBe(b.digest);
    const reasons = new Set(ofType(a.events, 'drop').map((d) => d.reason));
    for (const r of ['partition f1', 'crash f2', 'loss-burst f3']) expect(reasons.has(r)).toBe(true);
    // a delivery to the crashed node is receiver_down even across the partition (crash judged first)
    for (const d of ofType(a.events, 'drop')) if (d.to === 'n3' && d.sent >= 3_000_000 && d.sent < 5_000_000) expect(d.reason).toBe('crash f2');
    expect(a.summary.deliveries.receiver_down).toBe(ofType(a.events, 'drop').filter((d) => d.outcome === 'receiver_down').length);
    expect(a.summary.faults).toEqual({ crash: 1, 'loss-burst': 1, partition: 1 });
  });
});
