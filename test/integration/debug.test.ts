// DEBUG: dataset digests (checked against the reference redis-server 7.0), OBJECT, SLEEP,
// PROTOCOL, POPULATE, the knobs, errors, and the enable-debug-command protection.

import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { startFjord, startReference, referenceAvailable, RawClient, parseReply, sleep, type RunningServer, type ReferenceServer } from '../helpers';

const ZERO_DIGEST = '0'.repeat(40);

let srv: RunningServer;
let io: Redis;
let raw: RawClient;
let raw3: RawClient;
let logDir: string;

before(async () => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fjord-debug-test-'));
  srv = await startFjord({ logfile: path.join(logDir, 'server.log'), loglevel: 'notice' });
  io = new Redis({ port: srv.port, lazyConnect: true, retryStrategy: () => null });
  await io.connect();
  raw = await RawClient.connect(srv.port);
  raw3 = await RawClient.connect(srv.port);
  await raw3.call('HELLO', '3');
});

after(async () => {
  io?.disconnect();
  raw?.close();
  raw3?.close();
  await srv?.stop();
  fs.rmSync(logDir, { recursive: true, force: true });
});

function flushAll(): void {
  for (const db of srv.server.dbs) db.flush();
}

/** The exact bytes of the reply to one command, on a new RESP2 or RESP3 connection. */
async function replyBytes(port: number, resp: 2 | 3, ...args: string[]): Promise<string> {
  const c = await RawClient.connect(port);
  try {
    if (resp === 3) await c.call('HELLO', '3');
    c.send(...args);
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      const text = c.pending();
      if (text.length > 0 && parseReply(Buffer.from(text, 'latin1'), 0) !== null) return text;
      await sleep(5);
    }
    throw new Error('no reply');
  } finally {
    c.close();
  }
}

describe('DEBUG DIGEST and DIGEST-VALUE', () => {
  it('is 40 zeros for an empty dataset and changes with the data', async () => {
    flushAll();
    assert.equal(await io.call('DEBUG', 'DIGEST'), ZERO_DIGEST);
    await io.set('k', 'v');
    const d1 = await io.call('DEBUG', 'DIGEST');
    assert.match(d1 as string, /^[0-9a-f]{40}$/);
    assert.notEqual(d1, ZERO_DIGEST);
    await io.set('k', 'w');
    assert.notEqual(await io.call('DEBUG', 'DIGEST'), d1);
    await io.set('k', 'v');
    assert.equal(await io.call('DEBUG', 'DIGEST'), d1);
  });

  it('does not depend on insertion order, but on the database, the TTL flag and every byte', async () => {
    flushAll();
    await io.mset('a', '1', 'b', '2', 'c', '3');
    const abc = await io.call('DEBUG', 'DIGEST');
    flushAll();
    await io.mset('c', '3', 'a', '1', 'b', '2');
    assert.equal(await io.call('DEBUG', 'DIGEST'), abc);
    await io.expire('a', 1000);
    const withTtl = await io.call('DEBUG', 'DIGEST');
    assert.notEqual(withTtl, abc);
    await io.expire('a', 5000); // only the presence of a TTL counts
    assert.equal(await io.call('DEBUG', 'DIGEST'), withTtl);
    await io.persist('a');
    assert.equal(await io.call('DEBUG', 'DIGEST'), abc);
    flushAll();
    await io.select(1);
    await io.mset('a', '1', 'b', '2', 'c', '3');
    assert.notEqual(await io.call('DEBUG', 'DIGEST'), abc);
    await io.select(0);
  });

  it('DIGEST-VALUE digests values (not key names), zeros for a missing key', async () => {
    flushAll();
    await io.mset('x', 'same', 'y', 'same', 'z', 'other');
    const [dx, dy, dz, missing] = (await io.call('DEBUG', 'DIGEST-VALUE', 'x', 'y', 'z', 'nokey')) as string[];
    assert.equal(dx, dy);
    assert.notEqual(dx, dz);
    assert.equal(missing, ZERO_DIGEST);
    assert.deepEqual(await io.call('DEBUG', 'DIGEST-VALUE'), []);
    // status replies, in RESP3 too
    assert.equal(await replyBytes(srv.port, 3, 'DEBUG', 'DIGEST-VALUE', 'nokey'), `*1\r\n+${ZERO_DIGEST}\r\n`);
  });

  it('a Buffer value (edited in place) digests like the same bytes stored as a string', async () => {
    flushAll();
    await io.set('s', 'hello world');
    const before = await io.call('DEBUG', 'DIGEST');
    await io.set('s', 'hello');
    await io.append('s', ' world');
    assert.equal(await io.call('DEBUG', 'DIGEST'), before);
  });
});

