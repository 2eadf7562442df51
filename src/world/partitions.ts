// Partitions made concrete: each symbolic form (`halves`, `{isolate: k}`, `{fractions}`, or
// named groups) becomes a list of groups of node indices, drawn from the fault stream where
// the form asks for chance. Nodes named in no group form one more group together. The two
// forms that are not groups (`bridge`: two halves and one node that hears both;
// `majorities-ring`: each node hears the nearest nodes of a random ring, a majority with
// itself, and no two nodes hear the same majority) become a Cut with a predicate.

import type { Groups } from '../scenario/schema.js';
import type { Rng } from './rng.js';

/** Groups of node indices; every node in exactly one group. */
export function concreteGroups(g: Groups, names: readonly string[], rng: Rng): number[][] {
  const n = names.length;
  if (g === 'bridge' || g === 'majorities-ring') return concreteCut(g, names, rng).groups;
  if (g === 'halves') return split(shuffle(n, rng), [0.5, 0.5]);
  if (Array.isArray(g)) {
    const index = new Map(names.map((name, i) => [name, i]));
    const groups = g.map((group) => group.map((name) => index.get(name)!).sort((a, b) => a - b));
    const listed = new Set(groups.flat());
    const rest = names.map((_, i) => i).filter((i) => !listed.has(i));
    return rest.length > 0 ? [...groups, rest] : groups;
  }
  if ('isolate' in g) {
    if (typeof g.isolate === 'number') {
      const order = shuffle(n, rng);
      const cut = order.slice(0, g.isolate).sort((a, b) => a - b);
      const rest = order.slice(g.isolate).sort((a, b) => a - b);
      return [...cut.map((i) => [i]), rest];
    }
    const index = new Map(names.map((name, i) => [name, i]));
    const cut = [...new Set(g.isolate.map((name) => index.get(name)!))].sort((a, b) => a - b);
    const rest = names.map((_, i) => i).filter((i) => !cut.includes(i));
    return [...cut.map((i) => [i]), ...(rest.length > 0 ? [rest] : [])];
  }
  return split(shuffle(n, rng), g.fractions);
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates from the stream). */
export function shuffle(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
  return a;
}

/** Consecutive blocks of `order` sized by `fractions` (normalised), each at least one node. */
function split(order: number[], fractions: readonly number[]): number[][] {
  const n = order.length;
  const total = fractions.reduce((a, b) => a + b, 0);
  const groups: number[][] = [];
  let start = 0;
  let acc = 0;
  fractions.forEach((f, i) => {
    acc += f;
    const left = fractions.length - i - 1;
    let end = i === fractions.length - 1 ? n : Math.round((acc / total) * n);
    end = Math.max(end, start + 1);
    end = Math.min(end, n - left);
    groups.push(order.slice(start, end).sort((a, b) => a - b));
    start = end;
  });
  return groups;
}

/** groupOf[node] for a partition, for O(1) "same side?" checks. */
export function groupIndex(groups: readonly (readonly number[])[], n: number): Int32Array {
  const of = new Int32Array(n);
  groups.forEach((g, gi) => g.forEach((i) => { of[i] = gi; }));
  return of;
}

/** A concrete partition: its groups, plus the bridge node or ring order for those forms. */
export interface Cut {
  readonly groups: number[][];
  readonly bridge?: number;
  readonly ring?: number[];
}

export function concreteCut(g: Groups, names: readonly string[], rng: Rng): Cut {
  const n = names.length;
  if (g === 'bridge') {
    const order = shuffle(n, rng);
    const bridge = order[0];
    return { groups: [...split(order.slice(1), [0.5, 0.5]), [bridge]], bridge };
  }
  if (g === 'majorities-ring') return { groups: [], ring: shuffle(n, rng) };
  return { groups: concreteGroups(g, names, rng) };
}

/** blocked(from, to) for a cut: true when the partition keeps from's datagrams from `to`. */
export function cutPredicate(cut: Cut, n: number): (from: number, to: number) => boolean {
  if (cut.ring !== undefined) {
    const pos = new Int32Array(n);
    cut.ring.forEach((node, p) => { pos[node] = p; });
    // Each node hears itself and `reach` neighbours each side: a majority, different for each.
    const reach = Math.ceil(Math.floor(n / 2) / 2);
    return (from, to) => {
      const d = Math.abs(pos[from] - pos[to]);
      return Math.min(d, n - d) > reach;
    };
  }
  const of = groupIndex(cut.groups, n);
  const bridge = cut.bridge ?? -1;
  return (from, to) => from !== bridge && to !== bridge && of[from] !== of[to];
}

/** k distinct nodes drawn from the stream, ascending. */
export function pick(k: number, n: number, rng: Rng): number[] {
  return shuffle(n, rng).slice(0, k).sort((a, b) => a - b);
}
