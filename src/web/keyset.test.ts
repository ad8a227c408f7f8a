// The one keyset cursor of the staff lists: what a page writes, the next request reads back unchanged; anything
// else is a 400 with the same words in English and German on every list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../platform/errors.ts';
import { encodeCursor, parseNumberCursor, parseTextCursor } from './keyset.ts';

const refused = (fn: () => unknown) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 400);
    assert.equal(err.text.en, 'This page address is not valid; start again from the first page.');
    assert.equal(err.text.de, 'Diese Seitenadresse ist ungültig; beginnen Sie bitte wieder auf der ersten Seite.');
    return true;
  });

describe('keyset cursors', () => {
  it('reads back what it wrote: a time, a negative position, an address with dots', () => {
    const id = '0b6f3c1e-8d2a-4c55-9a51-1f0e9f3e2a10';
    assert.deepEqual(parseNumberCursor(encodeCursor(1_764_979_200_000, id)), { value: 1_764_979_200_000, id });
    assert.deepEqual(parseNumberCursor(encodeCursor(-3, 'abc_DEF')), { value: -3, id: 'abc_DEF' });
    assert.deepEqual(parseTextCursor(encodeCursor('a.b@example.de', id)), { value: 'a.b@example.de', id });
  });

  it('takes no cursor as the first page', () => {
    assert.equal(parseNumberCursor(undefined), undefined);
    assert.equal(parseNumberCursor(''), undefined);
    assert.equal(parseTextCursor(''), undefined);
  });

  it('refuses what no page wrote, in English and German', () => {
    for (const raw of ['nonsense', '12', '.abc', '12.', 'x.abc', '1.5.abc', '12_abc', '1e3.abc', '99999999999999999.a'])
      refused(() => parseNumberCursor(raw));
    refused(() => parseNumberCursor(`1.${'a'.repeat(65)}`));
    refused(() => parseTextCursor('a@b.c.d e'));
    refused(() => parseTextCursor(`${'x'.repeat(400)}.abc`));
  });
});