describe('DEBUG DIGEST equals the reference redis-server 7.0 digest', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref.stop();
  });

  /** Apply the same commands to both servers and compare DIGEST and DIGEST-VALUE. */
  async function sameDigests(commands: (string | Buffer)[][], keys: string[]): Promise<void> {
    const ours = await RawClient.connect(srv.port);
    const theirs = await RawClient.connect(ref.port);
    try {
      for (const c of [ours, theirs]) {
        await c.call('SELECT', '0');
        for (const db of ['0', '1', '2', '3']) {
          await c.call('SELECT', db);
          await c.call('FLUSHDB');
        }
        await c.call('SELECT', '0');
      }
      for (const cmd of commands) {
        const a = await ours.call(...cmd);
        const b = await theirs.call(...cmd);
        assert.deepEqual(a, b, `reply to ${cmd.join(' ')}`);
      }
      const digest = await ours.call('DEBUG', 'DIGEST');
      assert.equal(digest, await theirs.call('DEBUG', 'DIGEST'));
      assert.deepEqual(await ours.call('DEBUG', 'DIGEST-VALUE', ...keys), await theirs.call('DEBUG', 'DIGEST-VALUE', ...keys));
    } finally {
      ours.close();
      theirs.close();
    }
  }

  it('for an empty dataset', async () => {
    await sameDigests([], ['nokey']);
  });

  it('for strings without TTLs', async () => {
    await sameDigests(
      [['SET', 'a', '1'], ['SET', 'b', 'hello'], ['SET', 'int', '-12345678901'], ['SET', 'empty', ''], ['SET', 'big', 'x'.repeat(5000)], ['MSET', 'k1', 'v1', 'k2', 'v2']],
      ['a', 'b', 'int', 'empty', 'big', 'nokey'],
    );
  });

  it('for strings with TTLs, binary values and several databases', async () => {
    await sameDigests(
      [
        ['SET', 'plain', 'v'],
        ['SET', 'ttl', 'v', 'EX', '1000'],
        ['SET', 'pttl', 'v', 'PX', '500000'],
        ['SET', Buffer.from([0, 1, 255]), Buffer.from([10, 13, 0, 200, 128])],
        ['SETRANGE', 'edited', '3', 'abc'],
        ['APPEND', 'ttl', 'more'],
        ['SELECT', '1'],
        ['SET', 'plain', 'v'],
        ['SET', 'ttl', 'w', 'EX', '100'],
        ['SELECT', '3'],
        ['SET', 'x', '42'],
        ['SELECT', '0'],
      ],
      ['plain', 'ttl', 'pttl', 'edited', 'nokey'],
    );
  });

  it('DEBUG OBJECT reports the same serialized length (RDB encoding, with LZF)', async () => {
    const values = ['12', '-5', '300', '100000', '5000000000', 'hello', '007', '123456789012', 'a'.repeat(82), 'abcdefghijklmnopqrstuvwxyz0123456789', 'xyz'.repeat(400)];
    const ours = await RawClient.connect(srv.port);
    const theirs = await RawClient.connect(ref.port);
    try {
      for (const v of values) {
        const lengths: string[] = [];
        for (const c of [ours, theirs]) {
          await c.call('SET', 'sk', v);
          lengths.push(/serializedlength:\d+/.exec((await c.call('DEBUG', 'OBJECT', 'sk')) as string)![0]);
        }
        assert.equal(lengths[0], lengths[1], v);
      }
    } finally {
      ours.close();
      theirs.close();
    }
  });

  it('for many keys written in a different order', async () => {
    const cmds: string[][] = [];
    for (let i = 0; i < 200; i++) cmds.push(['SET', `key:${(i * 37) % 200}`, `value-${i}`]);
    for (let i = 0; i < 200; i += 7) cmds.push(['PEXPIRE', `key:${i}`, '900000']);
    await sameDigests(cmds, ['key:0', 'key:7', 'key:8']);
  });
});

