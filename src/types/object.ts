// The common shape of every non-string value. Each type (list, hash, set, zset, stream)
// implements it in its own file and knows nothing of RESP or clients.

export interface DataObject {
  /** Valkey's TYPE name */
  readonly type: 'list' | 'set' | 'zset' | 'hash' | 'stream';
  /** Valkey's OBJECT ENCODING name (listpack, quicklist, intset, hashtable, skiplist, stream) */
  encoding(): string;
  /** A deep copy (COPY command). */
  clone(): DataObject;
}
