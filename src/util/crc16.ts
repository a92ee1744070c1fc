/**
 * CRC16 as used by Valkey Cluster for key hash slots: CRC-16/XMODEM
 * (polynomial 0x1021, initial value 0, no reflection, no final xor).
 * crc16("123456789") === 0x31c3.
 */

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[i] = c;
}

/** CRC16 of bytes [start, end) of a latin1 byte string. */
export function crc16(s: string, start = 0, end = s.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ s.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

/** CRC16 of bytes [start, end) of a buffer. */
export function crc16Buffer(b: Uint8Array, start = 0, end = b.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ b[i]!) & 0xff]!;
  }
  return crc;
}

export const CLUSTER_SLOTS = 16384;

/**
 * The hash slot of a key (latin1 byte string), with hash tags: if the key
 * holds a '{' and, after the first '{', a '}' with at least one byte between
 * them, only the bytes between the first '{' and the first '}' after it are
 * hashed. Otherwise the whole key is hashed ("{}" and "{" leave it whole).
 */
export function keyHashSlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & 0x3fff;
  }
  return crc16(key) & 0x3fff;
}

/** keyHashSlot for a key held in a buffer. */
export function keyHashSlotBuffer(key: Uint8Array, start = 0, end = key.length): number {
  let open = -1;
  for (let i = start; i < end; i++) {
    if (key[i] === 0x7b) {
      open = i;
      break;
    }
  }
  if (open >= 0) {
    for (let i = open + 1; i < end; i++) {
      if (key[i] === 0x7d) {
        if (i > open + 1) return crc16Buffer(key, open + 1, i) & 0x3fff;
        break;
      }
    }
  }
  return crc16Buffer(key, start, end) & 0x3fff;
}
