// Durations as people write them (`250ms`, `2s`, `1.5m`, `800us`) and as the simulator keeps
// them: integer microseconds. Owns parsing and printing; nothing else.

const UNIT_US: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };
const DURATION = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(us|µs|ms|s|m|h)\s*$/;

export type DurationResult = { ok: true; us: number } | { ok: false; expected: string };

export const DURATION_EXPECTED = 'a duration with a unit, like 250ms, 2s or 1m';

/** Parses a duration. The number 0 is accepted bare; every other value needs a unit. */
export function parseDuration(input: unknown): DurationResult {
  if (input === 0) return { ok: true, us: 0 };
  if (typeof input === 'number') {
    return { ok: false, expected: input < 0 ? 'a duration that is not negative' : DURATION_EXPECTED };
  }
  if (typeof input !== 'string') return { ok: false, expected: DURATION_EXPECTED };
  if (/^\s*-/.test(input)) return { ok: false, expected: 'a duration that is not negative' };
  const m = DURATION.exec(input);
  if (!m) return { ok: false, expected: DURATION_EXPECTED };
  const us = Math.round(Number(m[1]) * UNIT_US[m[2]]);
  if (!Number.isSafeInteger(us)) return { ok: false, expected: 'a duration below 285 years' };
  return { ok: true, us };
}

/** A duration for people: the largest unit that keeps it exact (`2s`, `250ms`, `1500us`). */
export function formatDuration(us: number): string {
  if (us === 0) return '0s';
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}

/** Seconds with three decimals, for summaries. */
export function seconds(us: number): string {
  return (us / 1_000_000).toFixed(3) + 's';
}
