// The seed protocol's wire format, byte for byte (docs/protocol.md, "Messages").
//
// Everything that turns a datagram into meaning, or meaning into a datagram, lives here:
// the three message texts, the classification by substring test, the `##`/`@@` split,
// Python `json.dumps` spacing and escaping for clocks, and the receive buffer's 2048-byte
// truncation followed by a strict UTF-8 decode. The simulator carries these exact bytes,
// so every parsing quirk of the original is real in simulation too.
//
// Theory of operation: a `Datagram` is created once per broadcast and shared by every
// receiver; its classification (`parsed`) and its attached clock (`clock`) are computed
// on first use and memoized, since identical bytes parse identically.

import type { NameTable } from './clock.js';

export const RECV_BUFFER_BYTES = 2048;
export const JOIN_TAG = 'NEW_CONNECTION==';
export const REPLY_TAG = 'EXISTING_CONNECTION==';

/** What a datagram is, decided exactly as the original program decides it. */
export type Parsed =
  | { readonly kind: 'join'; readonly name: string }
  | { readonly kind: 'reply'; readonly name: string }
  | { readonly kind: 'chat'; readonly sender: string; readonly text: string; readonly clockText: string }
  /** `sender`: set when the `##` split worked, so the receiver can still drop its own copy unparsed. */
  | { readonly kind: 'unparsable'; readonly reason: string; readonly sender?: string };

/**
 * An attached clock as the original's `json.loads` would see it. `values[i]` is a number,
 * or null where Python's `max()` would raise a TypeError (a string, null, list, object).
 */
export type AttachedClock =
  | { readonly ok: true; readonly keys: readonly string[]; readonly values: readonly (number | null)[] }
  | { readonly ok: false; readonly reason: string };

export function encodeJoin(name: string): string {
  return JOIN_TAG + name;
}

export function encodeReply(name: string): string {
  return REPLY_TAG + name;
}

/** `<name>##<text>@@<clock>`, the clock as Python's json.dumps writes a dict. */
export function encodeChat(name: string, text: string, keys: readonly string[], values: ArrayLike<number>, count = keys.length): string {
  return name + '##' + text + '@@' + pyDumpsClock(keys, values, count);
}

/** Python `json.dumps(dict)` with default arguments: `{"a": 1, "b": 2}`, ensure_ascii on. */
export function pyDumpsClock(keys: readonly string[], values: ArrayLike<number>, count = keys.length): string {
  let s = '{';
  for (let i = 0; i < count; i++) {
    if (i > 0) s += ', ';
    const v = values[i];
    s += keyText(keys[i]) + ((v | 0) === v ? String(v) : pyNumber(v));
  }
  return s + '}';
}

/** `"name": ` as pyDumpsClock writes a key, made once per name (a cache, cleared past MAX_KEY_TEXTS names). */
const keyTexts = new Map<string, string>();
const MAX_KEY_TEXTS = 65536;

function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = pyDumpsString(k) + ': ';
    if (keyTexts.size >= MAX_KEY_TEXTS) keyTexts.clear();
    keyTexts.set(k, t);
  }
  return t;
}

