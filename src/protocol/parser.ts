// RESP request parser: multibulk (`*N\r\n$len\r\n...`) and inline commands.
//
// The parser is fed socket chunks and yields one argv at a time, so the caller can stop
// between commands (a blocked or paused client keeps the rest of its pipeline queued).
// Arguments come out as latin1 strings: one char per byte, binary safe.

const CR = 13;
const LF = 10;
// Valkey's PROTO_INLINE_MAX_SIZE: an inline request or a `*`/`$` header line longer than this
// without a newline is rejected.
const PROTO_INLINE_MAX_SIZE = 64 * 1024;
// Bulk arguments at least this big are copied straight into a buffer of their final size
// instead of being re-concatenated on every chunk (Valkey's PROTO_MBULK_BIG_ARG idea).
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
/** Commands with more arguments than this always take the general path (see takeWholeCommand). */
const WHOLE_COMMAND_MAX_ARGS = 1024;
const EMPTY = Buffer.alloc(0);

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** true while the connection still has to authenticate: Valkey caps sizes then */
  authRequired: boolean;
}

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** arguments still expected for the multibulk in progress; 0 when between commands */
  private pendingArgs = 0;
  private argv: string[] = [];
  /** length of the bulk we are waiting for, -1 while waiting for its `$` header */
  private bulkLen = -1;
  private bigArg: Buffer | null = null;
  private bigArgFill = 0;
  /** true if the last returned command was written inline (for MONITOR/ client info) */
  lastWasInline = false;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes received but not yet turned into a command (query buffer length). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigArgFill;
  }

  /** Bytes allocated for the query buffer (INFO/CLIENT LIST qbuf). */
  get allocatedBytes(): number {
    return this.buf.length + (this.bigArg ? this.bigArg.length : 0);
  }

  feed(chunk: Buffer): void {
    if (this.bigArg !== null) {
      // Fill the big argument directly; the rest of the chunk becomes the buffer.
      const need = this.bigArg.length - this.bigArgFill;
      const n = Math.min(need, chunk.length);
      chunk.copy(this.bigArg, this.bigArgFill, 0, n);
      this.bigArgFill += n;
      this.buf = n < chunk.length ? chunk.subarray(n) : EMPTY;
      this.pos = 0;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /**
   * Copy the bytes not parsed yet out of the chunk last fed, whose memory its owner is about to
   * reuse (the shared socket read buffer).
   */
  ownPendingBytes(): void {
    if (this.pos >= this.buf.length) {
      this.buf = EMPTY;
    } else {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
    }
    this.pos = 0;
  }

  /** Drop everything queued (used after a protocol error or on RESET of the connection). */
  clear(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.pendingArgs = 0;
    this.argv = [];
    this.bulkLen = -1;
    this.bigArg = null;
    this.bigArgFill = 0;
  }

  /**
   * Next complete command, or null if more bytes are needed. Empty commands (`*0`, `*-1`,
   * blank inline lines) are skipped. Throws ProtocolError with Valkey's message.
   */
  next(): string[] | null {
    for (;;) {
      if (this.pendingArgs === 0) {
        if (this.pos >= this.buf.length) {
          if (this.buf !== EMPTY) { this.buf = EMPTY; this.pos = 0; }
          return null;
        }
        if (this.buf[this.pos] === 0x2a /* '*' */) {
          const whole = this.takeWholeCommand();
          if (whole !== null) {
            this.lastWasInline = false;
            return whole;
          }
          const r = this.startMultibulk();
          if (r === 0) return null;
          if (r === 2) continue; // empty multibulk, skip
        } else {
          const argv = this.parseInline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          this.lastWasInline = true;
          return argv;
        }
      }
      const done = this.parseBulks();
      if (!done) return null;
      const argv = this.argv;
      this.argv = [];
      this.lastWasInline = false;
      return argv;
    }
  }

  /**
   * Look ahead, without consuming anything: for each complete multibulk command waiting in the
   * buffer (at most out.length of them), `hash` of the bytes of its second argument (the first
   * key of most commands) goes into `out`; returns how many. A hint for prefetching keys, so it
   * stops quietly at anything not plainly well formed.
   */
  peekSecondArgHashes(hash: (buf: Buffer, start: number, end: number) => number, out: Int32Array): number {
    if (this.pendingArgs !== 0 || this.bigArg !== null) return 0;
    const buf = this.buf;
    const end = buf.length;
    let p = this.pos;
    let n = 0;
    while (n < out.length && p < end && buf[p] === 0x2a /* '*' */) {
      const args = readHeaderLength(buf, p + 1, end);
      if (args < 1) break;
      p = headerEnd;
      for (let a = 0; a < args; a++) {
        if (p >= end || buf[p] !== 0x24 /* '$' */) return n;
        const len = readHeaderLength(buf, p + 1, end);
        if (len < 0) return n;
        const data = headerEnd;
        p = data + len + 2;
        if (p > end) return n;
        if (a === 1) out[n++] = hash(buf, data, data + len);
      }
    }
    return n;
  }

  /**
   * The common case, without the general path's state: a multibulk whose header and bulks are
   * all plainly well formed (see readHeaderLength; bulks of 1 byte to BIG_ARG, within the limits)
   * and wholly in the buffer is taken at once. Returns null, having consumed nothing, for
   * anything else, which the general path then handles, errors included. The argv is built
   * locally: storing each new one in the parser would cost a write barrier per command.
   */
  private takeWholeCommand(): string[] | null {
    const buf = this.buf;
    const end = buf.length;
    const limits = this.limits;
    const n = readHeaderLength(buf, this.pos + 1, end);
    if (n <= 0 || n > WHOLE_COMMAND_MAX_ARGS || (n > 10 && limits.authRequired)) return null;
    let p = headerEnd;
    const argv = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (p >= end || buf[p] !== 0x24 /* '$' */) return null;
      const len = readHeaderLength(buf, p + 1, end);
      if (len < 1 || len >= BIG_ARG || len > limits.maxBulkLen || (len > 16384 && limits.authRequired)) return null;
      const data = headerEnd;
      if (end - data < len + 2) return null;
      argv[i] = i === 0 ? this.commandName(buf, data, len) : bytesToString(buf, data, len);
      p = data + len + 2;
    }
    this.pos = p;
    return argv;
  }

  /** 0: need more data; 1: started; 2: empty multibulk consumed. */
  private startMultibulk(): number {
    const buf = this.buf;
    // The common case: "*<1 to 9 digits>\r\n" whole in the buffer (Buffer#indexOf is a call
    // into C++ that costs more than reading these few bytes here).
    const args = readHeaderLength(buf, this.pos + 1, buf.length);
    if (args > 0 && (args <= 10 || !this.limits.authRequired)) {
      this.pos = headerEnd;
      this.pendingArgs = args;
      this.argv = [];
      this.bulkLen = -1;
      return 1;
    }
    const nl = buf.indexOf(LF, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) {
        throw new ProtocolError('Protocol error: too big mbulk count string');
      }
      return 0;
    }
    if (nl === this.pos || buf[nl - 1] !== CR) {
      // Valkey searches for '\r' and then requires the newline; a bare \n header is invalid.
      throw new ProtocolError('Protocol error: invalid multibulk length');
    }
    const n = parseHeaderInt(buf, this.pos + 1, nl - 1);
    if (n === null || n > INT_MAX) throw new ProtocolError('Protocol error: invalid multibulk length');
    if (n > 10 && this.limits.authRequired) {
      throw new ProtocolError('Protocol error: unauthenticated multibulk length');
    }
    this.pos = nl + 1;
    if (n <= 0) return 2;
    this.pendingArgs = n;
    this.argv = [];
    this.bulkLen = -1;
    return 1;
  }

  private parseBulks(): boolean {
    while (this.pendingArgs > 0) {
      if (this.bigArg !== null) {
        if (this.bigArgFill < this.bigArg.length) return false;
        const big = this.bigArg;
        if (big[big.length - 2] !== CR || big[big.length - 1] !== LF) {
          // Valkey does not check the trailing CRLF of a big arg strictly; it just skips 2 bytes.
        }
        this.argv.push((big as Latin1Buffer).latin1Slice(0, big.length - 2));
        this.bigArg = null;
        this.bigArgFill = 0;
        this.bulkLen = -1;
        this.pendingArgs--;
        continue;
      }
      const buf = this.buf;
      if (this.bulkLen === -1) {
        if (this.takeWholeBulk(buf)) {
          this.pendingArgs--;
          continue;
        }
        if (this.pos >= buf.length) return false;
        const nl = buf.indexOf(LF, this.pos);
        if (nl === -1) {
          if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) {
            throw new ProtocolError('Protocol error: too big bulk count string');
          }
          return false;
        }
        if (buf[this.pos] !== 0x24 /* '$' */) {
          throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
        }
        if (nl === this.pos || buf[nl - 1] !== CR) throw new ProtocolError('Protocol error: invalid bulk length');
        const len = parseHeaderInt(buf, this.pos + 1, nl - 1);
        if (len === null || len < 0 || len > this.limits.maxBulkLen) {
          throw new ProtocolError('Protocol error: invalid bulk length');
        }
        if (len > 16384 && this.limits.authRequired) {
          throw new ProtocolError('Protocol error: unauthenticated bulk length');
        }
        this.pos = nl + 1;
        this.bulkLen = len;
        if (len >= BIG_ARG && buf.length - this.pos < len + 2) {
          // Not all here yet: move what we have into a buffer of the final size.
          const big = Buffer.allocUnsafe(len + 2);
          const have = buf.length - this.pos;
          buf.copy(big, 0, this.pos, buf.length);
          this.bigArg = big;
          this.bigArgFill = have;
          this.buf = EMPTY;
          this.pos = 0;
          continue;
        }
      }
      const len = this.bulkLen;
      if (buf.length - this.pos < len + 2) return false;
      this.argv.push(this.argv.length === 0 ? this.commandName(buf, this.pos, len) : bytesToString(buf, this.pos, len));
      this.pos += len + 2;
      this.bulkLen = -1;
      this.pendingArgs--;
    }
    return true;
  }

  /**
   * The common case, without the general path's searches: a well-formed "$<len>\r\n<bytes>\r\n"
   * (len 1..BIG_ARG, within the limits) wholly in the buffer is taken as an argument. Returns
   * false (nothing consumed) for anything else, which the general path then handles, errors
   * included.
   */
  private takeWholeBulk(buf: Buffer): boolean {
    const end = buf.length;
    if (buf[this.pos] !== 0x24 /* '$' */) return false;
    const len = readHeaderLength(buf, this.pos + 1, end);
    if (len < 1 || len >= BIG_ARG || len > this.limits.maxBulkLen || (len > 16384 && this.limits.authRequired)) return false;
    const data = headerEnd;
    if (end - data < len + 2) return false;
    this.argv.push(this.argv.length === 0 ? this.commandName(buf, data, len) : bytesToString(buf, data, len));
    this.pos = data + len + 2;
    return true;
  }

  /** The previous command's name; see commandName. */
  private lastName = '';

  /**
   * argv[0]: the previous command's name string again when the bytes are the same. Clients
   * mostly repeat a few commands (a pipeline often one), and handing the command lookup the very
   * same string object lets its cache answer with one pointer comparison.
   */
  private commandName(b: Buffer, s: number, n: number): string {
    const last = this.lastName;
    if (last.length === n) {
      let i = 0;
      while (i < n && b[s + i] === last.charCodeAt(i)) i++;
      if (i === n) return last;
    }
    return (this.lastName = bytesToString(b, s, n));
  }

  private parseInline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > PROTO_INLINE_MAX_SIZE) {
        throw new ProtocolError('Protocol error: too big inline request');
      }
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = (buf as Latin1Buffer).latin1Slice(this.pos, end);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    return argv;
  }
}

