// The one error summary every form shares: a message, then each field's problem linking to its control.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorSummary, fieldId } from './forms.ts';

test('the error summary lists every field problem in the form’s order, each a link to its field, in the visitor’s language', () => {
  const out = String(
    errorSummary(
      'de',
      { en: 'Please check.', de: 'Bitte prüfen.' },
      { 'a.city': { en: 'Missing.', de: 'Fehlt.' }, 'a.name': { en: 'Missing.', de: 'Fehlt.' } },
      { 'a.name': { en: 'Name', de: 'Name' } },
      ['a.name', 'a.city'],
    ),
  );
  assert.match(out, /role="alert" id="error-summary" tabindex="-1"/);
  assert.match(out, /<h2>Bitte korrigieren Sie 2 Angaben<\/h2><p>Bitte prüfen\.<\/p>/);
  assert.ok(
    out.indexOf(`href="#${fieldId('a.name')}">Name: Fehlt.`) < out.indexOf(`href="#${fieldId('a.city')}">Fehlt.`),
  );
  assert.equal(fieldId('billingAddress.name'), 'f-billingAddress-name');
});

test('a message alone is a summary without a list; nothing at all is no summary', () => {
  const out = String(errorSummary('en', { en: 'That did not work.', de: 'Das ging nicht.' }));
  assert.match(out, /<p>That did not work\.<\/p>/);
  assert.doesNotMatch(out, /<ul>|<h2>/);
  assert.equal(errorSummary('en', undefined, {}), '');
});