const ASCII_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** Python `json.dumps(str)` with ensure_ascii=True: non-ASCII as \uXXXX (surrogate pairs). */
export function pyDumpsString(s: string): string {
  if (ASCII_SAFE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

/** Python's repr of an int or float as json.dumps writes it. */
export function pyNumber(v: number): string {
  if (Number.isInteger(v)) return Math.abs(v) < 1e16 ? String(v) : BigInt(v).toString();
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(v);
}

/** Classify datagram text exactly as docs/protocol.md, "Classification and parse order" says: substring tests, in this order. */
export function classify(text: string): Parsed {
  if (text.includes(JOIN_TAG)) return { kind: 'join', name: nameAfterTag(text) };
  if (text.includes(REPLY_TAG)) return { kind: 'reply', name: nameAfterTag(text) };
  const parts = text.split('##');
  if (parts.length !== 2) return { kind: 'unparsable', reason: `expected one "##", found ${parts.length - 1}` };
  // The sender's name is known here, before the "@@" split: the original compares it with
  // its own and drops its own copy unparsed (docs/protocol.md, "Classification and parse order").
  const rest = parts[1].split('@@');
  if (rest.length !== 2) return { kind: 'unparsable', reason: `expected one "@@", found ${rest.length - 1}`, sender: parts[0] };
  return { kind: 'chat', sender: parts[0], text: rest[0], clockText: rest[1] };
}

/** Python's `data.split("==")[1]`: after the first `==`, up to the next `==` if any. */
function nameAfterTag(text: string): string {
  return text.split('==')[1];
}

/** Python's `json.loads` of the attached clock, as far as the merge loop will use it. */
export function parseAttachedClock(clockText: string): AttachedClock {
  return parsePyDumpsClock(clockText) ?? parseAttachedClockJson(clockText);
}

/**
 * The fast path: the exact text `pyDumpsClock` writes (`{"a": 1, "b": 2}`, names of plain
 * ASCII without escapes, values whole numbers of at most 15 digits without leading zeros),
 * scanned by hand. Returns null for anything else (other spacing, escapes, index-like or
 * repeated names, other values), which `parseAttachedClockJson` then parses as before, so
 * both paths give the same answer on every text.
 */
export function parsePyDumpsClock(t: string): AttachedClock | null {
  const n = t.length;
  if (n < 2 || t.charCodeAt(0) !== 0x7b || t.charCodeAt(n - 1) !== 0x7d) return null;
  const keys: string[] = [];
  const values: number[] = [];
  if (n === 2) return { ok: true, keys, values };
  let i = 1;
  for (;;) {
    if (t.charCodeAt(i) !== 0x22) return null;
    const k0 = i + 1;
    let j = k0;
    for (;;) {
      if (j >= n) return null;
      const c = t.charCodeAt(j);
      if (c === 0x22) break;
      if (c < 0x20 || c > 0x7e || c === 0x5c) return null;
      j++;
    }
    const key = t.slice(k0, j);
    if (t.charCodeAt(j + 1) !== 0x3a || t.charCodeAt(j + 2) !== 0x20) return null;
    const v = scanValue(t, j + 3);
    if (v < 0) return null;
    const num = scanned;
    const c0 = t.charCodeAt(k0);
    if (c0 >= 0x30 && c0 <= 0x39 && isIndexLike(key)) return null; // index-like names start with a digit
    keys.push(key);
    values.push(num);
    if (v === n - 1) break;
    if (t.charCodeAt(v) !== 0x2c || t.charCodeAt(v + 1) !== 0x20) return null;
    i = v + 2;
  }
  if (keys.length > 1 && new Set(keys).size !== keys.length) return null;
  return { ok: true, keys, values };
}

/** The value the last successful scanValue read. */
let scanned = 0;

/**
 * The fast paths' value: a whole number of 1 to 15 digits without a leading zero, starting
 * at v0. Returns where it ends (its value left in `scanned`), or -1.
 */
function scanValue(t: string, v0: number): number {
  let v = v0;
  let num = 0;
  for (;;) {
    const c = t.charCodeAt(v);
    if (c < 0x30 || c > 0x39) break;
    num = num * 10 + (c - 0x30);
    v++;
  }
  const digits = v - v0;
  if (digits === 0 || digits > 15 || (digits > 1 && t.charCodeAt(v0) === 0x30)) return -1;
  scanned = num;
  return v;
}

/**
 * The fast path when the keys are known: the text `pyDumpsClock` writes for exactly these
 * keys (a list an earlier fast parse returned, so valid and without repeats), in this order,
 * with values as the fast path takes them. Returns the same answer as `parsePyDumpsClock`
 * with `keys` itself as its keys (no new strings), or null when the text differs in any way.
 */
export function parsePyDumpsClockWithKeys(t: string, keys: readonly string[]): AttachedClock | null {
  const n = t.length;
  const count = keys.length;
  if (count === 0 || n < 2 || t.charCodeAt(0) !== 0x7b || t.charCodeAt(n - 1) !== 0x7d) return null;
  const values: number[] = [];
  let i = 1;
  for (let k = 0; k < count; k++) {
    const key = keys[k];
    if (t.charCodeAt(i) !== 0x22 || !t.startsWith(key, i + 1)) return null;
    const j = i + 1 + key.length;
    if (t.charCodeAt(j) !== 0x22 || t.charCodeAt(j + 1) !== 0x3a || t.charCodeAt(j + 2) !== 0x20) return null;
    const v = scanValue(t, j + 3);
    if (v < 0) return null;
    const num = scanned;
    values.push(num);
    if (k === count - 1) return v === n - 1 ? { ok: true, keys, values } : null;
    if (t.charCodeAt(v) !== 0x2c || t.charCodeAt(v + 1) !== 0x20) return null;
    i = v + 2;
  }
  return null;
}

/**
 * The keys of each sender's last clock that took the fast path: a sender's next clock most
 * often has the same keys (only values change), parsed then without new strings and with
 * the same keys list (whose name ids the table memoizes). A cache only: every answer is
 * the one the full parse gives. Bounded: cleared past MAX_KEY_HINTS senders.
 */
const keyHints = new Map<string, readonly string[]>();
const MAX_KEY_HINTS = 65536;

/** parseAttachedClock for a chat message from `sender`, helped by the sender's last keys. */
export function parseAttachedClockFrom(sender: string, clockText: string): AttachedClock {
  const hint = keyHints.get(sender);
  if (hint !== undefined) {
    const c = parsePyDumpsClockWithKeys(clockText, hint);
    if (c !== null) return c;
  }
  const fast = parsePyDumpsClock(clockText);
  if (fast === null) return parseAttachedClockJson(clockText);
  if (fast.ok && fast.keys.length > 0) {
    if (keyHints.size >= MAX_KEY_HINTS) keyHints.clear();
    keyHints.set(sender, fast.keys);
  }
  return fast;
}

/** The general path: JSON.parse, then Python's key order and value types. */
export function parseAttachedClockJson(clockText: string): AttachedClock {
  let value: unknown;
  try {
    value = JSON.parse(clockText);
  } catch {
    return { ok: false, reason: 'clock is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'clock is not a JSON object' };
  }
  const keys = Object.keys(value);
  const values: (number | null)[] = [];
  const rec = value as Record<string, unknown>;
  for (const k of keys) {
    const v = rec[k];
    values.push(typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null);
  }
  return { ok: true, keys: orderLikePython(clockText, keys), values: orderValuesLikePython(clockText, keys, values) };
}

// JavaScript objects list integer-like keys first; Python dicts keep text order. Recover the
// text order (rare: only names that look like array indices are affected).
function orderLikePython(clockText: string, keys: string[]): string[] {
  if (!keys.some(isIndexLike)) return keys;
  return textOrder(clockText, keys).map((i) => keys[i]);
}
function orderValuesLikePython(clockText: string, keys: string[], values: (number | null)[]): (number | null)[] {
  if (!keys.some(isIndexLike)) return values;
  return textOrder(clockText, keys).map((i) => values[i]);
}
function isIndexLike(k: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(k);
}
function textOrder(clockText: string, keys: string[]): number[] {
  const pos = keys.map((k) => clockText.indexOf(JSON.stringify(k)));
  return keys.map((_, i) => i).sort((a, b) => pos[a] - pos[b]);
}

const utf8 = new TextEncoder();

/**
 * The length in bytes of `s` encoded as UTF-8, as TextEncoder would encode it (a lone
 * surrogate as U+FFFD, 3 bytes), counted without encoding it.
 */
export function utf8Length(s: string): number {
  const len = s.length;
  let n = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for its 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes as the receiver sees them: at most 2048, then a strict UTF-8 decode (Python's
 * `bytes.decode()`). Returns null where the decode raises.
 */
export function receiveText(bytes: Uint8Array, recvBuffer = RECV_BUFFER_BYTES): string | null {
  const cut = bytes.length > recvBuffer ? bytes.subarray(0, recvBuffer) : bytes;
  try {
    return strictDecoder.decode(cut);
  } catch {
    return null;
  }
}

/** A datagram as sent: the payload text, its size on the wire, and memoized parses. */
export class Datagram {
  readonly byteLength: number;
  private parsedMemo: Parsed | undefined;
  private clockMemo: AttachedClock | undefined;
  private idsTable: NameTable | undefined;
  private idsMemo: Int32Array | undefined;
  private firstNullMemo = -2;

  /**
   * `recvBuffer`: the receivers' buffer size in bytes (the seed's 2048 unless a simulated
   * scenario sets `protocol: { recv_buffer }`); a longer datagram is truncated to it.
   */
  constructor(readonly payload: string, byteLength?: number, readonly recvBuffer = RECV_BUFFER_BYTES) {
    this.byteLength = byteLength ?? utf8Length(payload);
  }

  static fromBytes(bytes: Uint8Array): Datagram {
    const text = receiveText(bytes);
    const d = new Datagram(text ?? '', bytes.length);
    if (text === null) d.parsedMemo = { kind: 'unparsable', reason: 'not valid UTF-8 (after truncation to 2048 bytes)' };
    return d;
  }

  /** What the receiver makes of it (after truncation to the receive buffer). */
  get parsed(): Parsed {
    if (this.parsedMemo === undefined) {
      if (this.byteLength > this.recvBuffer) {
        const text = receiveText(utf8.encode(this.payload), this.recvBuffer);
        this.parsedMemo = text === null
          ? { kind: 'unparsable', reason: `truncated from ${this.byteLength} to ${this.recvBuffer} bytes mid-character` }
          : classify(text);
      } else {
        this.parsedMemo = classify(this.payload);
      }
    }
    return this.parsedMemo;
  }

  /** The attached clock's keys as ids of `table` (memoized for one table at a time). */
  clockIds(table: NameTable): Int32Array {
    if (this.idsTable !== table || this.idsMemo === undefined) {
      const c = this.clock;
      // Memoized per keys list by the table: datagrams that share a list share its ids.
      this.idsMemo = c.ok ? table.idsOf(c.keys) : new Int32Array(0);
      this.idsTable = table;
    }
    return this.idsMemo;
  }

  /** The index of the attached clock's first value that is not a number, or -1 (memoized). */
  get firstNull(): number {
    if (this.firstNullMemo === -2) {
      const c = this.clock;
      this.firstNullMemo = c.ok ? c.values.indexOf(null) : -1;
    }
    return this.firstNullMemo;
  }

  /** The attached clock of a chat message; only meaningful when `parsed.kind === 'chat'`. */
  get clock(): AttachedClock {
    if (this.clockMemo === undefined) {
      const p = this.parsed;
      this.clockMemo = p.kind === 'chat' ? parseAttachedClockFrom(p.sender, p.clockText) : { ok: false, reason: 'not a chat message' };
    }
    return this.clockMemo;
  }
}
