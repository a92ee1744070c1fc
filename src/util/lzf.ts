// LZF compression as used by RDB files and DUMP payloads (string encoding RDB_ENC_LZF).
//
// The compressor writes byte for byte what liblzf (as built into Valkey and Redis: HLOG 16,
// VERY_FAST, 3-byte hash, 8 KiB window) writes: payloads must be identical to Valkey's, and
// whether a string is stored compressed at all depends on liblzf's exact output-size checks.
// The points where liblzf differs from a textbook LZ77 and that decide the output:
//   - the hash of the 3 bytes at ip is ((h >> 8) - h * 5) & 0xffff over a 32-bit rolling value;
//   - position 0 is never used as a match source;
//   - the match scan does 16 unrolled steps when at least 17 more bytes may match;
//   - after a match only its last two positions are hashed;
//   - it gives up as soon as the output might not fit in `outLen` (conservative checks).
//
// Format: chunks, each starting with a control byte c: c < 32 is a literal run of c+1 bytes;
// c >= 32 is a back reference of length (c >> 5, plus the next byte if 7) + 2 at offset
// ((c & 31) << 8 | next byte) + 1 (the source may overlap the bytes being written).

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// Hash table of positions. Entries written by an earlier call are told apart by a stamp, so the
// table never needs clearing (liblzf's own table starts out empty too, as far as output goes).
const positions = new Int32Array(HSIZE);
const stamps = new Uint32Array(HSIZE);
let stamp = 0;

function slot(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/** Position stored for hash slot `s` in this call, or -1. */
function lookup(s: number): number {
  return stamps[s] === stamp ? positions[s] : -1;
}

function remember(s: number, pos: number): void {
  stamps[s] = stamp;
  positions[s] = pos;
}

/**
 * lzf_compress(input, outLen): the compressed bytes, or null when they would not fit
 * in `outLen` bytes (Valkey passes the input length minus 4: compression must save 4 bytes).
 */
export function lzfCompress(input: Uint8Array, outLen: number = input.length - 1): Buffer | null {
  const inEnd = input.length;
  if (inEnd < 3 || outLen <= 0) return null;
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    stamps.fill(0);
    stamp = 1;
  }
  const out = Buffer.allocUnsafe(outLen + 4);
  let ip = 0;
  let op = 1; // out[0] is the control byte of the first literal run
  let lit = 0;
  let hval = ((input[0] << 8) | input[1]) >>> 0;
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const s = slot(hval);
    const ref = lookup(s);
    remember(s, ip);
    const off = ip - ref - 1;
    if (ref > 0 && off < MAX_OFF && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // ... or take back its unused control byte
      const len = matchLength(input, ref, ip, inEnd) - 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // control byte of the next literal run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // Hash the last two positions of the match.
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      for (let k = 0; k < 2; k++, ip++) {
        hval = ((hval << 8) | input[ip + 2]) >>> 0;
        remember(slot(hval), ip);
      }
    } else {
      if (op >= outLen) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return null;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return Buffer.from(out.subarray(0, op));
}

/** Length of the match at `ip` against `ref` (at least 3 bytes are known to match). */
function matchLength(input: Uint8Array, ref: number, ip: number, inEnd: number): number {
  let len = 2;
  const maxlen = Math.min(inEnd - ip - len, MAX_REF);
  if (maxlen > 16) {
    for (let k = 0; k < 16; k++) {
      len++;
      if (input[ref + len] !== input[ip + len]) return len;
    }
  }
  do len++;
  while (len < maxlen && input[ref + len] === input[ip + len]);
  return len;
}

/**
 * Decompress LZF data into exactly `expectedLen` bytes. Returns null when the
 * input is corrupt (truncated chunk, back reference before the start of the
 * output, output overflowing expectedLen) or decompresses to fewer bytes, as
 * Valkey treats all of those as a load error. Never throws on bad input and
 * never reads or writes out of bounds.
 */
export function lzfDecompress(input: Uint8Array, expectedLen: number): Buffer | null {
  if (!(expectedLen >= 0) || expectedLen !== Math.floor(expectedLen)) return null;
  const n = input.length;
  if (n === 0) return expectedLen === 0 ? Buffer.alloc(0) : null;
  const out = Buffer.allocUnsafe(expectedLen);
  let ip = 0;
  let op = 0;
  while (ip < n) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > expectedLen) return null;
      if (ip + len > n) return null;
      for (let k = 0; k < len; k++) out[op + k] = input[ip + k]!;
      op += len;
      ip += len;
    } else {
      let len = ctrl >> 5;
      if (ip >= n) return null;
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= n) return null;
      }
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++]!;
      len += 2;
      if (op + len > expectedLen) return null;
      if (ref < 0) return null;
      // Byte by byte: the source may overlap the bytes being written (runs),
      // and for these short copies a loop beats Buffer#copy anyway.
      for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
    }
  }
  if (op !== expectedLen) return null;
  return out;
}

/** liblzf-style names. */
export const lzf_compress = lzfCompress;
export const lzf_decompress = lzfDecompress;