/**
 * The bytes [s, s + n) as a latin1 string. Short arguments (keys, small values, command names)
 * are the common case, and for them String.fromCharCode with one argument per byte is two to
 * three times faster than Buffer#latin1Slice, whose call into C++ costs more than the copy; past
 * about two dozen bytes the copy dominates and latin1Slice wins.
 */
function bytesToString(b: Buffer, s: number, n: number): string {
  return n < SHORT_STRING.length ? SHORT_STRING[n](b, s) : (b as Latin1Buffer).latin1Slice(s, s + n);
}

/** SHORT_STRING[n](b, s) is String.fromCharCode(b[s], b[s + 1], ..., b[s + n - 1]). */
const SHORT_STRING = Array.from(
  { length: 25 },
  (_, n) => new Function('b', 's', `return String.fromCharCode(${Array.from({ length: n }, (_, i) => `b[s + ${i}]`).join(', ')});`) as (b: Buffer, s: number) => string,
);

/** Where the last header readHeaderLength accepted ends (the position after its CRLF). */
let headerEnd = 0;

/**
 * The decimal of a `*`/`$` header whose digits start at p, when it is plainly well formed: 1 to 9
 * digits, no sign, no leading zero, then CRLF within `end` (headerEnd is then set past it).
 * Otherwise -1 (the general path then decides, errors included).
 */
