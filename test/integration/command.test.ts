// COMMAND: COUNT, LIST, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP through real clients and raw
// RESP2/RESP3, the legacy key range and key-spec resolution of the command table, and a comparison
// of COMMAND INFO / DOCS with the reference redis-server 7.0 for the commands both have.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startWithClients, stopWithClients, startReference, referenceAvailable, RawClient, type RunningServer, type ReferenceServer, type Tagged } from '../helpers';
import { Command, ks, type CommandDef, type KeySpec } from '../../src/commands/table';

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;

before(async () => {
  ({ srv, io, raw, raw3 } = await startWithClients());
});

after(() => stopWithClients({ srv, io, raw, raw3 }));

/** RESP3 tagged values (set/map) to plain JS: sets -> arrays, maps -> objects. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object' && 'type' in v && 'value' in v) {
    const t = v as Tagged;
    if (t.type === 'map') {
      const items = t.value as unknown[];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < items.length; i += 2) o[String(items[i])] = plain(items[i + 1]);
      return o;
    }
    if (t.type === 'set' || t.type === 'push') return (t.value as unknown[]).map(plain);
    return t.value;
  }
  return v;
}

const GET_INFO = [
  'get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast'], [],
  [['flags', ['RO', 'access'], 'begin_search', ['type', 'index', 'spec', ['index', 1]], 'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]]],
  [],
];

describe('COMMAND, COUNT and LIST', () => {
  it('COUNT is the number of top-level commands that bare COMMAND describes', async () => {
    const count = (await io.call('COMMAND', 'COUNT')) as number;
    const all = (await io.call('COMMAND')) as unknown[][];
    assert.equal(all.length, count);
    assert.equal(count, srv.server.commands.size);
    for (const entry of all) assert.equal(entry.length, 10);
    const names = all.map((e) => e[0]);
    for (const n of ['get', 'command', 'debug', 'slowlog', 'commandlog', 'latency', 'memory']) assert.ok(names.includes(n), n);
  });

  it('LIST names every command and subcommand, filtered by pattern, ACL category or module', async () => {
    const all = (await io.call('COMMAND', 'LIST')) as string[];
    assert.ok(all.includes('get') && all.includes('command|info') && all.includes('latency|histogram'));
    const slow = (await io.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'SLOWLOG|*')) as string[];
    assert.deepEqual(slow.sort(), ['slowlog|get', 'slowlog|help', 'slowlog|len', 'slowlog|reset']);
    const conn = (await io.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'connection')) as string[];
    assert.ok(conn.includes('ping') && conn.includes('command|count'));
    assert.ok(!conn.includes('get'));
    assert.deepEqual(await io.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuchcategory'), []);
    assert.deepEqual(await io.call('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'json'), []);
    assert.deepEqual(await raw.call('COMMAND', 'LIST', 'FILTERBY', 'COLOR', 'x'), { error: 'ERR syntax error' });
    assert.deepEqual(await raw.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN'), { error: 'ERR syntax error' });
    assert.deepEqual(await raw.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'a', 'b'), { error: 'ERR syntax error' });
  });

  it('works through node-redis too', async () => {
    const nr = createClient({ socket: { port: srv.port } });
    await nr.connect();
    try {
      assert.equal(await nr.sendCommand(['COMMAND', 'COUNT']), srv.server.commands.size);
      const info = (await nr.sendCommand(['COMMAND', 'INFO', 'get', 'nosuch'])) as unknown[][];
      assert.equal(info.length, 2);
      assert.deepEqual(info[0].slice(0, 6), ['get', 2, ['readonly', 'fast'], 1, 1, 1]);
      assert.equal(info[1], null);
    } finally {
      await nr.quit();
    }
  });

  it('rejects unknown subcommands and wrong arity like Valkey', async () => {
    assert.deepEqual(await raw.call('COMMAND', 'FOO'), { error: "ERR unknown subcommand 'FOO'. Try COMMAND HELP." });
    assert.deepEqual(await raw.call('COMMAND', 'COUNT', 'x'), { error: "ERR wrong number of arguments for 'command|count' command" });
    const help = (await raw.call('COMMAND', 'HELP')) as string[];
    assert.equal(help[0], 'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.ok(help.includes('GETKEYSANDFLAGS <full-command>'));
    assert.equal(help[help.length - 2], 'HELP');
  });
});

describe('COMMAND INFO', () => {
  it('has Valkey\'s layout in RESP2 (ioredis)', async () => {
    const info = (await io.call('COMMAND', 'INFO', 'get')) as unknown[];
    assert.deepEqual(info, [GET_INFO]);
  });

  it('uses sets and maps in RESP3', async () => {
    const [entry] = (await raw3.call('COMMAND', 'INFO', 'get')) as unknown[][];
    assert.deepEqual(entry[2], { type: 'set', value: ['readonly', 'fast'] });
    assert.deepEqual(entry[6], { type: 'set', value: ['@read', '@string', '@fast'] });
    assert.deepEqual(entry[7], { type: 'set', value: [] });
    const specs = entry[8] as Tagged;
    assert.equal(specs.type, 'set');
    const spec = (specs.value as Tagged[])[0];
    assert.equal(spec.type, 'map');
    assert.deepEqual(plain(spec), { flags: ['RO', 'access'], begin_search: { type: 'index', spec: { index: 1 } }, find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } } });
    assert.deepEqual(entry[9], { type: 'set', value: [] });
  });

  it('gives null for unknown names and describes subcommands by full name', async () => {
    assert.deepEqual(await raw.call('COMMAND', 'INFO', 'nosuch', 'get|x', 'slowlog|get'), [
      null,
      null,
      ['slowlog|get', -2, ['admin', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous'], ['request_policy:all_nodes', 'nondeterministic_output'], [], []],
    ]);
    const [slowlog] = (await io.call('COMMAND', 'INFO', 'SLOWLOG')) as unknown[][];
    const subs = (slowlog[9] as unknown[][]).map((s) => s[0]).sort();
    assert.deepEqual(subs, ['slowlog|get', 'slowlog|help', 'slowlog|len', 'slowlog|reset']);
    const [usage] = (await io.call('COMMAND', 'INFO', 'memory|usage')) as unknown[][];
    assert.deepEqual(usage.slice(0, 7), ['memory|usage', -3, ['readonly'], 2, 2, 1, ['@read', '@slow']]);
  });

  it('with no name describes every command', async () => {
    const all = (await io.call('COMMAND', 'INFO')) as unknown[];
    assert.equal(all.length, srv.server.commands.size);
  });
});

describe('COMMAND DOCS', () => {
  it('is a map of documentation per command (RESP3), flattened in RESP2', async () => {
    const docs = plain(await raw3.call('COMMAND', 'DOCS', 'memory', 'nosuch')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(docs), ['memory']);
    const mem = docs.memory;
    assert.equal(mem.group, 'server');
    assert.equal(mem.since, '4.0.0');
    const usage = (mem.subcommands as Record<string, Record<string, unknown>>)['memory|usage'];
    assert.deepEqual(usage.arguments, [
      { name: 'key', type: 'key', display_text: 'key', key_spec_index: 0 },
      { name: 'count', type: 'integer', display_text: 'count', token: 'SAMPLES', flags: ['optional'] },
    ]);
    const flat = (await io.call('COMMAND', 'DOCS', 'debug')) as unknown[];
    assert.equal(flat[0], 'debug');
    const fields = flat[1] as unknown[];
    const at = fields.indexOf('doc_flags');
    assert.ok(at > 0);
    assert.deepEqual(fields[at + 1], ['syscmd']);
  });

  it('shows history, nested arguments and their flags', async () => {
    const docs = plain(await raw3.call('COMMAND', 'DOCS', 'command|list', 'command|info')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(docs['command|info'].history, [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']]);
    assert.deepEqual(docs['command|list'].arguments, [
      {
        name: 'filterby', type: 'oneof', token: 'FILTERBY', flags: ['optional'],
        arguments: [
          { name: 'module-name', type: 'string', display_text: 'module-name', token: 'MODULE' },
          { name: 'category', type: 'string', display_text: 'category', token: 'ACLCAT' },
          { name: 'pattern', type: 'pattern', display_text: 'pattern', token: 'PATTERN' },
        ],
      },
    ]);
  });

  it('with no name documents every command', async () => {
    const docs = plain(await raw3.call('COMMAND', 'DOCS')) as Record<string, unknown>;
    assert.equal(Object.keys(docs).length, srv.server.commands.size);
  });
});

describe('COMMAND GETKEYS and GETKEYSANDFLAGS', () => {
  it('extracts keys, with their flags', async () => {
    assert.deepEqual(await io.call('COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2'), ['a', 'b']);
    assert.deepEqual(await io.call('COMMAND', 'GETKEYS', 'get', 'k'), ['k']);
    assert.deepEqual(await io.call('COMMAND', 'GETKEYSANDFLAGS', 'MSET', 'a', '1', 'b', '2'), [['a', ['OW', 'update']], ['b', ['OW', 'update']]]);
    assert.deepEqual(await io.call('COMMAND', 'GETKEYS', 'MEMORY', 'USAGE', 'mykey'), ['mykey']);
    assert.deepEqual(await io.call('COMMAND', 'GETKEYSANDFLAGS', 'MEMORY', 'USAGE', 'mykey'), [['mykey', ['RO']]]);
    const r3 = (await raw3.call('COMMAND', 'GETKEYSANDFLAGS', 'get', 'k')) as unknown[][];
    assert.deepEqual(r3[0][1], { type: 'set', value: ['RO', 'access'] });
  });

  it('replies Valkey\'s errors', async () => {
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'nosuch', 'a'), { error: 'ERR Invalid command specified' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'slowlog', 'nosuch'), { error: 'ERR Invalid command specified' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'ping', 'x'), { error: 'ERR The command has no key arguments' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'slowlog'), { error: 'ERR The command has no key arguments' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'get'), { error: 'ERR Invalid number of arguments specified for command' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'MSET', 'a'), { error: 'ERR Invalid number of arguments specified for command' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS'), { error: "ERR wrong number of arguments for 'command|getkeys' command" });
  });
});

describe('COMMAND GETKEYS on keys that cannot be found', () => {
  // ZUNIONSTORE-like commands (a numkeys argument), registered for this test only.
  before(() => {
    const base = { arity: -4, acl: [], summary: 'test', since: '1.0.0', group: 'generic', handler: () => {} };
    srv.server.registerCommands([
      { ...base, name: 'fjtest-zunion', flags: ['write'], keySpecs: [ks.one(1, 'OW', 'UPDATE'), ks.numkeys(2, 'RO', 'ACCESS')] },
      { ...base, name: 'fjtest-eval', arity: -3, flags: ['no_mandatory_keys'], keySpecs: [ks.numkeys(2, 'RW', 'ACCESS')] },
    ]);
  });
  after(() => {
    srv.server.commands.delete('fjtest-zunion');
    srv.server.commands.delete('fjtest-eval');
  });

  it('answers Invalid arguments, or nothing for commands whose keys are optional', async () => {
    assert.deepEqual(await io.call('COMMAND', 'GETKEYS', 'fjtest-zunion', 'd', '2', 'a', 'b'), ['d', 'a', 'b']);
    assert.deepEqual(await io.call('COMMAND', 'GETKEYSANDFLAGS', 'fjtest-zunion', 'd', '1', 'a'), [['d', ['OW', 'update']], ['a', ['RO', 'access']]]);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'fjtest-zunion', 'd', 'x', 'a'), { error: 'ERR Invalid arguments specified for command' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'fjtest-zunion', 'd', '5', 'a'), { error: 'ERR Invalid arguments specified for command' });
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'fjtest-eval', 'script', '0'), []);
    assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', 'fjtest-eval', 'script', '1', 'k'), ['k']);
    const [info] = (await io.call('COMMAND', 'INFO', 'fjtest-zunion')) as unknown[][];
    assert.deepEqual(info.slice(2, 6), [['write', 'movablekeys'], 1, 1, 1]);
  });
});

describe('key specs: legacy range, movablekeys and key extraction', () => {
  const def = (keySpecs: KeySpec[], extra: Partial<CommandDef> = {}): CommandDef => ({
    name: 'x', arity: -2, flags: [], acl: [], keySpecs, summary: '', since: '1.0.0', group: 'generic', ...extra,
  });
  const keynum = (pos: number, ...flags: string[]): KeySpec => ks.numkeys(pos, ...flags);

  it('derives first/last/step as Valkey does', () => {
    const mset = new Command(def([ks.rest(1, 2, 'OW', 'UPDATE')]));
    assert.deepEqual([mset.firstKey, mset.lastKey, mset.keyStep, mset.movableKeys], [1, -1, 2, false]);
    // ZUNIONSTORE: destination range + keynum sources
    const zunion = new Command(def([ks.one(1, 'OW', 'UPDATE'), keynum(2, 'RO', 'ACCESS')]));
    assert.deepEqual([zunion.firstKey, zunion.lastKey, zunion.keyStep, zunion.movableKeys], [1, 1, 1, true]);
    // SMOVE-like: two consecutive single keys are glued into 1..2
    const smove = new Command(def([ks.one(1, 'RW'), ks.one(2, 'RW')]));
    assert.deepEqual([smove.firstKey, smove.lastKey, smove.keyStep, smove.movableKeys], [1, 2, 1, false]);
    // BLMOVE-like (keys 1, 2 and a timeout): glued; RENAME-like gap (1 and 3) is movable
    const gap = new Command(def([ks.one(1, 'RW'), ks.one(3, 'RW')]));
    assert.deepEqual([gap.firstKey, gap.lastKey, gap.keyStep, gap.movableKeys], [1, 1, 1, true]);
    // only keyword specs: no legacy range at all
    const kw = new Command(def([ks.keyword('STREAMS', 1, 'RO')]));
    assert.deepEqual([kw.firstKey, kw.lastKey, kw.keyStep, kw.movableKeys], [0, 0, 0, true]);
    // one incomplete range spec is used but movable
    const inc = new Command(def([ks.one(1, 'RW', 'INCOMPLETE')]));
    assert.deepEqual([inc.firstKey, inc.lastKey, inc.keyStep, inc.movableKeys], [1, 1, 1, true]);
    // BLPOP-like: 1..-2
    const blpop = new Command(def([ks.allButLast(1, 'RW')]));
    assert.deepEqual([blpop.firstKey, blpop.lastKey, blpop.keyStep], [1, -2, 1]);
    assert.deepEqual([new Command(def([])).firstKey, new Command(def([])).movableKeys], [0, false]);
  });

  it('finds keys with keyword, keynum and limited ranges', () => {
    const zunion = new Command(def([ks.one(1, 'OW'), keynum(2, 'RO')]));
    assert.deepEqual(zunion.keyPositions(['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2']), [1, 3, 4]);
    // a numkeys of 0 cannot be resolved: no keys unless a finder exists
    assert.deepEqual(zunion.keyPositions(['zunionstore', 'd', 'x', 'a']), []);
    // XREAD-like: keys after STREAMS, half of the rest
    const xread: KeySpec = { flags: ['RO'], bs: { keyword: 'STREAMS', startfrom: 1 }, fk: { range: { lastkey: -1, step: 1, limit: 2 } } };
    const xr = new Command(def([xread]));
    assert.deepEqual(xr.keyPositions(['xread', 'COUNT', '2', 'streams', 's1', 's2', '0', '0']), [4, 5]);
    assert.deepEqual(xr.keyPositions(['xread', 'COUNT', '2']), []);
    // a keyword searched from the end (MIGRATE's KEYS)
    const back = new Command(def([{ flags: ['RW'], bs: { keyword: 'KEYS', startfrom: -2 }, fk: { range: { lastkey: -1, step: 1, limit: 0 } } }]));
    assert.deepEqual(back.keyPositions(['migrate', 'h', 'p', '', '0', '5', 'KEYS', 'a', 'b']), [7, 8]);
    // NOT_KEY specs are skipped
    const notKey = new Command(def([ks.one(1, 'NOT_KEY'), ks.one(2, 'RO')]));
    assert.deepEqual(notKey.keyPositions(['x', 'a', 'b']), [2]);
  });

  it('prefers the command\'s own finder for VARIABLE_FLAGS specs', () => {
    const set = new Command(def([ks.one(1, 'RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS')], {
      getKeysAndFlags: (argv) => [[1, argv.some((a) => a.toLowerCase() === 'get') ? ['RW', 'ACCESS', 'UPDATE'] : ['OW', 'UPDATE']]],
    }));
    assert.deepEqual(set.keysWithFlags(['set', 'k', 'v']), [[1, ['OW', 'UPDATE']]]);
    assert.deepEqual(set.keysWithFlags(['set', 'k', 'v', 'GET']), [[1, ['RW', 'ACCESS', 'UPDATE']]]);
    // without a finder the specs still give the positions
    const bare = new Command(def([ks.one(1, 'RW', 'VARIABLE_FLAGS')]));
    assert.deepEqual(bare.keyPositions(['set', 'k', 'v']), [1]);
  });

  it('derives ACL categories: @slow unless @fast, declared or implied', () => {
    const fastDeclared = new Command(def([], { acl: ['fast', 'connection'] }));
    assert.deepEqual(fastDeclared.aclCategoryNames, ['fast', 'connection']);
    const admin = new Command(def([], { flags: ['admin'] }));
    assert.deepEqual(admin.aclCategoryNames, ['admin', 'slow', 'dangerous']);
  });
});

describe('compared with the reference redis-server 7.0', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  let ref3: RawClient;
  before(async () => {
    ref = await startReference();
    ref3 = await RawClient.connect(ref.port);
    await ref3.call('HELLO', '3');
  });
  after(async () => {
    ref3.close();
    await ref.stop();
  });

  /** Where Valkey 9.0 deliberately differs from Redis 7.0. */
  const VALKEY_DIFFERS = new Set(['command|getkeys', 'command|getkeysandflags']);

  /** Valkey's COMMAND INFO schema: 10 fields of these RESP3 types, key specs as maps of maps. */
  function assertInfoShape(entry: unknown[], where: string): void {
    assert.equal(entry.length, 10, where);
    assert.equal(typeof entry[0], 'string', where);
    for (const i of [1, 3, 4, 5]) assert.equal(typeof entry[i], 'number', `${where} field ${i}`);
    for (const i of [2, 6, 7, 8]) assert.equal((entry[i] as Tagged).type, 'set', `${where} field ${i}`);
    for (const cat of (entry[6] as Tagged).value as string[]) assert.match(cat, /^@[a-z]+$/, where);
    for (const spec of (entry[8] as Tagged).value as Tagged[]) {
      assert.equal(spec.type, 'map', where);
      const m = plain(spec) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(m).filter((k) => k !== 'notes'), ['flags', 'begin_search', 'find_keys'], where);
      assert.deepEqual(Object.keys(m.begin_search), ['type', 'spec'], where);
      assert.deepEqual(Object.keys(m.find_keys), ['type', 'spec'], where);
      const bsKeys: Record<string, string[]> = { index: ['index'], keyword: ['keyword', 'startfrom'], unknown: [] };
      const fkKeys: Record<string, string[]> = { range: ['lastkey', 'keystep', 'limit'], keynum: ['keynumidx', 'firstkey', 'keystep'], unknown: [] };
      assert.deepEqual(Object.keys(m.begin_search.spec as object), bsKeys[m.begin_search.type as string], where);
      assert.deepEqual(Object.keys(m.find_keys.spec as object), fkKeys[m.find_keys.type as string], where);
    }
    const subs = entry[9] as Tagged | unknown[][];
    if (!Array.isArray(subs)) assert.deepEqual(subs, { type: 'set', value: [] }, where);
    else for (const sub of subs) assertInfoShape(sub, `${where} > ${sub[0]}`);
  }

  it('COMMAND INFO has the same structure for every command both have', async () => {
    const names = (await raw3.call('COMMAND', 'LIST')) as string[];
    let compared = 0;
    for (const name of names) {
      const [theirs] = (await ref3.call('COMMAND', 'INFO', name)) as unknown[][];
      if (theirs === null) continue;
      const [ours] = (await raw3.call('COMMAND', 'INFO', name)) as unknown[][];
      assertInfoShape(theirs, `reference ${name}`);
      assertInfoShape(ours, `fjord ${name}`);
      compared++;
    }
    assert.ok(compared > 30, `compared ${compared} commands`);
  });

  it('COMMAND INFO is identical for the introspection commands and the basic string commands', async () => {
    const names = (await raw3.call('COMMAND', 'LIST')) as string[];
    const same = names.filter((n) => /^(command|slowlog|latency|memory|debug)(\||$)/.test(n) || ['get', 'set', 'mset', 'getrange', 'incrby'].includes(n));
    assert.ok(same.length > 25);
    for (const name of same) {
      if (VALKEY_DIFFERS.has(name)) continue;
      const [theirs] = (await ref3.call('COMMAND', 'INFO', name)) as unknown[][];
      const [ours] = (await raw3.call('COMMAND', 'INFO', name)) as unknown[][];
      // subcommands come in hash order: compare their names here (each is in `same` too)
      const subNames = (x: unknown) => (Array.isArray(x) ? (x as unknown[][]).map((s) => s[0]).sort() : []);
      assert.deepEqual(subNames(ours[9]), subNames(theirs[9]), `${name} subcommands`);
      assert.deepEqual(ours.slice(0, 9), theirs.slice(0, 9), `COMMAND INFO ${name}`);
    }
    // Valkey's GETKEYS takes the command alone (arity -3), where 7.0 needed an argument too
    const [gk] = (await raw3.call('COMMAND', 'INFO', 'command|getkeys')) as unknown[][];
    assert.equal(gk[1], -3);
  });

  it('COMMAND DOCS has the same structure for the introspection commands', async () => {
    // Summaries are our own wording; Valkey adds display_text and drops "Redis" from texts.
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (v !== null && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (!['summary', 'display_text', 'complexity'].includes(k)) o[k] = strip(x);
        return o;
      }
      return v;
    };
    for (const name of ['command', 'slowlog', 'latency', 'memory', 'debug']) {
      const ours = strip(plain(await raw3.call('COMMAND', 'DOCS', name))) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
      const theirs = strip(plain(await ref3.call('COMMAND', 'DOCS', name))) as typeof ours;
      for (const sub of VALKEY_DIFFERS) {
        // Valkey documents the arguments of GETKEYS/GETKEYSANDFLAGS, 7.0 does not
        if (ours[name].subcommands?.[sub]) delete ours[name].subcommands[sub].arguments;
      }
      assert.deepEqual(ours, theirs, `COMMAND DOCS ${name}`);
    }
  });

  it('GETKEYS agrees on the commands both have', async () => {
    const lines = [
      ['GET', 'a'], ['MSET', 'a', '1', 'b', '2'], ['LCS', 'k1', 'k2'], ['BITOP', 'AND', 'd', 'a', 'b'], ['SET', 'a', 'b', 'GET'],
      ['MEMORY', 'USAGE', 'k'], ['DEL', 'a', 'b', 'c'], ['GETEX', 'k', 'PERSIST'], ['PING', 'x'], ['nosuch', 'x'], ['GET', 'a', 'b'],
    ];
    const refRaw = await RawClient.connect(ref.port);
    try {
      for (const line of lines) {
        assert.deepEqual(await raw.call('COMMAND', 'GETKEYS', ...line), await refRaw.call('COMMAND', 'GETKEYS', ...line), line.join(' '));
      }
    } finally {
      refRaw.close();
    }
  });
});
