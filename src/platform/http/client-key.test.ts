import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientKey } from './client-key.ts';

test('an IPv4 client is counted as itself, also in its IPv6-mapped form', () => {
  assert.equal(clientKey('192.0.2.7'), '192.0.2.7');
  assert.equal(clientKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(clientKey('::FFFF:192.0.2.7'), '192.0.2.7');
});

test('an IPv6 client is counted by its /64, however it writes the address', () => {
  assert.equal(clientKey('2001:db8:2:0:1::5'), '2001:db8:2:0::/64');
  assert.equal(clientKey('2001:0db8:0002:0000:ffff:1:2:3'), '2001:db8:2:0::/64');
  assert.equal(clientKey('2001:db8:2::abcd'), '2001:db8:2:0::/64');
  assert.notEqual(clientKey('2001:db8:2:1::1'), clientKey('2001:db8:2:0::1'));
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
});