function readHeaderLength(buf: Buffer, p: number, end: number): number {
  if (buf[p] === 48 /* '0' */) return -1;
  let n = 0;
  let digits = 0;
  for (; p < end; p++, digits++) {
    const d = buf[p] - 48;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
  }
  if (digits > 0 && digits <= 9 && p + 1 < end && buf[p] === CR && buf[p + 1] === LF) {
    headerEnd = p + 2;
    return n;
  }
  return -1;
}

/** Parse a signed decimal between [start, end) the way string2ll does; null if invalid. */
function parseHeaderInt(buf: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  if (end - start === 1 && buf[start] === 48) return 0;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  // string2ll: no leading zero ("0" alone was taken above; "-0" and "01" are invalid)
  if (buf[i] === 48) return null;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER) return neg ? -INT_MAX : INT_MAX + 1;
  return neg ? -n : n;
}

function isHexDigit(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/**
 * Split a line into arguments with Valkey's sdssplitargs rules: spaces separate, "double quotes"
 * with \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' with only \' escaped. A closing
 * quote must be followed by a space or the end. Returns null on unbalanced quotes.
 * Shared by the inline protocol and the config file reader.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inq = false;
    let insq = false;
    let cur = '';
    let done = false;
    while (!done) {
      if (inq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n + 0 && isHexDigit(line[i + 2] ?? '') && isHexDigit(line[i + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(line.substr(i + 2, 2), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) { done = true; break; }
        const c = line[i];
        const cc = line.charCodeAt(i);
        if (isSpace(cc)) {
          done = true;
        } else if (c === '"') {
          inq = true;
        } else if (c === "'") {
          insq = true;
        } else {
          cur += c;
        }
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}
