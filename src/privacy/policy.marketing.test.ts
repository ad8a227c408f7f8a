// Issue 13, point 8: the generated policy describes the newsletter, the purchasers' product suggestions, surveys,
// competitions and the suppression list from the data map, in English and German, each with its legal basis,
// what is kept and for how long, and who receives it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDataMap } from '../testing/app.ts';
import { tr } from '../platform/i18n.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { demoOperator } from '../platform/operator.ts';
import { buildConsentRegistry, candorCookies } from './consent/registry.ts';
import { legalBasisArticle, type DataMap } from './data-map.ts';
import { renderPolicyBody } from './policy.pages.ts';

const dataMap: DataMap = createDataMap();
const registry = buildConsentRegistry(
  demoOperator,
  dataMap,
  candorCookies({ ...cookiePolicy('https://shop.example'), consent: 'candor_consent' }),
);

/** The text of one activity's section of the policy, tags removed. */
function section(lang: 'en' | 'de', id: string): string {
  const body = String(renderPolicyBody(lang, { dataMap, operator: demoOperator, registry }));
  const start = body.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `${lang}: the policy has no section for ${id}`);
  const end = body.indexOf('</section>', start);
  return body
    .slice(start, end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

const germanArticle = (article: string) =>
  article.replace(/^Art\. (\d+)\((\d)\)\(([a-f])\) GDPR$/, 'Art. $1 Abs. $2 lit. $3 DSGVO');

const marketing: { id: string; basis: keyof typeof legalBasisArticle }[] = [
  { id: 'newsletter.subscriptions', basis: 'consent' },
  { id: 'advertising.similar-products', basis: 'legitimate-interests' },
  { id: 'surveys.invitations', basis: 'consent' },
  { id: 'mail.suppression', basis: 'legal-obligation' },
];

for (const { id, basis } of marketing) {
  test(`the policy describes ${id} from the data map in English and German, with its legal basis`, () => {
    const activity = dataMap.activity(id);
    assert.equal(activity.legalBasis, basis);
    for (const lang of ['en', 'de'] as const) {
      const text = section(lang, id);
      assert.ok(text.includes(tr(lang, activity.name)), `${lang} ${id}: name`);
      assert.ok(text.includes(tr(lang, activity.purpose).slice(0, 60)), `${lang} ${id}: purpose`);
      const article = legalBasisArticle[basis];
      assert.ok(text.includes(lang === 'en' ? article : germanArticle(article)), `${lang} ${id}: ${article}`);
    }
  });
}

test('the policy describes competitions: what an entrant must give, and that it is deleted after the draw', () => {
  const id = dataMap.activities.find((a) => a.id.startsWith('competitions.'))?.id;
  assert.ok(id, 'a competitions activity');
  for (const lang of ['en', 'de'] as const) {
    const body = String(renderPolicyBody(lang, { dataMap, operator: demoOperator, registry })).replace(/\s+/g, ' ');
    // Art. 13(2)(e): what must be given to take part (its own list in the policy), then the activity's section.
    const start = body.indexOf(`id="requirement-${id}"`);
    assert.ok(start >= 0, `${lang}: the requirement of ${id} is listed`);
    const requirement = body.slice(start, body.indexOf('</li>', start));
    for (const word of lang === 'en'
      ? ['given name', 'surname', 'email address', 'country']
      : ['Vorname', 'Nachname', 'E-Mail-Adresse', 'Land'])
      assert.ok(requirement.includes(word), `${lang}: names ${word}`);
    // An entrant gives a country, not a postal address: the policy must not claim more than is collected.
    assert.ok(section(lang, id).includes(lang === 'en' ? 'country of residence' : 'Wohnsitzland'), `${lang}: country`);
    assert.ok(!section(lang, id).includes(lang === 'en' ? 'postal address' : 'Postanschrift'), `${lang}: no address`);
    assert.match(
      section(lang, id),
      lang === 'en' ? /deleted at the moment the winners are drawn/ : /im Moment der Auslosung gelöscht/,
    );
  }
});

test('the newsletter names the mail provider that sends it and the double opt-in with its proof', () => {
  const en = section('en', 'newsletter.subscriptions');
  const de = section('de', 'newsletter.subscriptions');
  assert.match(en, /double opt-in/i);
  assert.match(de, /Double-Opt-In/i);
  assert.match(en, /shortened IP address/);
  assert.match(de, /gekürzte IP-Adresse/);
  // Every newsletter mail leaves through the outbox and, where configured, the relay: the reader is told so here.
  assert.match(en, /email delivery provider|Sending emails/);
  assert.match(de, /E-Mail-Versanddienstleister|E-Mail-Versand/);
});
