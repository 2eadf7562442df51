// shellQuote: any string, quoted, is read back by a POSIX shell as exactly one word, itself.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/util/shell.js';

describe('shellQuote', () => {
  it('leaves plainly safe words as they are', () => {
    for (const s of ['scenarios/lossless.yaml', '10s', 'a-b_c.d', 'n0,n3']) expect(shellQuote(s)).toBe(s);
  });

  it('quotes anything else so that a shell reads it back as one word, unchanged', () => {
    const words = ['a folder/with spaces.yaml', "it's", "'", "''", 'a"b', '$HOME', '`id`', 'a\\b', '*', 'x;rm -rf y', 'tab\there', 'new\nline', '', '~/x', '!x', 'é ü'];
    const script = `for w in ${words.map(shellQuote).join(' ')}; do printf '%s\\0' "$w"; done`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
  });
});
