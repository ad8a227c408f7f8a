// One VAT label, one rate format and one country name for every place that shows them (checkout, order page,
// confirmation mail, invoice PDF).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countryName as platformCountryName } from '../platform/i18n.ts';
import { countryName, formatRate, vatLabel, vatPlacesOf } from './vat.ts';

test('the VAT label names each rate with its country, in the page’s language; none is "none"', () => {
  assert.equal(vatLabel('en', [{ rate: 19, country: 'DE' }]), 'Included VAT (19%, Germany)');
  assert.equal(vatLabel('de', [{ rate: 19, country: 'DE' }]), 'Enthaltene MwSt. (19 %, Deutschland)');
  assert.equal(
    vatLabel('de', [
      { rate: 19, country: 'DE' },
      { rate: 25.5, country: 'FI' },
      { rate: 0, country: 'CH' },
    ]),
    'Enthaltene MwSt. (19 %, Deutschland; 25,5 %, Finnland; keine, Schweiz)',
  );
  assert.equal(vatLabel('en', []), 'Included VAT');
});

test('the places of lines: distinct rate and country, in order; a line without a country is German (orders before 0031)', () => {
  assert.deepEqual(
    vatPlacesOf([{ vatRate: 19 }, { vatRate: 20, vatCountry: 'AT' }, { vatRate: 19, vatCountry: 'DE' }]),
    [
      { rate: 19, country: 'DE' },
      { rate: 20, country: 'AT' },
    ],
  );
});

test('one country name: the shop’s is the platform’s, and what is not a code stays as given', () => {
  assert.equal(countryName, platformCountryName);
  assert.equal(countryName('de', 'AT'), 'Österreich');
  assert.equal(countryName('en', 'DE'), 'Germany');
  assert.equal(countryName('en', 'Narnia'), 'Narnia');
  assert.equal(countryName('en', 'XX'), 'XX');
  // Asked again (the names are kept once looked up): the same answers, per language.
  assert.equal(countryName('de', 'AT'), 'Österreich');
  assert.equal(countryName('en', 'AT'), 'Austria');
  assert.equal(countryName('en', 'XX'), 'XX');
});

test('rates as each language writes them, from one formatter per language', () => {
  assert.equal(formatRate('de', 25.5), '25,5 %');
  assert.equal(formatRate('en', 25.5), '25.5%');
  assert.equal(formatRate('de', 19), '19 %');
  assert.equal(formatRate('en', 7), '7%');
});
