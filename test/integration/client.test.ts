// CLIENT: the CLIENT LIST / CLIENT INFO line field by field, the LIST and KILL filters (with
// Valkey 9.0's additions), names and library info, PAUSE, REPLY, NO-EVICT, NO-TOUCH, UNBLOCK,
// CAPA, IMPORT-SOURCE and the error replies, through raw RESP, ioredis, node-redis and redis-cli.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer } from '../helpers';

const run = promisify(execFile);

/** Valkey 9.0's CLIENT LIST / CLIENT INFO fields, in order. */
const FIELDS_90 =
  'id addr laddr fd name age idle flags capa db sub psub ssub multi watch qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp lib-name lib-ver tot-net-in tot-net-out tot-cmds';

/** "k=v k=v" -> ordered pairs (values may be empty). */
function parseLine(line: string): [string, string][] {
  return line.split(' ').map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)] as [string, string];
  });
}

function fieldsOf(line: string): Record<string, string> {
  return Object.fromEntries(parseLine(line));
}

/** CLIENT LIST text -> one record per client line. */
function listOf(text: string): Record<string, string>[] {
  assert.ok(text === '' || text.endsWith('\n'), 'every line ends with a newline');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(fieldsOf);
}

async function clientList(c: RawClient, ...args: string[]): Promise<Record<string, string>[]> {
  const r = await c.call('CLIENT', 'LIST', ...args);
  assert.equal(typeof r, 'string', `CLIENT LIST ${args.join(' ')} -> ${JSON.stringify(r)}`);
  return listOf(r as string);
}

async function myInfo(c: RawClient): Promise<Record<string, string>> {
  const r = (await c.call('CLIENT', 'INFO')) as string;
  assert.ok(r.endsWith('\n'));
  return fieldsOf(r.slice(0, -1));
}

