import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDataMap } from '../../testing/app.ts';

test('the data map says honestly why sign-in counters are left out of an export: pseudonymous (recomputable from an address), short-lived, a counter only', () => {
  const table = createDataMap().tables.find((t) => t.table === 'account_limits');
  const reason = table?.unlinkedBecause;
  assert.ok(reason);
  assert.doesNotMatch(reason.en, /cannot be read back/);
  assert.doesNotMatch(reason.de, /nicht zurückführen/);
  assert.match(reason.en, /pseudonymous/);
  assert.match(reason.en, /recompute/);
  assert.match(reason.de, /pseudonym/);
  assert.match(reason.de, /berechnen/);
});
