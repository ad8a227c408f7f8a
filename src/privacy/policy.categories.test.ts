// The published "Which data" of every activity is what the data map classifies: the columns of its own tables,
// the columns of other tables it declares it uses, and its files. Computed here from the map itself, not through
// the policy's own code, so that neither side can drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policyBodies, policyInput } from '../testing/policy.ts';
import { createDataMap } from '../testing/app.ts';
import { escapeHtml } from '../platform/html.ts';
import type { Lang } from '../platform/i18n.ts';
import { categoryNames, type Activity, type Category, type DataMap } from './data-map.ts';

const langs: Lang[] = ['en', 'de'];

/** The categories of the columns and files an activity touches, straight from the map. */
function classificationsOf(map: DataMap, activity: Activity): Set<Category> {
  const found = new Set<Category>();
  const add = (c: string | undefined) => {
    if (c !== undefined && c !== 'not-personal') found.add(c as Category);
  };
  for (const table of map.tables) {
    const own = table.activity === activity.id;
    // Records of objections are listed with each activity one can object to.
    const objections = table.describesObjectable === true && activity.objectable === true;
    if (own || objections) for (const c of Object.values(table.columns)) add(c);
  }
  for (const use of activity.uses ?? []) {
    const table = map.tables.find((t) => t.table === use.table);
    assert.ok(table, `${activity.id} uses unknown table ${use.table}`);
    for (const column of use.columns) {
      assert.ok(column in table.columns, `${activity.id} uses unknown column ${use.table}.${column}`);
      add(table.columns[column]);
    }
  }
  for (const set of map.files) if (set.activity === activity.id) for (const c of set.contents) add(c);
  return found;
}

/** The entries of the "Which data" list in the activity's section of the rendered policy. */
function listedCategories(body: string, lang: Lang, activityId: string): string[] | undefined {
  const label = lang === 'de' ? 'Welche Daten' : 'Which data';
  const id = activityId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<section id="${id}">[\\s\\S]*?<dt>${label}</dt><dd>([\\s\\S]*?)</dd>`).exec(body);
  return match?.[1]?.split('; ').filter((s) => s !== '');
}

function render(map: DataMap = createDataMap()) {
  return { map, bodies: policyBodies(policyInput(map)) };
}

const named = (lang: Lang, c: Category) => escapeHtml(categoryNames[c][lang]);

test('every activity lists exactly the classifications of the columns and files it uses, in English and German', () => {
  const { map, bodies } = render();
  let checked = 0;
  for (const activity of map.activities) {
    const expected = classificationsOf(map, activity);
    for (const lang of langs) {
      const listed = listedCategories(bodies[lang], lang, activity.id);
      if (expected.size === 0) {
        assert.equal(listed, undefined, `${activity.id} holds no personal data but lists some (${lang})`);
        continue;
      }
      assert.ok(listed, `${activity.id} has no "Which data" in the ${lang} policy`);
      assert.deepEqual([...listed].sort(), [...expected].map((c) => named(lang, c)).sort(), `${activity.id} (${lang})`);
      assert.equal(new Set(listed).size, listed.length, `${activity.id} lists a category twice (${lang})`);
    }
    if (expected.size > 0) checked++;
  }
  assert.ok(checked >= 15, `only ${checked} activities checked`);
});

test('registration and activation list serial numbers, licence keys and the fingerprint hash, not the browser', () => {
  const { bodies } = render();
  for (const lang of langs) {
    const registration = listedCategories(bodies[lang], lang, 'registrations.hardware') ?? [];
    const licences = listedCategories(bodies[lang], lang, 'licences.software-activation') ?? [];
    assert.ok(registration.includes(named(lang, 'product-identifier')), `registration, ${lang}: ${registration}`);
    assert.ok(licences.includes(named(lang, 'product-identifier')), `licences, ${lang}: ${licences}`);
    assert.ok(licences.includes(named(lang, 'machine-identifier')), `licences, ${lang}: ${licences}`);
    for (const list of [registration, licences]) assert.ok(!list.includes(named(lang, 'device')), `${lang}: ${list}`);
  }
  // The request log, whose columns really are the browser and system, keeps them.
  assert.ok(listedCategories(bodies.en, 'en', 'usage.request-log')?.includes(named('en', 'device')));
});

test('the mail about similar products lists name, email, language and purchases', () => {
  const { bodies } = render();
  for (const lang of langs) {
    const listed = listedCategories(bodies[lang], lang, 'advertising.similar-products') ?? [];
    for (const c of ['identity', 'contact', 'language', 'purchases'] as const)
      assert.ok(listed.includes(named(lang, c)), `${c} missing in ${lang}: ${listed.join(' | ')}`);
  }
});

test('the mail activity names every kind of mail the outbox carries', () => {
  const { map, bodies } = render();
  const mail = map.activity('mail.service-messages');
  // Every activity that writes to the outbox declares it, and the mail activity's purpose names its kind of mail.
  const writers = map.activities.filter((a) => a.uses?.some((u) => u.table === 'outbox')).map((a) => a.id);
  for (const id of ['accounts.user-account', 'orders.purchase', 'advertising.similar-products'])
    assert.ok(writers.includes(id), `${id} does not declare that it writes mail`);
  assert.match(mail.purpose.en, /order confirmations/);
  assert.match(mail.purpose.en, /suggestions of similar products/);
  assert.match(mail.purpose.de, /Bestellbestätigungen/);
  assert.match(mail.purpose.de, /Vorschläge ähnlicher Produkte/);
  assert.doesNotMatch(bodies.en, /Service emails/);
});
