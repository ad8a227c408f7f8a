import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemo, createTtlCache } from './cache.ts';

test('the read cache keeps a value for its time limit, forgets failed loads, and clears on demand', async () => {
  let now = 0;
  let loads = 0;
  const cache = createTtlCache<number>({ ttlMs: 2000, maxEntries: 2, now: () => now });
  const load = async () => ++loads;
  assert.equal(await cache.get('a', load), 1);
  now = 1999;
  assert.equal(await cache.get('a', load), 1);
  now = 2000;
  assert.equal(await cache.get('a', load), 2, 'reloaded when the time is up');
  cache.clear();
  assert.equal(await cache.get('a', load), 3, 'reloaded after clear');
  await assert.rejects(cache.get('b', () => Promise.reject(new Error('down'))));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await cache.get('b', load), 4, 'a failed load is not kept');
  await cache.get('c', load);
  assert.equal(await cache.get('a', load), 6, 'the oldest entry made room');
});

test('a memo computes each key once, holds at most its bound (the oldest goes) and never keeps an over-long key', () => {
  const memo = createMemo<string>({ max: 2, maxKeyLength: 8 });
  let computed = 0;
  const get = (key: string) => memo.get(key, () => `${key}:${++computed}`);
  assert.equal(get('a'), 'a:1');
  assert.equal(get('a'), 'a:1', 'kept');
  get('b');
  get('c');
  assert.equal(memo.size, 2);
  assert.equal(get('b'), 'b:2', 'still kept');
  assert.equal(get('a'), 'a:4', 'the oldest made room');
  const long = 'x'.repeat(9);
  assert.equal(get(long), `${long}:5`);
  assert.equal(get(long), `${long}:6`, 'computed again: an over-long key is not kept');
  assert.equal(memo.size, 2);
});
