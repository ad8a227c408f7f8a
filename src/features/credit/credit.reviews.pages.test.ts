// The review request page as a pure function: with several declined checks, a refused request's typed statement
// and its message appear in the form of the check it was about, and in no other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { html } from '../../platform/html.ts';
import type { PageContext } from '../../web/index.ts';
import { decisionReviewPage } from './credit.reviews.pages.ts';
import type { ReviewableCheck } from './credit.reviews.service.ts';

const ctx: PageContext = {
  lang: 'en',
  viewer: null,
  csrfToken: () => 'token',
  path: '/account/decision-review',
  company: 'Shop',
  slots: () => ({ head: html``, top: html`` }),
  navigation: [],
  social: [],
  timeZone: 'Europe/Berlin',
};

const check = (id: string): ReviewableCheck => ({
  id,
  answeredAt: Date.UTC(2026, 11, 4),
  amountCents: 1990,
  method: 'invoice',
  billing: { name: 'Rita Review', street: 'Weg 1', postalCode: '99999', city: 'Berlin', country: 'DE' },
});

/** The form section of each check, by its id. */
function formsOf(page: string): Map<string, string> {
  const sections = page.split('<section class="card">').slice(1);
  return new Map(sections.map((s) => [/name="checkId" value="([^"]+)"/.exec(s)![1]!, s]));
}

test('a refused request shows the typed statement and its message only in the form of the check it was about', () => {
  const page = decisionReviewPage(ctx, {
    checks: [check('check-one'), check('check-two'), check('check-three')],
    reviews: [],
    sent: false,
    alternatives: { en: 'Pay by card.', de: 'Mit Karte zahlen.' },
    error: { en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' },
    fieldErrors: { statement: { en: 'At most 2000 characters.', de: 'Höchstens 2000 Zeichen.' } },
    statement: 'My typed statement',
    checkId: 'check-two',
  });
  const forms = formsOf(page);
  assert.equal(forms.size, 3);
  assert.match(forms.get('check-two')!, /My typed statement/);
  assert.match(forms.get('check-two')!, /At most 2000 characters\.[\s\S]*aria-invalid="true"/);
  for (const other of ['check-one', 'check-three']) {
    assert.doesNotMatch(forms.get(other)!, /My typed statement/, other);
    assert.doesNotMatch(forms.get(other)!, /At most 2000 characters|aria-invalid/, other);
  }
});
