import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  deriveSecret,
  hideSecrets,
  isDerivedSecret,
  issueSecret,
  revealSecrets,
  secretPlaceholder,
} from './secret-links.ts';

const KEY = 'test-secret-0123456789abcdef0123456789abcdef';
const TO = 'ada@example.org';

test('a placeholder becomes the token only when revealed with the key, and is shown as hidden otherwise', () => {
  const { token, placeholder } = issueSecret(KEY, 'account-reset-password', TO);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!placeholder.includes(token));
  const stored = `Use this link:\n\nhttps://shop.example/account/password-reset/confirm?token=${placeholder}\n\nThanks`;
  assert.equal(
    revealSecrets(KEY, stored, TO),
    `Use this link:\n\nhttps://shop.example/account/password-reset/confirm?token=${token}\n\nThanks`,
  );
  assert.equal(hideSecrets(stored, '[link hidden]'), 'Use this link:\n\n[link hidden]\n\nThanks');
  assert.equal(revealSecrets('another-secret-0123456789abcdef0123456789', stored, TO), stored);
});

test('tokens of one purpose are no tokens of another, and a fresh token is issued each time', () => {
  const a = issueSecret(KEY, 'account-verify-email', TO);
  const b = issueSecret(KEY, 'account-verify-email', TO);
  assert.notEqual(a.token, b.token);
  assert.notEqual(
    deriveSecret(KEY, 'account-verify-email', 'ref1'),
    deriveSecret(KEY, 'account-reset-password', 'ref1'),
  );
  assert.throws(() => secretPlaceholder(KEY, 'Bad Purpose', 'x', TO));
  assert.throws(() => secretPlaceholder(KEY, 'ok', 'has:colon', TO));
});

test('one-click unsubscribe links mailed before secret links existed still verify', () => {
  const userId = '7a4d3491-8e8d-44d7-b3eb-f09f309d929f';
  const old = createHmac('sha256', KEY).update(`advertising-opt-out:${userId}`).digest('base64url');
  assert.ok(isDerivedSecret(KEY, 'advertising-opt-out', userId, old));
  const tampered = `${old[0] === 'A' ? 'B' : 'A'}${old.slice(1)}`;
  assert.ok(!isDerivedSecret(KEY, 'advertising-opt-out', userId, tampered));
  assert.ok(!isDerivedSecret(KEY, 'advertising-opt-out', 'bad:ref', old));
});

test('a placeholder typed by a customer (a name, an address) is never turned into a token', () => {
  const userId = '7a4d3491-8e8d-44d7-b3eb-f09f309d929f';
  const real = secretPlaceholder(KEY, 'advertising-opt-out', userId, TO);
  const tag = real.slice(real.lastIndexOf(':') + 1, -2);
  const forged = [
    `{{secret:advertising-opt-out:${userId}}}`,
    `{{secret:advertising-opt-out:${userId}:${'A'.repeat(22)}}}`,
    `{{secret:advertising-opt-out:other-user:${tag}}}`,
  ];
  for (const text of forged) assert.equal(revealSecrets(KEY, `Hello ${text}`, TO), `Hello ${text}`);
  assert.equal(revealSecrets(KEY, real, TO), deriveSecret(KEY, 'advertising-opt-out', userId));
});

test("a placeholder copied from someone else's stored mail into one's own stays text in one's own mail", () => {
  const victims = issueSecret(KEY, 'account-reset-password', TO);
  const intoAttackersMail = `Hello ${victims.placeholder},\n\nplease confirm your address.`;
  assert.equal(revealSecrets(KEY, intoAttackersMail, 'mallory@example.org'), intoAttackersMail);
  assert.ok(
    revealSecrets(KEY, intoAttackersMail, 'ADA@example.org').includes(victims.token),
    'the address is compared without case',
  );
});
