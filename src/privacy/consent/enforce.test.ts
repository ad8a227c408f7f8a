import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoOperator } from '../../platform/operator.ts';
import { createDataMap } from '../../testing/app.ts';
import { buildCsp, expireDisallowedCookies, filterSetCookies } from './enforce.ts';
import { buildConsentRegistry, candorCookies } from './registry.ts';
import { effectiveConsent } from './state.ts';

const registry = buildConsentRegistry(
  demoOperator,
  createDataMap(),
  candorCookies({ session: 's', csrf: 'c', basket: 'b', prefs: 'p', consent: 'k' }),
);
const stored = (categories: ('statistics' | 'marketing' | 'preferences')[], vendors: string[]) => ({
  id: 'x'.repeat(22),
  hash: registry.hash.slice(0, 16),
  categories,
  vendors,
  explicit: true,
  gpc: false,
  linked: '',
});

test('Set-Cookie headers without consent, or of cookies nobody registered, are dropped; expiries always pass', () => {
  const consent = effectiveConsent(registry, stored(['statistics'], ['google-analytics']), false);
  const { kept, dropped } = filterSetCookies(
    [
      's=abc; Path=/; HttpOnly',
      '_ga=GA1; Path=/',
      '_fbp=fb.1; Path=/',
      'tracker=1; Path=/',
      '_fbp=; Max-Age=0; Path=/',
    ],
    registry.cookies,
    consent,
  );
  assert.deepEqual(kept, ['s=abc; Path=/; HttpOnly', '_ga=GA1; Path=/', '_fbp=; Max-Age=0; Path=/']);
  assert.deepEqual(dropped, ['_fbp', 'tracker']);
});

test('first-party vendor cookies without consent are expired on the host and the parent domain; Candor’s own are left alone', () => {
  const none = effectiveConsent(registry, null, false);
  assert.deepEqual(expireDisallowedCookies(['_ga', 's', 'unknown'], registry.cookies, none, 'shop.tonfabrik.co.uk'), [
    '_ga=; Max-Age=0; Path=/',
    '_ga=; Max-Age=0; Path=/; Domain=shop.tonfabrik.co.uk',
    '_ga=; Max-Age=0; Path=/; Domain=tonfabrik.co.uk',
    '_ga=; Max-Age=0; Path=/; Domain=co.uk',
  ]);
  // Never anything but a hostname in the Domain attribute.
  assert.deepEqual(expireDisallowedCookies(['_ga'], registry.cookies, none, 'a.example.com;SameSite=None'), [
    '_ga=; Max-Age=0; Path=/',
  ]);
  const granted = effectiveConsent(registry, stored(['statistics'], ['google-analytics']), false);
  assert.deepEqual(expireDisallowedCookies(['_ga'], registry.cookies, granted, '127.0.0.1'), []);
});

test('the CSP names only the consented vendors’ hosts, per directive', () => {
  assert.doesNotMatch(buildCsp(effectiveConsent(registry, null, false), true), /https:\/\//);
  const csp = buildCsp(effectiveConsent(registry, stored(['marketing'], ['criteo']), false), false);
  const criteo = registry.vendors.find((v) => v.template.id === 'criteo')!.template.hosts;
  for (const host of criteo.script)
    assert.match(csp, new RegExp(`script-src 'self'[^;]* https://${host.replace(/[.*]/g, '\\$&')}`));
  assert.doesNotMatch(csp, /googletagmanager/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('GPC removes marketing from a state recorded without the signal, not from one recorded with it', () => {
  assert.ok(!effectiveConsent(registry, stored(['marketing'], ['criteo']), true).categories.has('marketing'));
  assert.ok(
    effectiveConsent(registry, { ...stored(['marketing'], ['criteo']), gpc: true }, true).categories.has('marketing'),
  );
  assert.ok(effectiveConsent(registry, stored(['marketing'], ['criteo']), false).categories.has('marketing'));
});
