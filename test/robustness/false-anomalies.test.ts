// Issue 16, item 8 "False anomalies": under `join: {membership: static}` every node starts
// knowing everyone, so a lost first message is never a membership divergence, whatever the
// clock rule (the lamport clock is a number and shows no names).
import { describe, expect, it } from 'vitest';
import { runText } from '../helpers/sim.js';

const scenario = (clock: string): string =>
  `name: static-lamport\nnodes: 40\nduration: 10s\nprotocol: {clock: ${clock}}\njoin: {membership: static}\nnetwork: {loss: 0.01}\nworkload: {count: 1}\n`;

describe('item 8: false anomalies under static membership', () => {
  for (const clock of ['lamport', 'seed', 'fidge-mattern']) {
    it(`${clock}: lost messages are undelivered, never membership_divergence`, async () => {
      const r = await runText(scenario(clock));
      expect(r.summary.anomalies.membership_divergence ?? 0).toBe(0);
      // The scenario does lose messages: the check is not vacuous.
      expect(r.summary.anomalies.undelivered ?? 0).toBeGreaterThan(0);
    });
  }

  it('dynamic membership still reports a node that never learned of another (lamport)', async () => {
    const r = await runText('name: dyn\nnodes: 30\nduration: 10s\nprotocol: {clock: lamport}\nnetwork: {loss: 0.3}\nworkload: {count: 1}\n');
    expect(r.summary.anomalies.membership_divergence ?? 0).toBeGreaterThan(0);
  });
});