describe('CLIENT', () => {
  let srv: RunningServer;
  let port: number;
  const open: RawClient[] = [];
  const connect = async (): Promise<RawClient> => {
    const c = await RawClient.connect(port);
    open.push(c);
    return c;
  };

  before(async () => {
    srv = await startFjord();
    port = srv.port;
  });
  after(async () => {
    for (const c of open) c.close();
    await srv.stop();
  });

  describe('INFO and LIST lines', () => {
    test('every field of Valkey 9.0, in order, with real values', async () => {
      const c = await connect();
      const id = (await c.call('CLIENT', 'ID')) as number;
      const raw = (await c.call('CLIENT', 'INFO')) as string;
      assert.ok(raw.endsWith('\n') && !raw.slice(0, -1).includes('\n'));
      const pairs = parseLine(raw.slice(0, -1));
      assert.equal(pairs.map(([k]) => k).join(' '), FIELDS_90);
      const f = Object.fromEntries(pairs);
      assert.equal(f.id, String(id));
      assert.equal(f.addr, `127.0.0.1:${c.socket.localPort}`);
      assert.equal(f.laddr, `127.0.0.1:${port}`);
      assert.match(f.fd, /^\d+$/);
      assert.equal(f.name, '');
      // whole seconds, so a second boundary may fall in between
      assert.ok(f.age === '0' || f.age === '1', `age=${f.age}`);
      assert.ok(f.idle === '0' || f.idle === '1', `idle=${f.idle}`);
      assert.equal(f.flags, 'N');
      assert.equal(f.capa, '');
      assert.equal(f.db, '0');
      for (const k of ['sub', 'psub', 'ssub', 'watch', 'multi-mem', 'oll', 'omem', 'qbuf']) assert.equal(f[k], '0', k);
      assert.equal(f.multi, '-1');
      assert.equal(f['argv-mem'], String('client'.length + 'info'.length));
      assert.equal(f.events, 'r');
      assert.equal(f.cmd, 'client|info');
      assert.equal(f.user, 'default');
      assert.equal(f.redir, '-1');
      assert.equal(f.resp, '2');
      assert.equal(f['lib-name'], '');
      assert.equal(f['lib-ver'], '');
      assert.equal(f['tot-cmds'], '1', 'CLIENT ID was the only command before');
      assert.ok(Number(f['tot-mem']) > 0);
    });

    test('tot-net-in, tot-net-out and tot-cmds count exactly', async () => {
      const c = await connect();
      const a = await myInfo(c);
      const b = await myInfo(c);
      // *2\r\n$6\r\nclient\r\n$4\r\ninfo\r\n is 26 bytes
      assert.equal(Number(b['tot-net-in']) - Number(a['tot-net-in']), 26);
      assert.equal(Number(b['tot-cmds']) - Number(a['tot-cmds']), 1);
      assert.ok(Number(b['tot-net-out']) > Number(a['tot-net-out']) + 300, 'the first CLIENT INFO reply was sent');
    });

    test('db, subscriptions, MULTI and WATCH as another client sees them', async () => {
      const watcher = await connect();
      const other = await connect();
      const otherId = (await other.call('CLIENT', 'ID')) as number;
      assert.equal(await other.call('SELECT', '3'), 'OK');
      assert.equal(await other.call('WATCH', 'k1', 'k2'), 'OK');
      assert.equal(await other.call('MULTI'), 'OK');
      assert.equal(await other.call('SET', 'k1', 'v'), 'QUEUED');
      assert.equal(await other.call('GET', 'k2'), 'QUEUED');
      let [f] = await clientList(watcher, 'ID', String(otherId));
      assert.equal(f.db, '3');
      assert.equal(f.flags, 'x');
      assert.equal(f.multi, '2');
      assert.equal(f.watch, '2');
      // each queued command: its argument bytes plus one 8-byte pointer per argument
      assert.equal(f['multi-mem'], String(3 + 2 + 1 + 8 * 3 + (3 + 2) + 8 * 2));
      assert.equal(f.cmd, 'get', 'the last command sent');
      assert.equal(f['argv-mem'], '0', 'an idle client holds no arguments');
      await other.call('EXEC');
      [f] = await clientList(watcher, 'ID', String(otherId));
      assert.equal(f.flags, 'N');
      assert.equal(f.multi, '-1');
      assert.equal(f.cmd, 'exec');
      const sub = await connect();
      const subId = (await sub.call('CLIENT', 'ID')) as number;
      await sub.call('SUBSCRIBE', 'a', 'b');
      await sub.read();
      await sub.call('PSUBSCRIBE', 'p*');
      [f] = await clientList(watcher, 'ID', String(subId));
      assert.equal(f.flags, 'P');
      assert.equal(f.sub, '2');
      assert.equal(f.psub, '1');
      assert.equal(f.cmd, 'psubscribe');
    });

    test('RESP3: CLIENT INFO and CLIENT LIST are verbatim strings, resp=3', async () => {
      const c = await connect();
      await c.call('HELLO', '3');
      const r = (await c.call('CLIENT', 'INFO')) as { type: string; value: string };
      assert.equal(r.type, 'verbatim');
      assert.ok(r.value.startsWith('txt:id='));
      assert.equal(fieldsOf(r.value.slice(4, -1)).resp, '3');
      const l = (await c.call('CLIENT', 'LIST')) as { type: string; value: string };
      assert.equal(l.type, 'verbatim');
      assert.ok(l.value.startsWith('txt:'));
    });

    test('CLIENT LIST shows every connection once, in connection order', async () => {
      const c = await connect();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await (await connect()).call('CLIENT', 'ID')) as number);
      const all = (await clientList(c)).map((f) => Number(f.id));
      assert.deepEqual(all.filter((id) => ids.includes(id)), ids);
      assert.equal(new Set(all).size, all.length);
      assert.equal(all.length, srv.server.clients.size);
    });
  });

  describe('SETNAME, GETNAME, SETINFO', () => {
    test('names: set, read, clear, invalid characters', async () => {
      const c = await connect();
      assert.equal(await c.call('CLIENT', 'GETNAME'), null);
      assert.equal(await c.call('CLIENT', 'SETNAME', 'worker-1'), 'OK');
      assert.equal(await c.call('CLIENT', 'GETNAME'), 'worker-1');
      assert.equal((await myInfo(c)).name, 'worker-1');
      for (const bad of ['a b', 'a\nb', 'caf\xe9']) {
        assert.deepEqual(await c.call('CLIENT', 'SETNAME', bad), { error: 'ERR Client names cannot contain spaces, newlines or special characters.' });
      }
      assert.equal(await c.call('CLIENT', 'GETNAME'), 'worker-1', 'a refused name changes nothing');
      assert.equal(await c.call('CLIENT', 'SETNAME', ''), 'OK');
      assert.equal(await c.call('CLIENT', 'GETNAME'), null);
    });

    test('SETINFO LIB-NAME / LIB-VER and their errors', async () => {
      const c = await connect();
      assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name', 'mylib'), 'OK');
      assert.equal(await c.call('CLIENT', 'SETINFO', 'LIB-VER', '1.2.3'), 'OK');
      let f = await myInfo(c);
      assert.equal(f['lib-name'], 'mylib');
      assert.equal(f['lib-ver'], '1.2.3');
      assert.deepEqual(await c.call('CLIENT', 'SETINFO', 'Lib-Name', 'a b'), { error: 'ERR Lib-Name cannot contain spaces, newlines or special characters.' });
      assert.deepEqual(await c.call('CLIENT', 'SETINFO', 'lib-foo', 'x'), { error: "ERR Unrecognized option 'lib-foo'" });
      assert.deepEqual(await c.call('CLIENT', 'SETINFO', 'lib-name'), { error: "ERR wrong number of arguments for 'client|setinfo' command" });
      assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-ver', ''), 'OK');
      f = await myInfo(c);
      assert.equal(f['lib-ver'], '');
      assert.equal(f['lib-name'], 'mylib');
    });

    test('node-redis announces itself with CLIENT SETINFO', async () => {
      const nr = createClient({ socket: { port, host: '127.0.0.1' } });
      await nr.connect();
      try {
        const info = await nr.clientInfo();
        assert.equal(info.libName, 'node-redis');
        assert.match(info.libVer ?? '', /^\d+\.\d+\.\d+/);
        assert.equal(info.cmd, 'client|info');
        assert.equal(info.multi, -1);
        assert.equal(await nr.clientSetName('nr'), 'OK');
        assert.equal(await nr.clientGetName(), 'nr');
        assert.equal(typeof (await nr.clientId()), 'number');
      } finally {
        nr.destroy();
      }
    });

    test('ioredis connectionName and client() calls', async () => {
      const io = new Redis(port, '127.0.0.1', { connectionName: 'io-conn', lazyConnect: true });
      await io.connect();
      try {
        assert.equal(await io.client('GETNAME'), 'io-conn');
        const line = (await io.call('CLIENT', 'LIST', 'NAME', 'io-conn')) as string;
        const recs = listOf(line);
        assert.equal(recs.length, 1);
        assert.equal(recs[0].name, 'io-conn');
        assert.equal(recs[0].cmd, 'client|list');
      } finally {
        io.disconnect();
      }
    });
  });

  describe('LIST filters', () => {
    test('TYPE, ID (several, repeated), NAME, USER, ADDR, LADDR, IP, DB, SKIPME', async () => {
      const me = await connect();
      const a = await connect();
      const b = await connect();
      const meId = String(await me.call('CLIENT', 'ID'));
      const aId = String(await a.call('CLIENT', 'ID'));
      const bId = String(await b.call('CLIENT', 'ID'));
      await a.call('CLIENT', 'SETNAME', 'filter-a');
      await b.call('SELECT', '5');
      await b.call('SUBSCRIBE', 'ch');
      const ids = (recs: Record<string, string>[]) => recs.map((r) => r.id).sort();
      assert.deepEqual(ids(await clientList(me, 'ID', aId, bId)), [aId, bId].sort());
      assert.deepEqual(ids(await clientList(me, 'ID', aId, 'ID', bId, 'TYPE', 'pubsub')), [bId]);
      assert.deepEqual(ids(await clientList(me, 'NAME', 'filter-a')), [aId]);
      assert.deepEqual(ids(await clientList(me, 'NAME', 'nobody')), []);
      assert.deepEqual(ids(await clientList(me, 'DB', '5')), [bId]);
      assert.deepEqual(ids(await clientList(me, 'ADDR', `127.0.0.1:${a.socket.localPort}`)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'LADDR', `127.0.0.1:${port}`, 'ID', aId)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'IP', '127.0.0.1', 'ID', meId, aId)), [meId, aId].sort());
      assert.deepEqual(ids(await clientList(me, 'IP', '127.0.0', 'ID', meId)), [], 'the whole address must match');
      assert.deepEqual(ids(await clientList(me, 'USER', 'default', 'ID', aId)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'SKIPME', 'yes', 'ID', meId, aId)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'SKIPME', 'no', 'ID', meId)), [meId]);
      const normal = await clientList(me, 'TYPE', 'normal');
      assert.ok(normal.every((r) => !r.flags.includes('P')));
      assert.ok(normal.some((r) => r.id === aId));
      assert.deepEqual(ids(await clientList(me, 'TYPE', 'replica')), []);
      assert.deepEqual(ids(await clientList(me, 'TYPE', 'master')), []);
      assert.deepEqual(ids(await clientList(me, 'TYPE', 'PRIMARY')), []);
    });

    test('negative filters exclude what the positive ones keep', async () => {
      const me = await connect();
      const a = await connect();
      const aId = String(await a.call('CLIENT', 'ID'));
      const meId = String(await me.call('CLIENT', 'ID'));
      await a.call('CLIENT', 'SETNAME', 'neg-a');
      const ids = (recs: Record<string, string>[]) => recs.map((r) => r.id).sort();
      assert.deepEqual(ids(await clientList(me, 'ID', meId, aId, 'NOT-NAME', 'neg-a')), [meId]);
      assert.deepEqual(ids(await clientList(me, 'ID', meId, aId, 'NOT-ID', meId)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'ID', meId, aId, 'NOT-TYPE', 'normal')), []);
      assert.deepEqual(ids(await clientList(me, 'ID', meId, aId, 'NOT-DB', '0')), []);
      assert.deepEqual(ids(await clientList(me, 'ID', meId, aId, 'NOT-FLAGS', 'P')), [meId, aId].sort());
    });

    test('FLAGS, CAPA, LIB-NAME, LIB-VER, MAXAGE, IDLE', async () => {
      const me = await connect();
      const a = await connect();
      const aId = String(await a.call('CLIENT', 'ID'));
      assert.equal(await a.call('CLIENT', 'CAPA', 'redirect', 'unknown-capa'), 'OK');
      assert.equal(await a.call('CLIENT', 'NO-EVICT', 'on'), 'OK');
      assert.equal(await a.call('CLIENT', 'SETINFO', 'LIB-NAME', 'flt'), 'OK');
      assert.equal(await a.call('CLIENT', 'SETINFO', 'LIB-VER', '9'), 'OK');
      const [f] = await clientList(me, 'ID', aId);
      assert.equal(f.capa, 'r');
      assert.equal(f.flags, 'e');
      const ids = (recs: Record<string, string>[]) => recs.map((r) => r.id);
      assert.deepEqual(ids(await clientList(me, 'CAPA', 'r')), [aId]);
      assert.deepEqual(ids(await clientList(me, 'FLAGS', 'e')), [aId]);
      assert.ok(!ids(await clientList(me, 'FLAGS', 'N')).includes(aId));
      assert.deepEqual(ids(await clientList(me, 'LIB-NAME', 'flt', 'LIB-VER', '9')), [aId]);
      assert.deepEqual(ids(await clientList(me, 'LIB-NAME', 'flt', 'LIB-VER', '8')), []);
      assert.deepEqual(ids(await clientList(me, 'MAXAGE', '1000', 'ID', aId)), [], 'a fresh client is younger');
      assert.deepEqual(ids(await clientList(me, 'IDLE', '1000', 'ID', aId)), []);
      await sleep(1100);
      assert.deepEqual(ids(await clientList(me, 'IDLE', '1', 'ID', aId)), [aId]);
      assert.deepEqual(ids(await clientList(me, 'MAXAGE', '1', 'ID', aId)), [aId]);
    });

    test('errors, as Valkey words them', async () => {
      const c = await connect();
      const cases: [string[], string][] = [
        [['x'], 'ERR syntax error'],
        [['ID', '10', 'wrong_arg'], 'ERR syntax error'],
        [['ID', 'str'], 'ERR syntax error'],
        [['ID', '-1'], 'ERR client-id should be greater than 0'],
        [['ID', '0'], 'ERR client-id should be greater than 0'],
        [['NOT-ID', '0'], 'ERR client-id should be greater than 0'],
        [['TYPE', 'wrong_type'], "ERR Unknown client type 'wrong_type'"],
        [['NOT-TYPE', 'x'], "ERR Unknown client type 'x'"],
        [['USER', 'wrong_user'], "ERR No such user 'wrong_user'"],
        [['SKIPME', 'yes_or_no'], 'ERR syntax error'],
        [['MAXAGE', 'str'], 'ERR maxage is not an integer or out of range'],
        [['MAXAGE', '9999999999999999999'], 'ERR maxage is not an integer or out of range'],
        [['MAXAGE', '-1'], 'ERR maxage should be greater than 0'],
        [['IDLE', '0'], 'ERR idle should be greater than 0'],
        [['FLAGS', 'Q'], 'ERR Unknown flags found in the provided filter: Q'],
        [['FLAGS', 'NZ'], 'ERR Unknown flags found in the provided filter: NZ'],
        [['NOT-FLAGS', 'Z'], 'ERR Unknown flags found in the NOT-FLAGS filter: Z'],
        [['CAPA', 'x'], 'ERR Unknown capa found in the provided filter: x'],
        [['NOT-CAPA', 'x'], 'ERR Unknown capa found in the NOT-CAPA filter: x'],
        [['DB', 'x'], 'ERR DB is not an integer or out of range'],
        [['DB', '16'], 'ERR DB number should be between 0 and 15'],
        [['NOT-DB', '-1'], 'ERR NOT-DB number should be between 0 and 15'],
        [['NOT-MAXAGE', '5'], 'ERR syntax error'],
        [['NAME'], 'ERR syntax error'],
      ];
      for (const [args, err] of cases) assert.deepEqual(await c.call('CLIENT', 'LIST', ...args), { error: err }, args.join(' '));
    });
  });

  describe('KILL', () => {
    test('old form by address: OK, or "No such client"', async () => {
      const killer = await connect();
      const victim = await RawClient.connect(port);
      assert.equal(await killer.call('CLIENT', 'KILL', `127.0.0.1:${victim.socket.localPort}`), 'OK');
      await victim.waitClose();
      assert.deepEqual(await killer.call('CLIENT', 'KILL', '000.123.321.567:0000'), { error: 'ERR No such client' });
      assert.deepEqual(await killer.call('CLIENT', 'KILL', '127.0.0.1:'), { error: 'ERR No such client' });
      assert.deepEqual(await killer.call('CLIENT', 'KILL'), { error: "ERR wrong number of arguments for 'client|kill' command" });
    });

    test('filters reply with the number killed and skip the caller by default', async () => {
      const killer = await connect();
      const v1 = await RawClient.connect(port);
      const v2 = await RawClient.connect(port);
      const v3 = await RawClient.connect(port);
      const ids = await Promise.all([v1, v2, v3].map((v) => v.call('CLIENT', 'ID')));
      await v1.call('CLIENT', 'SETNAME', 'kill-me');
      assert.equal(await killer.call('CLIENT', 'KILL', 'NAME', 'nobody', 'NAME', 'kill-me'), 1, 'the last NAME wins');
      await v1.waitClose();
      assert.equal(await killer.call('CLIENT', 'KILL', 'ID', String(ids[1]), 'ID', String(ids[2])), 2);
      await v2.waitClose();
      await v3.waitClose();
      assert.equal(await killer.call('CLIENT', 'KILL', 'ID', String(ids[1])), 0);
      const myId = String(await killer.call('CLIENT', 'ID'));
      assert.equal(await killer.call('CLIENT', 'KILL', 'ID', myId), 0, 'SKIPME defaults to yes');
      assert.equal(await killer.call('PING'), 'PONG');
    });

    test('SKIPME no kills the caller after its reply', async () => {
      const c = await RawClient.connect(port);
      const myId = String(await c.call('CLIENT', 'ID'));
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', myId, 'SKIPME', 'no'), 1);
      await c.waitClose();
    });

    test('argument errors', async () => {
      const c = await connect();
      const cases: [string[], string][] = [
        [['id', '10', 'wrong_arg'], 'ERR syntax error'],
        [['id', 'str'], 'ERR syntax error'],
        [['id', '-1'], 'ERR client-id should be greater than 0'],
        [['type', 'wrong_type'], "ERR Unknown client type 'wrong_type'"],
        [['user', 'wrong_user'], "ERR No such user 'wrong_user'"],
        [['skipme', 'yes_or_no'], 'ERR syntax error'],
        [['maxage', 'str'], 'ERR maxage is not an integer or out of range'],
        [['maxage', '-1'], 'ERR maxage should be greater than 0'],
      ];
      for (const [args, err] of cases) assert.deepEqual(await c.call('CLIENT', 'KILL', ...args), { error: err }, args.join(' '));
    });
  });

  describe('PAUSE and UNPAUSE', () => {
    test('WRITE postpones writes only; INFO shows the pause; UNPAUSE runs them', async () => {
      const admin = await connect();
      const writer = await connect();
      const reader = await connect();
      await writer.call('SET', 'pause:k', 'before');
      assert.equal(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE'), 'OK');
      writer.send('SET', 'pause:k', 'after');
      assert.equal(await reader.call('GET', 'pause:k'), 'before', 'reads go on');
      await sleep(50);
      assert.equal(writer.pending(), '', 'the write waits');
      const [w] = await clientList(admin, 'ID', String(await reader.call('CLIENT', 'ID')));
      assert.equal(w.flags, 'N');
      const info = (await admin.call('INFO', 'clients')) as string;
      assert.match(info, /\r\npaused_reason:client_pause\r\n/);
      assert.match(info, /\r\npaused_actions:write\r\n/);
      const left = Number(/paused_timeout_milliseconds:(\d+)/.exec(info)![1]);
      assert.ok(left > 9000 && left <= 10000, `timeout left ${left}`);
      assert.match(info, /\r\nblocked_clients:1\r\n/, 'a postponed client counts as blocked');
      assert.equal(await admin.call('CLIENT', 'UNPAUSE'), 'OK');
      assert.equal(await writer.read(), 'OK');
      assert.equal(await reader.call('GET', 'pause:k'), 'after');
      assert.match((await admin.call('INFO', 'clients')) as string, /\r\npaused_actions:none\r\n/);
    });

    test('ALL postpones every command until the timeout', async () => {
      const admin = await connect();
      const other = await connect();
      assert.equal(await admin.call('CLIENT', 'PAUSE', '150'), 'OK');
      const t0 = Date.now();
      assert.equal(await other.call('PING'), 'PONG');
      assert.ok(Date.now() - t0 >= 100, `PING waited ${Date.now() - t0}ms`);
    });

    test('a paused client is not "blocked" for CLIENT UNBLOCK', async () => {
      const admin = await connect();
      const other = await connect();
      const otherId = String(await other.call('CLIENT', 'ID'));
      assert.equal(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE'), 'OK');
      other.send('SET', 'u', '1');
      await sleep(30);
      const [f] = await clientList(admin, 'ID', otherId);
      assert.equal(f.flags, 'b');
      assert.equal(await admin.call('CLIENT', 'UNBLOCK', otherId), 0);
      assert.equal(await admin.call('CLIENT', 'UNBLOCK', otherId, 'ERROR'), 0);
      assert.equal(await admin.call('CLIENT', 'UNPAUSE'), 'OK');
      assert.equal(await other.read(), 'OK');
    });

    test('errors', async () => {
      const c = await connect();
      assert.deepEqual(await c.call('CLIENT', 'PAUSE', 'abc'), { error: 'ERR timeout is not an integer or out of range' });
      assert.deepEqual(await c.call('CLIENT', 'PAUSE', '-1'), { error: 'ERR timeout is negative' });
      assert.deepEqual(await c.call('CLIENT', 'PAUSE', '10', 'foo'), { error: 'ERR CLIENT PAUSE mode must be WRITE or ALL' });
      assert.deepEqual(await c.call('CLIENT', 'PAUSE'), { error: "ERR wrong number of arguments for 'client|pause' command" });
      assert.equal(await c.call('CLIENT', 'PAUSE', '0'), 'OK', 'a zero timeout pauses nothing');
      assert.equal(await c.call('SET', 'p0', '1'), 'OK');
    });
  });

  describe('REPLY', () => {
    test('OFF silences until ON', async () => {
      const c = await connect();
      c.send('CLIENT', 'REPLY', 'OFF');
      c.send('PING', 'pong');
      c.send('SET', 'r:k', 'v');
      c.send('CLIENT', 'REPLY', 'ON');
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('PING', 'pong3'), 'pong3');
      assert.equal(await c.call('GET', 'r:k'), 'v', 'silenced commands still ran');
    });

    test('SKIP silences exactly the next command, errors included', async () => {
      const c = await connect();
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('PING', 'pong');
      c.send('PING', 'pong2');
      assert.equal(await c.read(), 'pong2');
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('GET');
      c.send('NOSUCHCOMMAND');
      assert.deepEqual(await c.read(), { error: "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: " });
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('PING', 'a');
      c.send('PING', 'b');
      assert.equal(await c.read(), 'b', 'a skipped SKIP still skips the next one');
      await sleep(30);
      assert.equal(c.pending(), '');
    });

    test('SKIP covers a command postponed by CLIENT PAUSE until it has run', async () => {
      const admin = await connect();
      const c = await connect();
      assert.equal(await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE'), 'OK');
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('SET', 'skip:paused', '1');
      c.send('PING', 'after');
      await sleep(30);
      assert.equal(c.pending(), '');
      assert.equal(await admin.call('CLIENT', 'UNPAUSE'), 'OK');
      assert.equal(await c.read(), 'after', 'the postponed SET stayed silent, the next command answers');
      assert.equal(await c.call('GET', 'skip:paused'), '1');
    });

    test('ON right after SKIP answers, and syntax errors', async () => {
      const c = await connect();
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('CLIENT', 'REPLY', 'ON');
      assert.equal(await c.read(), 'OK');
      assert.equal(await c.call('PING'), 'PONG');
      assert.deepEqual(await c.call('CLIENT', 'REPLY', 'wrongInput'), { error: 'ERR syntax error' });
      c.send('CLIENT', 'REPLY', 'OFF');
      c.send('CLIENT', 'REPLY', 'SKIP');
      c.send('PING', 'x');
      c.send('CLIENT', 'REPLY', 'ON');
      assert.equal(await c.read(), 'OK', 'SKIP while OFF changes nothing');
      assert.equal(await c.call('PING', 'y'), 'y');
    });
  });

  describe('NO-EVICT, NO-TOUCH, CAPA, IMPORT-SOURCE, UNBLOCK', () => {
    test('NO-EVICT and NO-TOUCH flags and syntax', async () => {
      const c = await connect();
      assert.equal(await c.call('CLIENT', 'NO-EVICT', 'ON'), 'OK');
      assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'on'), 'OK');
      assert.equal((await myInfo(c)).flags, 'eT');
      assert.equal(await c.call('CLIENT', 'NO-EVICT', 'off'), 'OK');
      assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'OFF'), 'OK');
      assert.equal((await myInfo(c)).flags, 'N');
      assert.deepEqual(await c.call('CLIENT', 'NO-EVICT', 'wrongInput'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('CLIENT', 'NO-TOUCH', 'maybe'), { error: 'ERR syntax error' });
    });

    test('NO-TOUCH: reads and writes leave the access time alone, TOUCH does not', async () => {
      const c = await connect();
      const db = srv.server.dbs[0];
      const age = () => srv.server.ctx.lruClock() - 100;
      await c.call('SET', 'nt:k', 'v');
      await c.call('CLIENT', 'NO-TOUCH', 'on');
      db.setMeta('nt:k', age());
      assert.equal(await c.call('GET', 'nt:k'), 'v');
      assert.ok(((await c.call('OBJECT', 'IDLETIME', 'nt:k')) as number) >= 99, 'GET did not touch');
      assert.equal(await c.call('APPEND', 'nt:k', 'w'), 2);
      assert.ok(((await c.call('OBJECT', 'IDLETIME', 'nt:k')) as number) >= 99, 'APPEND did not touch');
      assert.equal(await c.call('TOUCH', 'nt:k'), 1);
      assert.ok(((await c.call('OBJECT', 'IDLETIME', 'nt:k')) as number) <= 1, 'TOUCH touches');
      await c.call('CLIENT', 'NO-TOUCH', 'off');
      db.setMeta('nt:k', age());
      await c.call('GET', 'nt:k');
      assert.ok(((await c.call('OBJECT', 'IDLETIME', 'nt:k')) as number) <= 1, 'without NO-TOUCH, GET touches');
    });

    test('CAPA sets capa=r; IMPORT-SOURCE needs import-mode', async () => {
      const c = await connect();
      assert.equal((await myInfo(c)).capa, '');
      assert.equal(await c.call('CLIENT', 'CAPA', 'REDIRECT'), 'OK');
      assert.equal((await myInfo(c)).capa, 'r');
      assert.deepEqual(await c.call('CLIENT', 'CAPA'), { error: "ERR wrong number of arguments for 'client|capa' command" });
      assert.deepEqual(await c.call('CLIENT', 'IMPORT-SOURCE', 'on'), { error: 'ERR Server is not in import mode' });
      assert.equal(await c.call('CLIENT', 'IMPORT-SOURCE', 'off'), 'OK');
      assert.equal(await c.call('CONFIG', 'SET', 'import-mode', 'yes'), 'OK');
      try {
        assert.equal(await c.call('CLIENT', 'IMPORT-SOURCE', 'on'), 'OK');
        assert.equal((await myInfo(c)).flags, 'I');
        assert.deepEqual(await c.call('CLIENT', 'IMPORT-SOURCE', 'x'), { error: 'ERR syntax error' });
        assert.equal(await c.call('CLIENT', 'IMPORT-SOURCE', 'off'), 'OK');
      } finally {
        await c.call('CONFIG', 'SET', 'import-mode', 'no');
      }
    });

    test('UNBLOCK releases a client blocked on keys: TIMEOUT replies as a timeout, ERROR with -UNBLOCKED', async () => {
      const admin = await connect();
      const waiter = await connect();
      const id = (await waiter.call('CLIENT', 'ID')) as number;
      // Block it the way a blocking command does (no blocking command is registered yet).
      const block = (timeoutMs: number) => srv.server.blocking.block(srv.server.clients.get(id)!, ['ub:k1', 'ub:k2'], timeoutMs, (cl) => cl.reply.nullArray());
      block(60_000);
      const [f] = await clientList(admin, 'ID', String(id));
      assert.equal(f.flags, 'b');
      let info = (await admin.call('INFO', 'clients')) as string;
      assert.match(info, /\r\nblocked_clients:1\r\n/);
      assert.match(info, /\r\nclients_in_timeout_table:1\r\n/);
      assert.match(info, /\r\ntotal_blocking_keys:2\r\n/);
      assert.equal(await admin.call('CLIENT', 'UNBLOCK', String(id)), 1);
      assert.equal(await waiter.read(), null);
      assert.equal(await admin.call('CLIENT', 'UNBLOCK', String(id)), 0, 'no longer blocked');
      block(0);
      info = (await admin.call('INFO', 'clients')) as string;
      assert.match(info, /\r\nclients_in_timeout_table:0\r\n/);
      assert.equal(await admin.call('CLIENT', 'UNBLOCK', String(id), 'ERROR'), 1);
      assert.deepEqual(await waiter.read(), { error: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' });
      assert.equal(await waiter.call('PING'), 'PONG');
      assert.match((await admin.call('INFO', 'clients')) as string, /\r\nblocked_clients:0\r\n/);
    });

    test('UNBLOCK: 0 for clients that are not blocked, argument errors', async () => {
      const c = await connect();
      const id = String(await c.call('CLIENT', 'ID'));
      assert.equal(await c.call('CLIENT', 'UNBLOCK', id), 0);
      assert.equal(await c.call('CLIENT', 'UNBLOCK', '999999', 'ERROR'), 0);
      assert.deepEqual(await c.call('CLIENT', 'UNBLOCK', id, 'foo'), { error: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR' });
      assert.deepEqual(await c.call('CLIENT', 'UNBLOCK', 'abc'), { error: 'ERR value is not an integer or out of range' });
    });
  });

  describe('HELP and unknown subcommands', () => {
    test('HELP lists the subcommands with Valkey layout', async () => {
      const c = await connect();
      const lines = (await c.call('CLIENT', 'HELP')) as string[];
      assert.equal(lines[0], 'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
      assert.deepEqual(lines.slice(-2), ['HELP', '    Prints this help.']);
      for (const sub of ['CAPA <option> [options...]', 'NO-TOUCH (ON|OFF)', 'SETINFO <option> <value>', 'IMPORT-SOURCE (ON|OFF)']) assert.ok(lines.includes(sub), sub);
    });

    test('errors for unknown subcommands and arity', async () => {
      const c = await connect();
      assert.deepEqual(await c.call('CLIENT', 'foo'), { error: "ERR unknown subcommand 'foo'. Try CLIENT HELP." });
      assert.deepEqual(await c.call('CLIENT'), { error: "ERR wrong number of arguments for 'client' command" });
      assert.deepEqual(await c.call('CLIENT', 'ID', 'x'), { error: "ERR wrong number of arguments for 'client|id' command" });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'TYPE'), { error: 'ERR syntax error' });
    });
  });

  test('redis-cli client list / client info', { skip: !referenceAvailable() && 'redis-cli not installed' }, async () => {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'client', 'info']);
    const f = fieldsOf(stdout.trim());
    assert.equal(f.cmd, 'client|info');
    assert.equal(Object.keys(f).join(' '), FIELDS_90);
    const list = await run('redis-cli', ['-p', String(port), 'client', 'list']);
    const recs = listOf(list.stdout);
    assert.ok(recs.some((r) => r.cmd === 'client|list'));
    assert.ok(recs.every((r) => Object.keys(r).join(' ') === FIELDS_90));
  });
});

