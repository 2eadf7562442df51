// Each anomaly kind is found, with its cause, in the scenario of scenarios/ that demonstrates it.

import { describe, expect, test } from 'vitest';
import { AnomalyDetector, type Anomaly } from '../../src/check/anomalies.js';
import { loadScenarioFile, runScenario, type Override } from '../../src/api/index.js';
import { checkerDone } from '../helpers/figures.js';

async function anomalies(file: string, overrides: Override[] = []): Promise<{ list: readonly Anomaly[]; summary: Awaited<ReturnType<typeof runScenario>>['summary'] }> {
  const loaded = loadScenarioFile(`scenarios/${file}`, overrides);
  const detector = new AnomalyDetector();
  const r = await runScenario({ loaded, seed: loaded.scenario.seed, outDir: null, consumers: [detector] });
  return { list: detector.anomalies, summary: r.summary };
}

const fidge: Override[] = [{ path: ['protocol', 'clock'], value: 'fidge-mattern', flag: '--clock' }];

describe('anomalies', () => {
  test('receiver death by unknown key (reordering-death.yaml)', async () => {
    const { list, summary } = await anomalies('reordering-death.yaml');
    const deaths = list.filter((a) => a.kind === 'receiver_died');
    expect(deaths.length).toBeGreaterThan(0);
    expect(deaths[0].cause).toMatch(/^unknown_key: no entry for "n\d+" \(chat message \d+ from n\d+\)$/);
    expect(deaths[0].ev).not.toBeNull();
    expect(summary.anomalies.receiver_died).toBe(deaths.length);
    expect(summary.anomaly_examples[0]).toMatchObject({ kind: list[0].kind, node: list[0].node, cause: list[0].cause });
  });

  test('receiver death by an unparsable datagram (long-message.yaml), and none under fidge-mattern', async () => {
    const { list } = await anomalies('long-message.yaml');
    const deaths = list.filter((a) => a.kind === 'receiver_died');
    // n1 and n2 die on n0's first message; n0 drops its own copy unparsed (the original's
    // own-copy order, docs/protocol.md, "Classification and parse order") and dies on n1's.
    expect(deaths.map((a) => a.node)).toEqual(['n1', 'n2', 'n0']);
    for (const d of deaths) expect(d.cause).toMatch(new RegExp(`^unparsable: .* \\(chat message \\d+ from ${d.node === 'n0' ? 'n1' : 'n0'}\\)$`));
    expect((await anomalies('long-message.yaml', fidge)).list).toEqual([]);
  });

  test('clock regression after a late duplicate join announcement (rejoin-reset.yaml)', async () => {
    const { list, summary } = await anomalies('rejoin-reset.yaml');
    const reg = list.filter((a) => a.kind === 'clock_regression');
    expect(reg.length).toBeGreaterThan(0);
    expect(reg[0].cause).toMatch(/^entry "(n\d+)" went down from [1-9]\d* to 0 on join announcement from \1$/);
    expect(reg[0].peer).toBe(/"(n\d+)"/.exec(reg[0].cause)![1]);
    // The reset makes the node's later sends under-report what it has seen.
    expect(checkerDone(summary.checker).sends.missed).toBeGreaterThan(0);
    expect((await anomalies('rejoin-reset.yaml', fidge)).list.filter((a) => a.kind === 'clock_regression')).toEqual([]);
  });

  test('membership divergence: a node that joined while isolated (late-joiner.yaml)', async () => {
    const { list, summary } = await anomalies('late-joiner.yaml');
    const div = list.filter((a) => a.kind === 'membership_divergence');
    expect(div.map((a) => `${a.node}>${a.peer}`)).toEqual(['n0>n3', 'n1>n3', 'n2>n3', 'n3>n0', 'n3>n1', 'n3>n2']);
    expect(div[0].cause).toBe('n0 never learned of n3, though both are up and reachable');
    expect(div[0].t).toBe(summary.sim_time_us);
  });

  test('membership divergence is not reported across a partition that never heals', async () => {
    const { list } = await anomalies('late-joiner.yaml', [{ path: ['partitions', 0, 'end'], value: undefined, flag: 'test' }]);
    expect(list.filter((a) => a.kind === 'membership_divergence')).toEqual([]);
  });

  test('membership divergence is not reported for a node that left, nor for one still crashed (churn.yaml)', async () => {
    // n1 leaves at 4s; n5 joins at 5s: n1 never learns of n5, and must not be blamed for it.
    const left = await anomalies('churn.yaml');
    expect(left.list.filter((a) => a.kind === 'membership_divergence')).toEqual([]);
    // The same node crashed for good instead (no end, no quiet phase): down, so not counted either.
    const crashed = await anomalies('churn.yaml', [{ path: ['faults', 0, 'kind'], value: 'crash', flag: 'test' }]);
    expect(crashed.summary.faults.crash).toBe(1);
    expect(crashed.list.filter((a) => a.kind === 'membership_divergence')).toEqual([]);
    // Restarted before n5 joins, it is up at the end and learns of n5 through the handshake.
    const restarted = await anomalies('churn.yaml', [
      { path: ['faults', 0, 'kind'], value: 'crash', flag: 'test' },
      { path: ['faults', 0, 'end'], value: '4500ms', flag: 'test' },
    ]);
    expect(restarted.list.filter((a) => a.kind === 'membership_divergence')).toEqual([]);
    expect(restarted.summary.joins).toBeGreaterThan(left.summary.joins);
  });

  test('messages never delivered to a live, reachable node (lossy.yaml)', async () => {
    const { list, summary } = await anomalies('lossy.yaml');
    const und = list.filter((a) => a.kind === 'undelivered');
    expect(und.length).toBeGreaterThan(0);
    expect(und[0].cause).toBe(`message ${und[0].msg} from ${und[0].peer}: every copy lost by the network`);
    expect(und[0].node).not.toBe(und[0].peer);
    expect(summary.anomalies.undelivered).toBe(und.length);
    expect(summary.deliveries.dropped).toBeGreaterThanOrEqual(und.length);
  });

  test('partitioned deliveries are not undelivered anomalies (a partition is no loss)', async () => {
    const { list, summary } = await anomalies('lossy.yaml', [
      { path: ['network', 'loss'], value: 0, flag: 'test' },
      { path: ['partitions'], value: [{ groups: 'halves', start: '1s', end: '2s' }], flag: 'test' },
    ]);
    expect(summary.deliveries.partitioned).toBeGreaterThan(0);
    expect(list).toEqual([]);
  });

  test('anomalies are sorted by time', async () => {
    const { list } = await anomalies('partition.yaml');
    for (let i = 1; i < list.length; i++) expect(list[i].t).toBeGreaterThanOrEqual(list[i - 1].t);
  });
});
