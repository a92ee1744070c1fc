// ReplyWriter: appends RESP replies to a reusable per-client buffer.
//
// Every RESP2/RESP3 difference lives here (map vs flat array, nulls, doubles, booleans,
// verbatim strings, push frames), so command code never looks at the protocol version.

import { formatDouble } from '../util/numbers';
import { decimalLength, writeDigits } from '../util/digits';

type Latin1Buffer = Buffer & { latin1Write(s: string, offset: number): number };

const INITIAL_SIZE = 1024;
/** bulks shorter than this (two length digits at most) are written without latin1Write */
const SHORT_BULK = 64;
/** Replies bigger than this are handed to the socket as they are, without a copy. */
const HANDOFF_SIZE = 64 * 1024;
/** Replies buffered beyond this are written out early (see `spill`). */
const SPILL_SIZE = 64 * 1024 * 1024;

/** The largest COUNT deferArrayUpTo reserves a header for. */
export const BOUNDED_ARRAY_MAX = 1_000_000;

export class ReplyWriter {
  private buf: Latin1Buffer = Buffer.allocUnsafe(INITIAL_SIZE) as Latin1Buffer;
  /** `buf` again, for writing four bytes per store (see copyChars) */
  private words = wordView(this.buf);
  private pos = 0;
  /** 2 or 3 (HELLO) */
  resp: 2 | 3 = 2;
  /** When > 0 replies are dropped (CLIENT REPLY OFF/SKIP, or replies to the primary). */
  muted = 0;

  get length(): number {
    return this.pos;
  }

  /** Take everything written so far as one Buffer the caller may keep. */
  take(): Buffer | null {
    if (this.pos === 0) return null;
    let out: Buffer;
    if (this.pos >= HANDOFF_SIZE) {
      out = this.buf.subarray(0, this.pos);
      this.setBuffer(Buffer.allocUnsafe(INITIAL_SIZE) as Latin1Buffer);
    } else {
      out = Buffer.allocUnsafe(this.pos);
      this.buf.copy(out, 0, 0, this.pos);
      if (this.buf.length > 4 * HANDOFF_SIZE) this.setBuffer(Buffer.allocUnsafe(INITIAL_SIZE) as Latin1Buffer);
    }
    this.pos = 0;
    return out;
  }

  /**
   * The replies written so far as a view of the writer's own storage, without a copy. The caller
   * then says what became of it: `clear()` once the bytes were copied out (the socket took them
   * synchronously), `release()` if something still holds the view (a queued write).
   */
  view(): Buffer | null {
    return this.pos === 0 ? null : this.buf.subarray(0, this.pos);
  }

  /** The viewed bytes are no longer needed: the next replies are written over them. */
  clear(): void {
    this.pos = 0;
    if (this.buf.length > 4 * HANDOFF_SIZE) this.setBuffer(Buffer.allocUnsafe(INITIAL_SIZE) as Latin1Buffer);
  }

  /** The viewed bytes are still referenced: continue in new storage. */
  release(): void {
    this.pos = 0;
    this.setBuffer(Buffer.allocUnsafe(INITIAL_SIZE) as Latin1Buffer);
  }

  /** Position marker, to drop a partly written reply (see truncate). */
  mark(): number {
    return this.pos;
  }

  truncate(mark: number): void {
    if (mark <= this.pos) this.pos = mark;
  }

