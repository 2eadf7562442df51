// Escaping for XML, one set for every layer and every XML-like format: SVG (diagram.svg,
// sweep.svg), HTML (report.html) and JUnit XML. CSV is written by csv-stringify everywhere,
// JSON by JSON.stringify, and only `vcsim run` quotes words for the shell, so none of those
// needs one here.

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value in XML, SVG or HTML: `& < > " '` as entities. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

/**
 * An attribute value that keeps its line breaks: XML reads a raw newline in an attribute
 * as a space, so it is written as `&#10;`.
 */
export function xmlAttrEscape(s: string): string {
  return xmlEscape(s).replace(/\n/g, '&#10;');
}

/** `s` with the characters XML 1.0 cannot carry at all (controls other than tab, newline, return; U+FFFE, U+FFFF) as `?`. */
export function xmlChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff ? '?' : ch;
  }
  return out;
}
