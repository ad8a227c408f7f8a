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
  // The URL parser would cut these down to a valid domain; they must reach the address check as typed.
  for (const typed of [
    'eve@evil.example/unlock',
    'eve@evil.example?x',
    'eve@evil.example:80',
    'eve@evil%2eexample',
    'eve@a b.example',
  ])
    assert.equal(normaliseEmail(typed), typed, typed);
});
