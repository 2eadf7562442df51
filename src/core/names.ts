// Node names: one rule for every place a name comes from (scenario files, `vcsim node
// --name`, a live node's peers), docs/scenarios.md, "Node names". A name is 1 to
// NAME_MAX_LENGTH letters, digits, ".", "_" or "-": nothing a peer would misparse ("==", "##",
// "@@"), no whitespace (ShiViz and the trace's readers split on it), and short enough that a
// clock of many names still fits the 2,048-byte receive buffer. Scenarios may opt out with
// `fragile_names: true` to study what the seed program does with names it cannot parse.

export const NAME_MAX_LENGTH = 64;

const ALLOWED = /^[\p{L}\p{N}._-]+$/u;

/** Why `name` breaks the rule for node names, or null when it keeps it. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'expected a non-empty node name';
  for (const sep of ['==', '##', '@@']) {
    if (name.includes(sep)) return `expected a name without "${sep}" (peers would misparse it), found ${shown(name)}`;
  }
  if (/\s/u.test(name)) return `expected a name without whitespace (peers would misparse it), found ${shown(name)}`;
  const length = [...name].length;
  if (length > NAME_MAX_LENGTH) return `expected a name of at most ${NAME_MAX_LENGTH} characters, found ${length}`;
  if (!ALLOWED.test(name)) return `expected a name of letters, digits, ".", "_" or "-", found ${shown(name)}`;
  return null;
}

/** Why a name is unusable even under `fragile_names` (it must at least be text of sane size). */
export function fragileNameProblem(name: string): string | null {
  const length = [...name].length;
  return length > 4 * NAME_MAX_LENGTH ? `expected a name of at most ${4 * NAME_MAX_LENGTH} characters, found ${length}` : null;
}

function shown(name: string): string {
  return JSON.stringify(name.length > 80 ? name.slice(0, 80) + '…' : name);
}