describe('DEBUG OBJECT, SDSLEN, LISTPACK, QUICKLIST', () => {
  it('describes a string value in Valkey\'s format', async () => {
    flushAll();
    await io.set('n', '12');
    await io.set('s', 'hello');
    await io.set('long', 'x'.repeat(100));
    const re = /^Value at:0x[0-9a-f]+ refcount:1 encoding:(\w+) serializedlength:(\d+) lru:\d+ lru_seconds_idle:\d+ lfu_freq:\d+ lfu_access_time_minutes:\d+$/;
    const n = re.exec((await io.call('DEBUG', 'OBJECT', 'n')) as string);
    assert.ok(n);
    assert.deepEqual([n[1], n[2]], ['int', '2']);
    const s = re.exec((await io.call('DEBUG', 'OBJECT', 's')) as string);
    assert.ok(s);
    assert.deepEqual([s[1], s[2]], ['embstr', '6']);
    const long = re.exec((await io.call('DEBUG', 'OBJECT', 'long')) as string);
    assert.equal(long?.[1], 'raw');
    await io.append('s', '!');
    assert.match((await io.call('DEBUG', 'OBJECT', 's')) as string, /encoding:raw /);
    // "fast" leaves out the serialized length
    const fast = (await io.call('DEBUG', 'OBJECT', 'n', 'fast')) as string;
    assert.doesNotMatch(fast, /serializedlength/);
    assert.match(fast, /^Value at:0x[0-9a-f]+ refcount:1 encoding:int lru:\d+ lru_seconds_idle:\d+ /);
    assert.deepEqual(await raw.call('DEBUG', 'OBJECT', 'nokey'), { error: 'ERR no such key' });
  });

  it('reports the idle time from the access clock', async () => {
    flushAll();
    await io.set('old', 'v');
    const db = srv.server.dbs[0];
    db.setMeta('old', (Math.floor(Date.now() / 1000) - 100) >>> 0);
    const idle = /lru_seconds_idle:(\d+)/.exec((await io.call('DEBUG', 'OBJECT', 'old')) as string);
    assert.ok(idle && Number(idle[1]) >= 99 && Number(idle[1]) <= 102, String(idle?.[1]));
  });

  it('SDSLEN, LISTPACK and QUICKLIST answer like Valkey for strings', async () => {
    flushAll();
    await io.set('s', 'hello');
    await io.set('n', '7');
    assert.match((await io.call('DEBUG', 'SDSLEN', 's')) as string, /^key_sds_len:1 key_sds_avail:0 obj_alloc:\d+ val_sds_len:5 val_sds_avail:\d+ val_alloc:\d+$/);
    assert.deepEqual(await raw.call('DEBUG', 'SDSLEN', 'n'), { error: 'ERR Not an sds encoded string.' });
    assert.deepEqual(await raw.call('DEBUG', 'SDSLEN', 'nokey'), { error: 'ERR no such key' });
    assert.deepEqual(await raw.call('DEBUG', 'LISTPACK', 's'), { error: 'ERR Not a listpack encoded object.' });
    assert.deepEqual(await raw.call('DEBUG', 'QUICKLIST', 's', '1'), { error: 'ERR Not a quicklist encoded object.' });
    assert.deepEqual(await raw.call('DEBUG', 'LISTPACK', 'nokey'), { error: 'ERR no such key' });
  });
});

describe('DEBUG SLEEP', () => {
  it('blocks the whole server for the given time', async () => {
    const other = await RawClient.connect(srv.port);
    try {
      const t0 = Date.now();
      raw.send('DEBUG', 'SLEEP', '0.3');
      await sleep(20);
      assert.equal(await other.call('PING'), 'PONG');
      const waited = Date.now() - t0;
      assert.equal(await raw.read(), 'OK');
      assert.ok(waited >= 250, `PING answered after ${waited}ms`);
    } finally {
      other.close();
    }
  });

  it('accepts 0, decimals and garbage (as strtod does)', async () => {
    assert.equal(await io.call('DEBUG', 'SLEEP', '0'), 'OK');
    assert.equal(await io.call('DEBUG', 'SLEEP', '0.01'), 'OK');
    assert.equal(await io.call('DEBUG', 'SLEEP', 'abc'), 'OK');
  });
});

