// The per-address rate limit at the HTTP layer: unknown paths count too, an IPv6 client counts by its /64, and an
// IPv4 client counts the same in its IPv6-mapped form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openHarness } from '../../testing/harness.ts';

const get = (h: Awaited<ReturnType<typeof openHarness>>, url: string, remoteAddress: string) =>
  h.app.inject({ method: 'GET', url, remoteAddress, headers: { accept: 'text/html', 'accept-language': 'de' } });

test('unknown paths count towards the rate limit, and the 429 answers in the visitor’s language', async () => {
  const h = await openHarness('sqlite', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get(h, `/nothing-here-${i}`, '192.0.2.40')).statusCode);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429]);
    const refused = await get(h, '/nothing-here-x', '192.0.2.40');
    assert.ok(refused.headers['retry-after']);
    assert.match(refused.body, /Zu viele Anfragen|zu viele/i);
    // Another address is not affected.
    assert.equal((await get(h, '/nothing-here-y', '192.0.2.41')).statusCode, 404);
  } finally {
    await h.close();
  }
});

test('an IPv6 client is limited by its /64, an IPv4 client alike in its mapped form', async () => {
  const h = await openHarness('sqlite', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
  try {
    const rotating: number[] = [];
    for (let i = 1; i <= 7; i++)
      rotating.push((await get(h, '/imprint', `2001:db8:7:0::${i.toString(16)}`)).statusCode);
    assert.deepEqual(rotating, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal((await get(h, '/imprint', '2001:db8:7:1::1')).statusCode, 200, 'the next /64 is another client');
    const mixed: number[] = [];
    for (let i = 0; i < 6; i++)
      mixed.push((await get(h, '/imprint', i % 2 ? '::ffff:192.0.2.50' : '192.0.2.50')).statusCode);
    assert.deepEqual(mixed, [200, 200, 200, 200, 200, 429]);
  } finally {
    await h.close();
  }
});
