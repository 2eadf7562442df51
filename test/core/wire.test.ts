// The wire codec against docs/protocol.md, "Messages", and its parsing quirks ("Fragile parsing").
import { describe, expect, it } from 'vitest';
import { classify, Datagram, encodeChat, encodeJoin, encodeReply, parseAttachedClock, pyDumpsClock, pyDumpsString, RECV_BUFFER_BYTES } from '../../src/core/wire.js';

describe('encoding', () => {
  it('writes the three message texts exactly', () => {
    expect(encodeJoin('alice')).toBe('NEW_CONNECTION==alice');
    expect(encodeReply('bob')).toBe('EXISTING_CONNECTION==bob');
    expect(encodeChat('alice', 'hi', ['alice', 'bob'], [2, 1])).toBe('alice##hi@@{"alice": 2, "bob": 1}');
  });

  it('uses Python json.dumps spacing and ensure_ascii escaping', () => {
    expect(pyDumpsClock([], [])).toBe('{}');
    expect(pyDumpsClock(['a'], [0])).toBe('{"a": 0}');
    expect(pyDumpsString('zoë')).toBe('"zo\\u00eb"');
    expect(pyDumpsString('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(pyDumpsString('😀')).toBe('"\\ud83d\\ude00"');
    expect(pyDumpsString('\x7f')).toBe('"\\u007f"');
  });

  it('round-trips a chat message', () => {
    const text = encodeChat('n1', 'hello world', ['n1', 'n0', 'zoë'], [3, 1, 7]);
    const p = classify(text);
    expect(p).toEqual({ kind: 'chat', sender: 'n1', text: 'hello world', clockText: '{"n1": 3, "n0": 1, "zo\\u00eb": 7}' });
    const c = parseAttachedClock(p.kind === 'chat' ? p.clockText : '');
    expect(c).toEqual({ ok: true, keys: ['n1', 'n0', 'zoë'], values: [3, 1, 7] });
  });

  it('keeps text order for names that look like array indices', () => {
    const c = parseAttachedClock('{"b": 1, "2": 5, "1": 3}');
    expect(c).toEqual({ ok: true, keys: ['b', '2', '1'], values: [1, 5, 3] });
  });
});

describe('classification quirks', () => {
  it('takes any datagram containing NEW_CONNECTION== for a join, even a chat text', () => {
    expect(classify('mallory##see NEW_CONNECTION==x@@{}')).toEqual({ kind: 'join', name: 'x@@{}' });
  });

  it('checks NEW_CONNECTION before EXISTING_CONNECTION', () => {
    expect(classify('EXISTING_CONNECTION==a NEW_CONNECTION==b').kind).toBe('join');
  });

  it('cuts a name containing == at the second ==', () => {
    expect(classify(encodeJoin('a==b'))).toEqual({ kind: 'join', name: 'a' });
    expect(classify(encodeReply('x==y==z'))).toEqual({ kind: 'reply', name: 'x' });
  });

  it('refuses a chat message that does not split into exactly one ## and one @@', () => {
    expect(classify('a##b##c@@{}').kind).toBe('unparsable');
    expect(classify('a##b@@c@@{}').kind).toBe('unparsable');
    expect(classify('no separators').kind).toBe('unparsable');
    expect(classify(encodeChat('n##1', 'x', ['n##1'], [1])).kind).toBe('unparsable');
  });

  it('reports a clock that is not a JSON object', () => {
    expect(parseAttachedClock('{"a": 1').ok).toBe(false);
    expect(parseAttachedClock('[1, 2]').ok).toBe(false);
    expect(parseAttachedClock('{"a": "x"}')).toEqual({ ok: true, keys: ['a'], values: [null] });
  });
});

describe('the receive buffer', () => {
  it('truncates at 2048 bytes, so a long chat message loses its clock', () => {
    const text = encodeChat('n0', 'x'.repeat(2100), ['n0'], [1]);
    const d = new Datagram(text);
    expect(d.byteLength).toBeGreaterThan(RECV_BUFFER_BYTES);
    expect(d.parsed.kind).toBe('unparsable');
  });

  it('fails the strict UTF-8 decode when the cut splits a character', () => {
    const text = 'n0##x' + 'é'.repeat(1100) + '@@{"n0": 1}'; // 5 + 2043 bytes: the cut falls inside an é
    const d = new Datagram(text);
    expect(d.parsed).toMatchObject({ kind: 'unparsable' });
    expect((d.parsed as { reason: string }).reason).toMatch(/mid-character/);
  });

  it('decodes invalid UTF-8 bytes as unparsable', () => {
    expect(Datagram.fromBytes(new Uint8Array([0x6e, 0xff, 0xfe])).parsed.kind).toBe('unparsable');
  });

  it('memoizes the parse: one datagram object is shared by every receiver', () => {
    const d = new Datagram(encodeChat('a', 't', ['a'], [1]));
    expect(d.parsed).toBe(d.parsed);
    expect(d.clock).toBe(d.clock);
  });
});
