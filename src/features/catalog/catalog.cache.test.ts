// Listing-cache invalidation across processes (issue 17, point 1): a change announced in one app instance drops the
// cached listings of another at once through Redis; without Redis the other keeps them for LISTING_CACHE_MS.
// On a redis-server of the test's own (src/testing/redis.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Browser, openHarness, type Harness } from '../../testing/harness.ts';
import { redisServerMissing, startOwnRedis, type OwnRedis } from '../../testing/redis.ts';
import { announceCatalogChange } from './catalog.cache.ts';

const skip = redisServerMissing;
const SLUG = 'keystep-49';
let redis: OwnRedis;
let h: Harness;
let other: { app: FastifyInstance };

before(async () => {
  if (skip) return;
  redis = await startOwnRedis();
  // A long TTL, so that only the invalidation can explain a fresh answer.
  h = await openHarness('sqlite', { seed: true, env: { REDIS_URL: redis.url, LISTING_CACHE_MS: '60000' } });
  other = await h.reopen({});
});

after(async () => {
  if (skip) return;
  await h?.close();
  await redis?.kill();
});

async function priceOn(app: FastifyInstance): Promise<string | undefined> {
  const res = await new Browser(app).api('GET', '/api/v1/products?limit=100');
  const items = (res.json() as { items: { slug: string; price: { amount: string } }[] }).items;
  return items.find((p) => p.slug === SLUG)?.price.amount;
}

async function setPrice(cents: number): Promise<void> {
  await h.deps.db.updateTable('products').set({ price_cents: cents }).where('slug', '=', SLUG).execute();
}

test(
  'a catalogue change announced in one instance drops the listings another instance cached, through Redis',
  { skip },
  async () => {
    await setPrice(10_000);
    announceCatalogChange(h.deps);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await priceOn(other.app), '100.00');
    // Unannounced, the other instance keeps its cached listing (the TTL is a minute here).
    await setPrice(12_300);
    assert.equal(await priceOn(other.app), '100.00', 'cached');
    // Announced in the first instance: the second hears it through Redis and reads afresh.
    announceCatalogChange(h.deps);
    const deadline = Date.now() + 2000;
    let seen = await priceOn(other.app);
    while (seen !== '123.00' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      seen = await priceOn(other.app);
    }
    assert.equal(seen, '123.00');
  },
);

test(
  'with Redis down the other instance keeps its listings (the TTL bounds them) and drops them all when Redis is back',
  { skip },
  async () => {
    await setPrice(10_000);
    announceCatalogChange(h.deps);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await priceOn(other.app), '100.00');
    await redis.kill();
    await new Promise((r) => setTimeout(r, 100));
    await setPrice(14_500);
    announceCatalogChange(h.deps);
    assert.equal(await priceOn(h.app), '145.00', 'the announcing instance drops its own at once');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await priceOn(other.app), '100.00', 'the other did not hear it');
    await redis.start();
    const deadline = Date.now() + 5000;
    let seen = await priceOn(other.app);
    while (seen !== '145.00' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await priceOn(other.app);
    }
    assert.equal(seen, '145.00', 'dropped on reconnect: messages may have been missed');
  },
);
