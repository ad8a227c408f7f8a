import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatEuro, negotiateLang, tr } from './i18n.ts';

test('euro amounts are formatted exactly as Intl formats them, in English and German', () => {
  const en = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
  const de = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });
  fc.assert(
    fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (cents) => {
      assert.equal(formatEuro('en', cents), en.format(cents / 100));
      assert.equal(formatEuro('de', cents), de.format(cents / 100));
    }),
    { numRuns: 2000 },
  );
});

test('texts take parameters; the language follows the cookie, then Accept-Language', () => {
  assert.equal(tr('de', { en: '{n} items', de: '{n} Artikel' }, { n: 3 }), '3 Artikel');
  assert.equal(tr('en', { en: 'plain', de: 'schlicht' }), 'plain');
  assert.equal(negotiateLang('de', 'en'), 'de');
  assert.equal(negotiateLang(undefined, 'fr-FR, de;q=0.8, en;q=0.5'), 'de');
  assert.equal(negotiateLang('xx', undefined), 'en');
});

test('a time is shown on the given zone’s clock with the zone named, in English and German; summer time follows the zone', async () => {
  const { formatTime, isTimeZone } = await import('./i18n.ts');
  const winter = Date.UTC(2026, 11, 5, 13, 30);
  const summer = Date.UTC(2026, 6, 1, 22, 5);
  assert.equal(formatTime('en', winter, 'Europe/Berlin'), '5 Dec 2026, 14:30 CET');
  assert.equal(formatTime('de', winter, 'Europe/Berlin'), '05.12.2026, 14:30 MEZ');
  assert.equal(formatTime('en', summer, 'Europe/Berlin'), '2 Jul 2026, 00:05 CEST');
  assert.equal(formatTime('de', summer, 'Europe/Berlin'), '02.07.2026, 00:05 MESZ');
  assert.equal(formatTime('en', winter, 'UTC'), '5 Dec 2026, 13:30 UTC');
  assert.ok(isTimeZone('America/New_York') && isTimeZone('UTC'));
  assert.ok(!isTimeZone('Mars/Olympus_Mons') && !isTimeZone('') && !isTimeZone(1));
});
