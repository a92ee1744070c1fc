// Node's Buffer has fast latin1 helpers that @types/node does not declare. Fjord holds bytes as
// latin1 strings (one char = one byte), so these are the conversions on the hot path.
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
export {};
