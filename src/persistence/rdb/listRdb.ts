// Lists in RDB form (DUMP payloads and RDB files), as Valkey 9.0's rdbSaveObject / rdbLoadObject.
//
// Saved as RDB_TYPE_LIST_QUICKLIST_2 (18): node count, then per node its container (2 = packed:
// a listpack of elements; 1 = plain: one large element stored as is) and the node's bytes as
// one RDB string. A listpack-encoded list is saved as a quicklist of one packed node. The node
// boundaries are Valkey's own (types/list.ts mirrors them), so the bytes are identical.
//
// Loaded as well: RDB_TYPE_LIST (1, element strings), RDB_TYPE_LIST_ZIPLIST (10, one ziplist)
// and RDB_TYPE_LIST_QUICKLIST (14, nodes as ziplists). Nodes keep their boundaries, empty
// nodes are skipped, an empty list is an empty key (null), and then the encoding is chosen by
// the current list-max-listpack-size (LIST_CONV_AUTO). Corrupt input throws RdbFormatError.

import { ListObject, type ListNodeData } from '../../types/list';
import { DEFAULT_LIMITS, type TypeLimits } from '../../types/limits';
import { RdbFormatError, type RdbReader, type RdbWriter } from './io';
import { registerRdbLoader, registerRdbSaver, type RdbLoadOptions } from './valueEncoding';
import { RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_LIST_ZIPLIST } from './constants';
import { decodeListpack, encodeListpack } from './listpack';
import { decodeZiplist } from './ziplist';

/** quicklist node containers */
const CONTAINER_PLAIN = 1;
const CONTAINER_PACKED = 2;
/** Valkey refuses listpacks past 1 GB (lpSafeToAdd). */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

export function saveList(list: ListObject, out: RdbWriter): void {
  const nodes = list.exportNodes();
  out.byte(RDB_TYPE_LIST_QUICKLIST_2);
  out.len(nodes.length);
  for (const node of nodes) {
    if (node.plain) {
      out.len(CONTAINER_PLAIN);
      out.string(node.items[0]);
    } else {
      out.len(CONTAINER_PACKED);
      out.string(encodeListpack(node.items));
    }
  }
}

export function loadList(type: number, r: RdbReader, opts: RdbLoadOptions): ListObject | null {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  switch (type) {
    case RDB_TYPE_LIST:
      return loadElements(r, limits);
    case RDB_TYPE_LIST_ZIPLIST: {
      const items = decodeZiplist(r.stringBuffer());
      return items.length === 0 ? null : ListObject.from(items, limits);
    }
    default:
      return loadNodes(type, r, limits);
  }
}

/** RDB_TYPE_LIST: a count then each element, pushed to the tail of a quicklist. */
function loadElements(r: RdbReader, limits: TypeLimits): ListObject | null {
  const len = r.len();
  if (len === 0) return null;
  const items: string[] = [];
  for (let i = 0; i < len; i++) items.push(r.string());
  return ListObject.from(items, limits);
}

/** RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and RDB_TYPE_LIST_QUICKLIST_2 (listpack/plain nodes). */
function loadNodes(type: number, r: RdbReader, limits: TypeLimits): ListObject | null {
  const count = r.len();
  if (count === 0) return null;
  const nodes: ListNodeData[] = [];
  for (let i = 0; i < count; i++) {
    let container = CONTAINER_PACKED;
    if (type === RDB_TYPE_LIST_QUICKLIST_2) {
      container = r.len();
      if (container !== CONTAINER_PACKED && container !== CONTAINER_PLAIN) {
        throw new RdbFormatError('Quicklist integrity check failed.');
      }
    }
    const data = r.stringBuffer();
    if (data.length === 0) throw new RdbFormatError('empty quicklist node');
    if (container === CONTAINER_PLAIN) {
      nodes.push({ items: [data.latin1Slice(0, data.length)], plain: true });
      continue;
    }
    if (data.length > LISTPACK_MAX_SAFETY_SIZE) throw new RdbFormatError('quicklist node too large');
    const items = type === RDB_TYPE_LIST_QUICKLIST_2 ? decodeListpack(data) : decodeZiplist(data);
    if (items.length > 0) nodes.push({ items, plain: false });
  }
  if (nodes.length === 0) return null;
  return ListObject.fromNodes(nodes, limits);
}

registerRdbSaver('list', (value, out) => saveList(value as ListObject, out));
registerRdbLoader([RDB_TYPE_LIST, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_LIST_QUICKLIST_2], loadList);
