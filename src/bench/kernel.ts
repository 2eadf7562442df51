// The benchmark's reference: a minimal hand-written kernel of the standard workload (binary
// heap keyed by (time, seq), Int32Array clocks, one shared clock copy per broadcast). It does
// the same deliveries as vcsim's bench-broadcast scenario, without a protocol core, trace or
// wire bytes, so vcsim's speed can be reported as a ratio that holds on any machine.

import seedrandom from 'seedrandom';

export interface KernelResult {
  readonly receives: number;
  readonly sends: number;
}

/** Runs n nodes for `durationUs` of simulated time; returns the counts. */
export function runKernel(n: number, durationUs: number, seed = 1): KernelResult {
  const rng = seedrandom.alea(`kernel/${seed}`);
  const meanGap = 100_000;
  const meanLatency = 10_000;
  const loss = 0.01;
  // Heap of events in parallel arrays: time, seq, kind (-1 send, else receiver), payload index.
  let cap = 1 << 16;
  let times = new Float64Array(cap);
  let seqs = new Float64Array(cap);
  let nodesA = new Int32Array(cap);
  let payload: (Int32Array | null)[] = new Array(cap).fill(null);
  let size = 0;
  let seq = 0;
  const less = (i: number, j: number): boolean => times[i] < times[j] || (times[i] === times[j] && seqs[i] < seqs[j]);
  const swap = (i: number, j: number): void => {
    let t = times[i]; times[i] = times[j]; times[j] = t;
    t = seqs[i]; seqs[i] = seqs[j]; seqs[j] = t;
    const u = nodesA[i]; nodesA[i] = nodesA[j]; nodesA[j] = u;
    const p = payload[i]; payload[i] = payload[j]; payload[j] = p;
  };
  const push = (time: number, node: number, p: Int32Array | null): void => {
    if (size === cap) {
      cap *= 2;
      const t2 = new Float64Array(cap); t2.set(times); times = t2;
      const s2 = new Float64Array(cap); s2.set(seqs); seqs = s2;
      const n2 = new Int32Array(cap); n2.set(nodesA); nodesA = n2;
      payload = payload.concat(new Array(cap - payload.length).fill(null));
    }
    let i = size++;
    times[i] = time; seqs[i] = seq++; nodesA[i] = node; payload[i] = p;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const popTop = (): void => {
    size--;
    if (size === 0) return;
    swap(0, size);
    payload[size] = null;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && less(r, l) ? r : l;
      if (!less(c, i)) break;
      swap(c, i);
      i = c;
    }
  };
  const exp = (mean: number): number => Math.round(-mean * Math.log(1 - rng()));

  const clocks = Array.from({ length: n }, () => new Int32Array(n));
  for (let i = 0; i < n; i++) push(exp(meanGap), -1 - i, null);
  let receives = 0;
  let sends = 0;
  while (size > 0) {
    const now = times[0];
    const who = nodesA[0];
    const p = payload[0];
    popTop();
    if (who < 0) {
      const i = -1 - who;
      const c = clocks[i];
      c[i]++;
      sends++;
      const copy = c.slice();
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        if (rng() < loss) continue;
        push(now + exp(meanLatency), j, copy);
      }
      const next = now + exp(meanGap);
      if (next < durationUs) push(next, who, null);
    } else {
      const c = clocks[who];
      const m = p!;
      for (let k = 0; k < n; k++) if (m[k] > c[k]) c[k] = m[k];
      c[who]++;
      receives++;
    }
  }
  return { receives, sends };
}
