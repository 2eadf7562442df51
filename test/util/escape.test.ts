import { describe, expect, test } from 'vitest';
import { xmlAttrEscape, xmlChars, xmlEscape } from '../../src/util/escape.js';

describe('xml escaping', () => {
  test('escapes the five markup characters, and nothing else', () => {
    expect(xmlEscape(`a & b < c > d "e" 'f' é\n`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; é\n');
    expect(xmlEscape('&amp;')).toBe('&amp;amp;');
  });
  test('an attribute keeps its line breaks as character references', () => {
    expect(xmlAttrEscape('one\ntwo "x"')).toBe('one&#10;two &quot;x&quot;');
  });
  test('characters XML 1.0 cannot carry become ?', () => {
    expect(xmlChars('a\u0000b\u0007c\td\ne\rf\uffffg')).toBe('a?b?c\td\ne\rf?g');
  });
});