  /**
   * Where a reply buffer that grows past SPILL_SIZE goes before the end of the batch (the
   * client's socket): a pipeline of huge replies must not build one buffer bigger than Node
   * allows. Marks taken before a spill cannot be truncated to.
   */
  spill: ((chunk: Buffer) => void) | null = null;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.spill !== null && this.pos >= SPILL_SIZE) {
      const chunk = this.take();
      if (chunk !== null) this.spill(chunk);
      if (this.pos + n <= this.buf.length) return;
    }
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const nb = Buffer.allocUnsafe(size) as Latin1Buffer;
    this.buf.copy(nb, 0, 0, this.pos);
    this.setBuffer(nb);
  }

  /** Raw protocol text (ASCII or latin1), already formatted. */
  raw(s: string): void {
    if (this.muted) return;
    const len = s.length;
    this.ensure(len);
    if (len >= SHORT_BULK) {
      this.pos += this.buf.latin1Write(s, this.pos);
      return;
    }
    // Short protocol lines (+OK, :1, +QUEUED...) are copied in JS: cheaper than the call into C++.
    // Byte by byte: they are mostly a handful of chars, too few for copyChars's word stores.
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < len; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  rawBuffer(b: Buffer): void {
    if (this.muted) return;
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  ok(): void {
    this.raw('+OK\r\n');
  }

  simple(s: string): void {
    this.raw('+' + s + '\r\n');
  }

  /** An error line; `msg` starts with the error code (ERR, WRONGTYPE, ...). */
  error(msg: string): void {
    this.raw('-' + msg.replace(/[\r\n]/g, ' ') + '\r\n');
  }

  int(n: number | bigint): void {
    if (typeof n === 'number' && n >= 0 && n < 1e15 && Number.isInteger(n)) {
      // The usual counts and flags: digits written in place, no string built.
      if (this.muted) return;
      this.ensure(19);
      const b = this.buf;
      b[this.pos] = 58; // ':'
      let p = writeDigits(n, b, this.pos + 1);
      b[p++] = 13;
      b[p++] = 10;
      this.pos = p;
      return;
    }
    this.raw(':' + n + '\r\n');
  }

  bulk(s: string): void {
    if (this.muted) return;
    const len = s.length;
    if (len < SHORT_BULK) {
      this.shortBulk(s, len);
      return;
    }
    const head = '$' + len + '\r\n';
    this.ensure(head.length + len + 2);
    const b = this.buf;
    let p = this.pos;
    p += b.latin1Write(head, p);
    if (len > 0) p += b.latin1Write(s, p);
    b[p++] = 13;
    b[p++] = 10;
    this.pos = p;
  }

  private setBuffer(b: Latin1Buffer): void {
    this.buf = b;
    this.words = wordView(b);
  }

  /**
   * A bulk of fewer than SHORT_BULK bytes copied in JS (copyChars): for the many small members
   * and scores of collection replies this beats two latin1Write calls into C++ by about 2x.
   */
  private shortBulk(s: string, len: number): void {
    this.ensure(len + 7);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 36; // $
    if (len >= 10) b[p++] = 48 + ((len / 10) | 0);
    b[p++] = 48 + (len % 10);
    b[p++] = 13;
    b[p++] = 10;
    p = copyChars(this.words, b, p, s, len);
    b[p++] = 13;
    b[p++] = 10;
    this.pos = p;
  }

  bulkBuffer(v: Buffer): void {
    if (this.muted) return;
    const head = '$' + v.length + '\r\n';
    this.ensure(head.length + v.length + 2);
    this.pos += this.buf.latin1Write(head, this.pos);
    v.copy(this.buf, this.pos);
    this.pos += v.length;
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }

  /** A bulk string of the bytes src[start, end), copied straight from a Buffer (no string made). */
  bulkBytes(src: Buffer, start: number, end: number): void {
    if (this.muted) return;
    const len = end - start;
    this.ensure(len + 24);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 36; // $
    p = writeDigits(len, b, p);
    b[p++] = 13;
    b[p++] = 10;
    if (len <= 32) {
      for (let i = start; i < end; i++) b[p++] = src[i];
    } else {
      src.copy(b, p, start, end);
      p += len;
    }
    b[p++] = 13;
    b[p++] = 10;
    this.pos = p;
  }

  /** Raw protocol bytes src[start, end) (e.g. bulk strings encoded ahead of time). */
  rawBytes(src: Buffer, start: number, end: number): void {
    if (this.muted) return;
    const len = end - start;
    this.ensure(len);
    const b = this.buf;
    let p = this.pos;
    if (len <= 32) {
      for (let i = start; i < end; i++) b[p++] = src[i];
    } else {
      src.copy(b, p, start, end);
      p += len;
    }
    this.pos = p;
  }

  /**
   * For encoders that write many small pieces in place (stream entries): room for `n` bytes,
   * returned as the storage to write into from `length` on; then `advance(k)` by the k <= n
   * bytes written. Null while muted: write nothing.
   */
  reserve(n: number): Buffer | null {
    if (this.muted) return null;
    this.ensure(n);
    return this.buf;
  }

  advance(k: number): void {
    this.pos += k;
  }

  /** Bulk string or null. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.nullBulk();
    else this.bulk(s);
  }

  nullBulk(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  nullArray(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    this.raw('*' + n + '\r\n');
  }

  /** A map of n pairs: RESP3 `%`, RESP2 a flat array of 2n. */
  map(n: number): void {
    this.raw(this.resp === 3 ? '%' + n + '\r\n' : '*' + 2 * n + '\r\n');
  }

  /** A set: RESP3 `~`, RESP2 an array. */
  set(n: number): void {
    this.raw(this.resp === 3 ? '~' + n + '\r\n' : '*' + n + '\r\n');
  }

  /** Out-of-band push: RESP3 `>`, RESP2 an array. */
  push(n: number): void {
    this.raw(this.resp === 3 ? '>' + n + '\r\n' : '*' + n + '\r\n');
  }

  attribute(n: number): void {
    if (this.resp === 3) this.raw('|' + n + '\r\n');
  }

  double(d: number): void {
    if (this.resp === 3) {
      const s = Number.isNaN(d) ? 'nan' : d === Infinity ? 'inf' : d === -Infinity ? '-inf' : formatDouble(d);
      this.raw(',' + s + '\r\n');
    } else {
      this.bulk(formatDouble(d));
    }
  }

  /** A double already formatted as Valkey prints it (keeps the exact text in RESP3 too). */
  doubleText(s: string): void {
    if (this.resp === 3) this.raw(',' + s + '\r\n');
    else this.bulk(s);
  }

  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ':1\r\n' : ':0\r\n');
  }

  bigNumber(s: string): void {
    if (this.resp === 3) this.raw('(' + s + '\r\n');
    else this.bulk(s);
  }

  /** Verbatim string (RESP3 `=`, with a 3-letter format such as txt); RESP2 a bulk string. */
  verbatim(s: string, format = 'txt'): void {
    if (this.resp === 3) {
      this.raw('=' + (s.length + 4) + '\r\n' + format + ':');
      this.raw(s);
      this.raw('\r\n');
    } else {
      this.bulk(s);
    }
  }

  /**
   * Start a reply whose element count is only known at its end (Valkey's addReplyDeferredLen):
   * write the elements, then call setDeferredArray/setDeferredMap with this mark. Deferred
   * replies nest as long as the inner one is completed first.
   */
  deferLen(): number {
    return this.pos;
  }

  /**
   * A deferred array of at most `max` elements (a COUNT): its header is written now, as wide as
   * "*<max>\r\n", so that when the array is full (a COUNT met, the usual case) the count is
   * filled in place instead of every element being moved as setDeferredArray does. Returns the
   * mark for setDeferredArrayUpTo (-1 while muted). `max` is at most BOUNDED_ARRAY_MAX.
   */
  deferArrayUpTo(max: number): number {
    if (this.muted) return -1;
    const width = decimalLength(max);
    this.ensure(width + 3);
    const at = this.pos;
    this.buf[at] = 42; // *
    this.buf[at + 1 + width] = 13;
    this.buf[at + 2 + width] = 10;
    this.pos += width + 3;
    return at;
  }

  /** Complete a deferArrayUpTo array with its `n` elements, moving them back if the count is narrower. */
  setDeferredArrayUpTo(mark: number, max: number, n: number): void {
    if (mark < 0) return;
    const width = decimalLength(max);
    const used = decimalLength(n);
    if (used < width) {
      this.buf.copyWithin(mark + 1 + used, mark + 1 + width, this.pos);
      this.pos -= width - used;
    }
    writeDigits(n, this.buf, mark + 1);
  }

  setDeferredArray(mark: number, n: number): void {
    this.insertAt(mark, '*' + n + '\r\n');
  }

  /** A deferred map: RESP3 `%n`, RESP2 an array of 2n. */
  setDeferredMap(mark: number, n: number): void {
    this.insertAt(mark, this.resp === 3 ? '%' + n + '\r\n' : '*' + 2 * n + '\r\n');
  }

  private insertAt(mark: number, head: string): void {
    if (this.muted) return;
    const len = head.length;
    this.ensure(len);
    this.buf.copyWithin(mark + len, mark, this.pos);
    this.buf.latin1Write(head, mark);
    this.pos += len;
  }

  /** An array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    this.array(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }
}

function wordView(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.length);
}

/**
 * Copy the latin1 chars of s into b at p (b and words viewing the same bytes), returning the
 * position after them. Four chars go in one 32-bit store: a JS loop of byte stores costs more
 * than the copy itself.
 */
function copyChars(words: DataView, b: Buffer, p: number, s: string, len: number): number {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    words.setUint32(p + i, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24), true);
  }
  for (; i < len; i++) b[p + i] = s.charCodeAt(i);
  return p + len;
}

/** A precomputed fragment, for replies sent to many clients (pub/sub messages). */
export function encodeBulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}
