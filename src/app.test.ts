import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildApp } from './app.ts';
import { features } from './features.ts';
import { openHarness, type Harness } from './testing/harness.ts';

let h: Harness;
before(async () => {
  h = await openHarness('sqlite');
});
after(() => h.close());

test('moving consent before accounts in the table of contents fails at start, naming the missing plugin', async () => {
  const consent = features.findIndex((f) => f.name === 'consent');
  const accounts = features.findIndex((f) => f.name === 'accounts');
  assert.ok(accounts >= 0 && consent > accounts, 'the real order puts accounts before consent');
  const wrong = features.filter((f) => f.name !== 'consent');
  wrong.splice(accounts, 0, features[consent] as (typeof features)[number]);
  assert.equal(
    wrong.findIndex((f) => f.name === 'consent'),
    accounts,
  );
  await assert.rejects(
    async () => (await buildApp(h.deps, wrong)).close(),
    (err: Error) => {
      assert.match(err.message, /Feature "consent" cannot start/);
      assert.match(err.message, /candor-session/);
      assert.match(err.message, /candor-consent/);
      return true;
    },
  );
});

test('the real order starts', async () => {
  const app = await buildApp(h.deps);
  await app.ready();
  await app.close();
});