describe('CLIENT error replies match the reference server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let fjord: RunningServer;
  let ref: ReferenceServer;
  before(async () => {
    fjord = await startFjord();
    ref = await startReference();
  });
  after(async () => {
    await fjord.stop();
    await ref.stop();
  });

  // Cases where Redis 7.0 and Valkey 9.0 agree (Valkey's additions are checked above).
  const cases: string[][] = [
    ['CLIENT', 'PAUSE', 'abc'],
    ['CLIENT', 'PAUSE', '-1'],
    ['CLIENT', 'PAUSE', '10', 'foo'],
    ['CLIENT', 'UNBLOCK', '1', 'foo'],
    ['CLIENT', 'UNBLOCK', 'abc'],
    ['CLIENT', 'UNBLOCK', '123456'],
    ['CLIENT', 'KILL', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'ID', '0'],
    ['CLIENT', 'KILL', 'TYPE', 'nope'],
    ['CLIENT', 'KILL', 'USER', 'nope'],
    ['CLIENT', 'KILL', 'ID', '123456'],
    ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
    ['CLIENT', 'NO-EVICT', 'maybe'],
    ['CLIENT', 'REPLY', 'maybe'],
    ['CLIENT', 'SETNAME', 'a b'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'LIST', 'TYPE', 'nope'],
    ['CLIENT', 'LIST', 'x'],
    ['CLIENT', 'foo'],
    ['CLIENT'],
    ['CLIENT', 'ID', 'x'],
    ['CLIENT', 'KILL'],
  ];
  for (const args of cases) {
    test(args.join(' '), async () => {
      const a = await RawClient.connect(fjord.port);
      const b = await RawClient.connect(ref.port);
      try {
        assert.deepEqual(await a.call(...args), await b.call(...args));
      } finally {
        a.close();
        b.close();
      }
    });
  }
});