describe('DEBUG PROTOCOL', () => {
  const resp3: Record<string, string> = {
    string: '$11\r\nHello World\r\n',
    integer: ':12345\r\n',
    double: ',3.141\r\n',
    bignum: '(1234567999999999999999999999999999999\r\n',
    null: '_\r\n',
    array: '*3\r\n:0\r\n:1\r\n:2\r\n',
    set: '~3\r\n:0\r\n:1\r\n:2\r\n',
    map: '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n',
    attrib: '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n',
    push: '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n',
    verbatim: '=29\r\ntxt:This is a verbatim\nstring\r\n',
    true: '#t\r\n',
    false: '#f\r\n',
  };
  const resp2: Record<string, string> = {
    string: '$11\r\nHello World\r\n',
    integer: ':12345\r\n',
    double: '$5\r\n3.141\r\n',
    bignum: '$37\r\n1234567999999999999999999999999999999\r\n',
    null: '$-1\r\n',
    array: '*3\r\n:0\r\n:1\r\n:2\r\n',
    set: '*3\r\n:0\r\n:1\r\n:2\r\n',
    map: '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n',
    attrib: '$39\r\nSome real reply following the attribute\r\n',
    push: '-ERR RESP2 is not supported by this command\r\n',
    verbatim: '$25\r\nThis is a verbatim\nstring\r\n',
    true: ':1\r\n',
    false: ':0\r\n',
  };

  it('replies each RESP3 type exactly', async () => {
    for (const [type, bytes] of Object.entries(resp3)) assert.equal(await replyBytes(srv.port, 3, 'DEBUG', 'PROTOCOL', type), bytes, type);
  });

  it('replies the RESP2 equivalents exactly', async () => {
    for (const [type, bytes] of Object.entries(resp2)) assert.equal(await replyBytes(srv.port, 2, 'DEBUG', 'PROTOCOL', type), bytes, type);
  });

  it('rejects an unknown type', async () => {
    assert.deepEqual(await raw.call('DEBUG', 'PROTOCOL', 'float'), {
      error: 'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
    });
  });

  it('matches the reference byte for byte', { skip: !referenceAvailable() && 'redis-server not installed' }, async () => {
    const ref = await startReference();
    try {
      for (const type of [...Object.keys(resp3), 'bogus']) {
        for (const resp of [2, 3] as const) {
          assert.equal(await replyBytes(srv.port, resp, 'DEBUG', 'PROTOCOL', type), await replyBytes(ref.port, resp, 'DEBUG', 'PROTOCOL', type), `${type} RESP${resp}`);
        }
      }
    } finally {
      await ref.stop();
    }
  });
});

