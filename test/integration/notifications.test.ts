// Keyspace notifications: notify-keyspace-events parsing and its canonical CONFIG GET form,
// __keyspace@<db>__ / __keyevent@<db>__ messages for string and generic commands, expiry
// (lazy and active), RENAME, class filtering, the cost-free default (off), RESP3 delivery to
// the writing client, real clients, and event streams compared with the reference redis-server.

import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { startFjord, startReference, referenceAvailable, RawClient, sleep, type RunningServer, type ReferenceServer } from '../helpers';
import { parseNotifyFlags, notifyFlagsToString } from '../../src/db/notify';

let srv: RunningServer;
let c: RawClient;
let sub: RawClient;

before(async () => {
  srv = await startFjord();
  c = await RawClient.connect(srv.port);
  sub = await RawClient.connect(srv.port);
  sub.socket.setNoDelay(true);
  assert.deepEqual(await sub.call('PSUBSCRIBE', '__key*@*__:*'), ['psubscribe', '__key*@*__:*', 1]);
});

after(async () => {
  c.close();
  sub.close();
  await srv.stop();
});

beforeEach(async () => {
  await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
  await c.call('SELECT', 0);
  await c.call('FLUSHALL');
  await drain();
});

/** Everything the subscriber received so far, as "channel payload". */
async function drain(): Promise<string[]> {
  await sleep(20);
  const out: string[] = [];
  while (sub.pending() !== '') {
    const m = (await sub.read()) as string[];
    assert.equal(m[0], 'pmessage');
    out.push(`${m[2]} ${m[3]}`);
  }
  return out;
}

async function setEvents(classes: string): Promise<void> {
  assert.equal(await c.call('CONFIG', 'SET', 'notify-keyspace-events', classes), 'OK');
}

