import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTtlCache } from './cache.ts';

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