describe('DEBUG knobs', () => {
  it('SET-ACTIVE-EXPIRE 0 stops the active expiry cycle, 1 restarts it', async () => {
    flushAll();
    const db = srv.server.dbs[0];
    assert.equal(await io.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0'), 'OK');
    assert.equal(srv.server.activeExpireEnabled, false);
    await io.set('gone', 'v', 'PX', 30);
    await sleep(300);
    assert.ok(db.data.has('gone'), 'still stored: only the active cycle could have removed it');
    assert.equal(await io.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1'), 'OK');
    const deadline = Date.now() + 3000;
    while (db.data.has('gone') && Date.now() < deadline) await sleep(20);
    assert.ok(!db.data.has('gone'), 'removed by the active cycle');
  });

  it('PAUSE-CRON 1 stops the cron (no active expiry), 0 resumes it', async () => {
    flushAll();
    const db = srv.server.dbs[0];
    assert.equal(await io.call('DEBUG', 'PAUSE-CRON', '1'), 'OK');
    await io.set('gone', 'v', 'PX', 30);
    await sleep(300);
    assert.ok(db.data.has('gone'));
    assert.equal(await io.call('DEBUG', 'PAUSE-CRON', '0'), 'OK');
    const deadline = Date.now() + 3000;
    while (db.data.has('gone') && Date.now() < deadline) await sleep(20);
    assert.ok(!db.data.has('gone'));
  });

  it('QUICKLIST-PACKED-THRESHOLD takes a memory size up to 4GB, 0 restores 1GB', async () => {
    assert.equal(await io.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100mb'), 'OK');
    assert.equal(srv.server.debug.quicklistPackedThreshold, 100 * 1024 * 1024);
    assert.equal(await io.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'), 'OK');
    assert.equal(srv.server.debug.quicklistPackedThreshold, 1 << 30);
    const err = { error: 'ERR argument must be a memory value bigger than 1 and smaller than 4gb' };
    assert.deepEqual(await raw.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'), err);
    assert.deepEqual(await raw.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '-1'), err);
    assert.deepEqual(await raw.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1x'), err);
  });

  it('SET-SKIP-CHECKSUM-VALIDATION, DICT-RESIZING and REPLYBUFFER set their knobs', async () => {
    assert.equal(await io.call('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'), 'OK');
    assert.equal(srv.server.debug.skipChecksumValidation, true);
    assert.equal(await io.call('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'), 'OK');
    assert.equal(srv.server.debug.skipChecksumValidation, false);
    assert.equal(await io.call('DEBUG', 'DICT-RESIZING', '0'), 'OK');
    assert.equal(srv.server.debug.dictResizing, false);
    assert.equal(await io.call('DEBUG', 'DICT-RESIZING', '1'), 'OK');
    assert.equal(await io.call('DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'never'), 'OK');
    assert.equal(srv.server.debug.replyBufferPeakResetTime, -1);
    assert.equal(await io.call('DEBUG', 'REPLYBUFFER', 'peak-reset-time', '250'), 'OK');
    assert.equal(srv.server.debug.replyBufferPeakResetTime, 250);
    assert.equal(await io.call('DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'reset'), 'OK');
    assert.equal(srv.server.debug.replyBufferPeakResetTime, 5000);
    assert.equal(await io.call('DEBUG', 'REPLYBUFFER', 'RESIZING', '0'), 'OK');
    assert.equal(srv.server.debug.replyBufferResizing, false);
    assert.equal(await io.call('DEBUG', 'REPLYBUFFER', 'RESIZING', '1'), 'OK');
    assert.deepEqual(await raw.call('DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'soon'), { error: 'ERR value is not an integer or out of range' });
    assert.deepEqual(await raw.call('DEBUG', 'REPLYBUFFER', 'COLOR', '1'), { error: "ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP." });
  });

  it('CHANGE-REPL-ID gives a new replication id and clears the second one', async () => {
    const before = srv.server.replId;
    srv.server.replId2 = 'f'.repeat(40);
    assert.equal(await io.call('DEBUG', 'CHANGE-REPL-ID'), 'OK');
    assert.notEqual(srv.server.replId, before);
    assert.match(srv.server.replId, /^[0-9a-f]{40}$/);
    assert.equal(srv.server.replId2, '0'.repeat(40));
  });

  it('CLIENT-EVICTION needs maxmemory-clients, then lists the memory buckets', async () => {
    assert.deepEqual(await raw.call('DEBUG', 'CLIENT-EVICTION'), { error: 'ERR maxmemory-clients is disabled.' });
    srv.server.config.set([['maxmemory-clients', '10mb']]);
    try {
      const text = (await raw3.call('DEBUG', 'CLIENT-EVICTION')) as { type: string; value: string };
      assert.equal(text.type, 'verbatim');
      const lines = text.value.replace(/^txt:/, '').trimEnd().split('\n');
      assert.equal(lines.length, 19);
      assert.match(lines[0], /^bucket {10}0 - {6}32767: tot-mem: +\d+, clients: \d+$/);
      assert.match(lines[18], /^bucket 4294967296\+ {12}: tot-mem: +\d+, clients: \d+$/);
      const clients = lines.reduce((n, l) => n + Number(/clients: (\d+)/.exec(l)![1]), 0);
      assert.equal(clients, srv.server.clients.size);
    } finally {
      srv.server.config.set([['maxmemory-clients', '0']]);
    }
  });
});

describe('DEBUG POPULATE, LOG, ERROR, STRINGMATCH-TEST', () => {
  it('POPULATE creates key:N = value:N, skips existing keys, pads to a size', async () => {
    flushAll();
    await io.set('key:1', 'mine');
    assert.equal(await io.call('DEBUG', 'POPULATE', '3'), 'OK');
    assert.deepEqual(await io.mget('key:0', 'key:1', 'key:2', 'key:3'), ['value:0', 'mine', 'value:2', null]);
    assert.equal(await io.call('DEBUG', 'POPULATE', '2', 'p', '10'), 'OK');
    assert.equal(await io.get('p:1'), 'value:1\0\0\0');
    assert.equal(await io.call('DEBUG', 'POPULATE', '1', 'q', '3'), 'OK');
    assert.equal(await io.get('q:0'), 'val');
    assert.deepEqual(await raw.call('DEBUG', 'POPULATE', '-1'), { error: 'ERR value is out of range, must be positive' });
    assert.deepEqual(await raw.call('DEBUG', 'POPULATE', 'x'), { error: 'ERR value is not an integer or out of range' });
  });

  it('LOG writes the message to the server log', async () => {
    assert.equal(await io.call('DEBUG', 'LOG', 'hello from the test'), 'OK');
    const file = path.join(logDir, 'server.log');
    const deadline = Date.now() + 2000;
    let text = '';
    while (Date.now() < deadline) {
      text = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
      if (text.includes('DEBUG LOG: hello from the test')) break;
      await sleep(20);
    }
    assert.match(text, /# DEBUG LOG: hello from the test/);
  });

  it('ERROR replies the given error as is, without counting it as a server error', async () => {
    const errors = srv.server.stats.totalErrorReplies;
    assert.deepEqual(await raw.call('DEBUG', 'ERROR', 'MYERR something\r\nbad'), { error: 'MYERR something  bad' });
    assert.equal(srv.server.stats.totalErrorReplies, errors);
    await assert.rejects(io.call('DEBUG', 'ERROR', 'CUSTOM oops'), /CUSTOM oops/);
  });

  it('STRINGMATCH-TEST runs the glob fuzzer', async () => {
    assert.equal(await io.call('DEBUG', 'STRINGMATCH-TEST'), 'Apparently the server did not crash: test passed');
  });

  it('works through node-redis', async () => {
    const nr = createClient({ socket: { port: srv.port } });
    await nr.connect();
    try {
      flushAll();
      assert.equal(await nr.sendCommand(['DEBUG', 'DIGEST']), ZERO_DIGEST);
      assert.equal(await nr.sendCommand(['DEBUG', 'SLEEP', '0']), 'OK');
    } finally {
      await nr.quit();
    }
  });
});

describe('DEBUG errors and HELP', () => {
  it('unknown subcommands and wrong argument counts get Valkey\'s error', async () => {
    const err = (sub: string) => ({ error: `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try DEBUG HELP.` });
    assert.deepEqual(await raw.call('DEBUG', 'NOSUCH'), err('NOSUCH'));
    assert.deepEqual(await raw.call('DEBUG', 'object'), err('object'));
    assert.deepEqual(await raw.call('DEBUG', 'OBJECT', 'a', 'b', 'c'), err('OBJECT'));
    assert.deepEqual(await raw.call('DEBUG', 'SLEEP'), err('SLEEP'));
    assert.deepEqual(await raw.call('DEBUG', 'DIGEST', 'x'), err('DIGEST'));
    // not in Valkey 9.0 (JMAP, STRINGMATCH-LEN)
    assert.deepEqual(await raw.call('DEBUG', 'JMAP'), err('JMAP'));
    // DEBUG RELOAD itself is tested in persistence.test.ts (it writes the RDB file)
    assert.deepEqual(await raw.call('DEBUG', 'RELOAD', 'BOGUS'), { error: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' });
    assert.deepEqual(await raw.call('DEBUG'), { error: "ERR wrong number of arguments for 'debug' command" });
  });

  it('HELP lists the subcommands', async () => {
    const help = (await io.call('DEBUG', 'HELP')) as string[];
    assert.equal(help[0], 'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    for (const line of ['DIGEST', 'DIGEST-VALUE <key> [<key> ...]', 'OBJECT <key> [fast]', 'SLEEP <seconds>', 'PROTOCOL <type>', 'HELP']) assert.ok(help.includes(line), line);
  });

  it('is refused unless enable-debug-command allows it', async () => {
    const locked = await startFjord({ 'enable-debug-command': 'no' });
    const c = await RawClient.connect(locked.port);
    try {
      assert.deepEqual(await c.call('DEBUG', 'DIGEST'), {
        error:
          'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      });
    } finally {
      c.close();
      await locked.stop();
    }
    const local = await startFjord({ 'enable-debug-command': 'local' });
    const l = await RawClient.connect(local.port);
    try {
      assert.equal(await l.call('DEBUG', 'DIGEST'), ZERO_DIGEST);
    } finally {
      l.close();
      await local.stop();
    }
  });
});