describe('notify-keyspace-events parsing', () => {
  test('parseNotifyFlags / notifyFlagsToString give the canonical form', () => {
    const canonical = (s: string): string | null => {
      const f = parseNotifyFlags(s);
      return f === null ? null : notifyFlagsToString(f);
    };
    assert.equal(canonical(''), '');
    assert.equal(canonical('KEA'), 'AKE');
    assert.equal(canonical('EKg$lshzxetd'), 'AKE', 'every class of A spelled out is printed as A');
    assert.equal(canonical('Elg$xn'), 'g$lxnE');
    assert.equal(canonical('AKEnm'), 'AKEm', 'n is dropped when A is printed (as Valkey does)');
    assert.equal(canonical('mK'), 'Km');
    assert.equal(canonical('KEAq'), null);
    assert.equal(canonical('a'), null, 'class letters are case-sensitive');
  });

  test('CONFIG SET / GET', async () => {
    await setEvents('KEA');
    assert.deepEqual(await c.call('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'AKE']);
    await setEvents('Elg$xn');
    assert.deepEqual(await c.call('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'g$lxnE']);
    const bad = (await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEz?')) as { error: string };
    assert.equal(bad.error, "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    assert.deepEqual(await c.call('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'g$lxnE'], 'unchanged after an error');
  });

  test('the value given at startup is in force', async () => {
    const other = await startFjord({ 'notify-keyspace-events': 'Ex' });
    try {
      const k = await RawClient.connect(other.port);
      assert.deepEqual(await k.call('CONFIG', 'GET', 'notify-keyspace-events'), ['notify-keyspace-events', 'xE']);
      assert.equal(other.server.notifier.enabled, true);
      k.close();
    } finally {
      await other.stop();
    }
  });
});

describe('events', () => {
  test('off by default: nothing is published, and publish is never even called', async () => {
    const ps = srv.server.pubsub;
    const original = ps.publish;
    let calls = 0;
    ps.publish = (...args) => {
      calls++;
      return original.apply(ps, args);
    };
    try {
      await c.call('SET', 'k', 'v');
      await c.call('EXPIRE', 'k', 100);
      await c.call('DEL', 'k');
    } finally {
      ps.publish = original;
    }
    assert.equal(calls, 0);
    assert.equal(srv.server.notifier.enabled, false);
    assert.deepEqual(await drain(), []);
  });

  test('SET, DEL, EXPIRE, PERSIST on both channels', async () => {
    await setEvents('KEA');
    await c.call('SET', 'k', 'v');
    await c.call('EXPIRE', 'k', 100);
    await c.call('PERSIST', 'k');
    await c.call('DEL', 'k', 'missing');
    assert.deepEqual(await drain(), [
      '__keyspace@0__:k set',
      '__keyevent@0__:set k',
      '__keyspace@0__:k expire',
      '__keyevent@0__:expire k',
      '__keyspace@0__:k persist',
      '__keyevent@0__:persist k',
      '__keyspace@0__:k del',
      '__keyevent@0__:del k',
    ]);
  });

  test('the database number is in the channel name', async () => {
    await setEvents('KE$');
    await c.call('SELECT', 7);
    await c.call('SET', 'k', 'v');
    assert.deepEqual(await drain(), ['__keyspace@7__:k set', '__keyevent@7__:set k']);
  });

  test('RENAME: rename_from on the source, rename_to on the destination', async () => {
    await c.call('SET', 'src', 'v');
    await setEvents('Eg');
    await c.call('RENAME', 'src', 'dst');
    assert.deepEqual(await drain(), ['__keyevent@0__:rename_from src', '__keyevent@0__:rename_to dst']);
  });

  test('expired, by lazy expiry on access', async () => {
    await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0);
    await c.call('SET', 'k', 'v', 'PX', 20);
    await setEvents('Kx');
    await sleep(40);
    assert.deepEqual(await drain(), [], 'nothing until the key is touched');
    assert.equal(await c.call('GET', 'k'), null);
    assert.deepEqual(await drain(), ['__keyspace@0__:k expired']);
  });

  test('expired, by active expiry', async () => {
    await setEvents('Ex');
    await c.call('SET', 'k', 'v', 'PX', 20);
    let got: string[] = [];
    for (let i = 0; i < 100 && got.length === 0; i++) got = await drain();
    assert.deepEqual(got, ['__keyevent@0__:expired k']);
    assert.equal(srv.server.dbs[0].data.has('k'), false);
  });

  test('EXPIRE with a time in the past deletes the key with an expired event (Valkey; Redis 7.0 says del)', async () => {
    await c.call('SET', 'gone', 'v');
    await setEvents('KEA');
    assert.equal(await c.call('EXPIRE', 'gone', 0), 1);
    assert.deepEqual(await drain(), ['__keyspace@0__:gone expired', '__keyevent@0__:expired gone']);
  });

  test('only the enabled classes are published', async () => {
    await setEvents('K$');
    await c.call('SET', 'k', 'v');
    await c.call('EXPIRE', 'k', 100);
    await c.call('DEL', 'k');
    assert.deepEqual(await drain(), ['__keyspace@0__:k set'], 'generic events (expire, del) are off');
    await setEvents('Eg');
    await c.call('SET', 'k', 'v');
    await c.call('DEL', 'k');
    assert.deepEqual(await drain(), ['__keyevent@0__:del k'], 'string events are off');
  });

  test('classes without K or E publish nothing', async () => {
    await setEvents('A');
    assert.equal(srv.server.notifier.enabled, false);
    await c.call('SET', 'k', 'v');
    assert.deepEqual(await drain(), []);
  });

  test('a RESP3 client sees the events of its own write after the reply', async () => {
    await setEvents('E$');
    const r3 = await RawClient.connect(srv.port);
    try {
      await r3.call('HELLO', '3');
      await r3.call('SUBSCRIBE', '__keyevent@0__:set');
      r3.send('SET', 'mine', 'v');
      await sleep(30);
      assert.equal(r3.pending(), '+OK\r\n>3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$4\r\nmine\r\n');
    } finally {
      r3.close();
    }
    await drain();
  });

  test('ioredis psubscriber', async () => {
    await setEvents('KEA');
    const r = new Redis({ port: srv.port, lazyConnect: true });
    await r.connect();
    try {
      const got: string[] = [];
      r.on('pmessage', (_p: string, ch: string, msg: string) => got.push(`${ch} ${msg}`));
      await r.psubscribe('__keyevent@0__:*');
      await c.call('SET', 'io', '1');
      await c.call('DEL', 'io');
      for (let i = 0; i < 100 && got.length < 2; i++) await sleep(5);
      assert.deepEqual(got, ['__keyevent@0__:set io', '__keyevent@0__:del io']);
    } finally {
      r.disconnect();
    }
    await drain();
  });
});

// ------------------------------------------------------------------ differential

const SEQUENCE: (string | number)[][] = [
  ['SET', 'a', '1'], ['SET', 'a', '2', 'EX', 100], ['EXPIRE', 'a', 200], ['PEXPIRE', 'missing', 10], ['PERSIST', 'a'],
  ['INCR', 'n'], ['INCRBY', 'n', 5], ['APPEND', 'a', 'x'], ['RENAME', 'a', 'b'], ['DEL', 'b', 'n', 'zz'],
  ['SET', 'e', 'v', 'PX', 1], ['SELECT', 3], ['SET', 'k3', 'v'], ['SELECT', 0],
];

/** Run the sequence with a pattern subscriber listening; returns the messages it got. */
async function eventsOf(port: number, classes: string): Promise<string[]> {
  const w = await RawClient.connect(port);
  const s = await RawClient.connect(port);
  try {
    await w.call('FLUSHALL');
    await w.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0); // expiry only on access: a deterministic order
    await w.call('CONFIG', 'SET', 'notify-keyspace-events', classes);
    await s.call('PSUBSCRIBE', '__key*');
    for (const cmd of SEQUENCE) await w.call(...cmd);
    await sleep(5);
    await w.call('GET', 'e'); // lazily expired
    await w.call('PING');
    await sleep(30);
    const out: string[] = [];
    while (s.pending() !== '') {
      const m = (await s.read()) as string[];
      out.push(`${m[2]} ${m[3]}`);
    }
    return out;
  } finally {
    await w.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await w.call('DEBUG', 'SET-ACTIVE-EXPIRE', 1);
    w.close();
    s.close();
  }
}

describe('differential against the reference redis-server', { skip: !referenceAvailable() && 'redis-server not installed' }, () => {
  let ref: ReferenceServer;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref?.stop();
  });
  for (const classes of ['KEA', 'Eg', 'K$', 'Ex', 'KEgx']) {
    test(`event stream with notify-keyspace-events ${classes}`, async () => {
      const mine = await eventsOf(srv.port, classes);
      const theirs = await eventsOf(ref.port, classes);
      assert.ok(theirs.length > 0 || classes === 'Ex');
      assert.deepEqual(mine, theirs);
    });
  }
});
