import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseEmail } from './address.ts';

test('one mailbox is one address: case, compatibility forms, spaces and both spellings of an international domain', () => {
  const cases: [string, string][] = [
    ['Anna@Example.ORG', 'anna@example.org'],
    ['  anna@example.org ', 'anna@example.org'],
    ['ａｎｎａ@example.org', 'anna@example.org'],
    ['victim@exämple.net', 'victim@exämple.net'],
    ['victim@xn--exmple-cua.net', 'victim@exämple.net'],
    ['Victim@XN--EXMPLE-CUA.NET', 'victim@exämple.net'],
    ['jo@münchen.de', 'jo@münchen.de'],
    ['jo@xn--mnchen-3ya.de', 'jo@münchen.de'],
  ];
  for (const [typed, stored] of cases) assert.equal(normaliseEmail(typed), stored, typed);
});

test('what is not an address stays as typed (lower-cased), for the address check to refuse', () => {
  assert.equal(normaliseEmail('no-at-sign'), 'no-at-sign');
  assert.equal(normaliseEmail('a@bad..domain'), 'a@bad..domain');
});
