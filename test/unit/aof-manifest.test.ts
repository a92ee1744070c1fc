// The AOF manifest model and the rewrite's command encoding, without a server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AofManifest, AofManifestError } from '../../src/persistence/aofManifest';
import { rewriteKey, respCommand, ITEMS_PER_CMD } from '../../src/persistence/aofRewrite';
import { ListObject } from '../../src/types/list';

test('a rewrite cycle: new incr, new base, covered incr files become history', () => {
  const m = new AofManifest();
  m.newBase('appendonly.aof', true);
  m.newIncr('appendonly.aof');
  assert.equal(m.format(), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  // BGREWRITEAOF: a new incr file at the cut, then the new base and the old files as history.
  m.newIncr('appendonly.aof');
  m.newBase('appendonly.aof', false);
  m.markRewrittenIncrAsHistory(true);
  assert.equal(
    m.format(),
    'file appendonly.aof.2.base.aof seq 2 type b\n' +
      'file appendonly.aof.1.incr.aof seq 1 type h\n' +
      'file appendonly.aof.1.base.rdb seq 1 type h\n' +
      'file appendonly.aof.2.incr.aof seq 2 type i\n',
  );
  assert.deepEqual(AofManifest.parse(m.format()), m);
  // With the AOF off nothing is kept open: every incr file is covered.
  m.markRewrittenIncrAsHistory(false);
  assert.equal(m.incr.length, 0);
  assert.equal(m.history.length, 3);
});

test('names that need it are quoted like sdscatrepr and parse back', () => {
  const m = new AofManifest();
  m.incr.push({ name: 'a b"c\td\n\x01é', seq: 7, type: 'i' });
  m.incrSeq = 7;
  const text = m.format();
  assert.equal(text, 'file "a b\\"c\\td\\n\\x01\\xe9" seq 7 type i\n');
  assert.equal(AofManifest.parse(text).incr[0].name, 'a b"c\td\n\x01é');
  assert.equal(AofManifest.parse(text).incrSeq, 7);
});

test('parse errors carry Valkey\'s reasons and the line', () => {
  const reason = (text: string) => {
    try {
      AofManifest.parse(text);
    } catch (e) {
      assert.ok(e instanceof AofManifestError);
      return `${e.reason}@${e.lineNo}`;
    }
    return 'ok';
  };
  assert.equal(reason(''), 'Found an empty AOF manifest@0');
  assert.equal(reason('# only a comment\n'), 'ok');
  assert.equal(reason('\n'), 'Invalid AOF manifest file format@1');
  assert.equal(reason('file a seq 1 type i\nfile b seq 1\n'), 'Invalid AOF manifest file format@2');
  assert.equal(reason('file a seq 0 type i\n'), 'Invalid AOF manifest file format@1');
  assert.equal(reason('file a seq x type i\n'), 'Invalid AOF manifest file format@1');
  assert.equal(reason('file "unterminated seq 1 type i\n'), 'Invalid AOF manifest file format@1');
  assert.equal(reason('FILE a SEQ 1 TYPE i\n'), 'ok');
  assert.equal(reason(`file ${'x'.repeat(1100)} seq 1 type i\n`), 'The AOF manifest file contains too long line@1');
  assert.equal(reason('file a/b seq 1 type i\n'), "File can't be a path, just a filename@1");
  assert.equal(reason('file a\\\\b seq 1 type i\n'), "File can't be a path, just a filename@1");
});

test('variadic rewrite commands carry at most 64 items', () => {
  const list = new ListObject();
  for (let i = 0; i < 130; i++) list.push(`v${i}`, false);
  const cmds: string[][] = [];
  rewriteKey('l', list, 1234, (argv) => cmds.push(argv));
  assert.deepEqual(cmds.map((c) => c.length - 2), [ITEMS_PER_CMD, ITEMS_PER_CMD, 2, 1]);
  assert.deepEqual(cmds[2], ['RPUSH', 'l', 'v128', 'v129']);
  assert.deepEqual(cmds[3], ['PEXPIREAT', 'l', '1234']);
  assert.equal(respCommand(['SET', 'k', '']), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n');
  const s: string[][] = [];
  rewriteKey('s', Buffer.from([0, 255]), -1, (argv) => s.push(argv));
  assert.deepEqual(s, [['SET', 's', '\x00\xff']]);
});
