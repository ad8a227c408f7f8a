// The published policy on contact and support (issue 14, point 7), generated from the data map: contact by mail and
// form, the helpdesk for registered customers, the saved system profile, repairs with the return address asked only
// for them and deleted after its period, the recipients (repair workshop, delivery company), the ticket period and
// the exception for business letters (§ 257 HGB) and legal claims. English and German alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lang } from '../platform/i18n.ts';
import { elementById, policyBodies, policyInput, textOf } from '../testing/policy.ts';

const bodies = policyBodies(policyInput());
const section = (lang: Lang, id: string): string => {
  const found = elementById(bodies[lang], id);
  assert.ok(found, `the policy (${lang}) has a section ${id}`);
  return textOf(found);
};

const expected: Record<Lang, Record<string, RegExp[]>> = {
  en: {
    'support.contact': [
      /Contact by email or form/,
      /through the contact form or by email/,
      /Art\. 6\(1\)\(f\) GDPR/,
      /Tickets are deleted 730 days after they are closed/,
      /business letter and is kept 6 years from the end of the calendar year it was closed \(§ 257 HGB\)/,
    ],
    'support.helpdesk': [
      /Helpdesk for customers/,
      /registered customers/,
      /open in your account/,
      /the files you attach/,
      /Art\. 6\(1\)\(b\) GDPR/,
      /730 days after it was closed/,
      /§ 257\(1\) no\. 2 and \(4\) HGB/,
      /legal claim/,
    ],
    'support.system-profiles': [
      /Saved system profile/,
      /attach them to a support request in one click/,
      /change or delete them at any time/,
      /kept until you delete it/,
    ],
    'support.repairs': [
      /Repairs/,
      /we ask for your postal address only for a repair/,
      /delete it 30 days after the repair is closed/,
      /Postal addresses given for repairs are removed 30 days after the repair being closed/,
      /the repair workshop\. Company: .+ Role: processor \(Art\. 28 GDPR\)/,
      /the delivery company \(hardware only\)\. Company: .+ Role: independent controller/,
      /§ 257\(1\) no\. 2 and \(4\) HGB/,
    ],
  },
  de: {
    'support.contact': [
      /Kontakt per E-Mail oder Formular/,
      /über das Kontaktformular oder per E-Mail/,
      /Art\. 6 Abs\. 1 lit\. f DSGVO/,
      /Tickets werden 730 Tage nach ihrem Abschluss gelöscht/,
      /Handelsbrief und wird 6 Jahre ab Ende des Kalenderjahres seines Abschlusses aufbewahrt \(§ 257 HGB\)/,
    ],
    'support.helpdesk': [
      /Helpdesk für Kunden/,
      /registrierte Kunden/,
      /in Ihrem Kundenkonto stellen/,
      /die Dateien, die Sie anhängen/,
      /Art\. 6 Abs\. 1 lit\. b DSGVO/,
      /730 Tage nach seinem Abschluss/,
      /§ 257 Abs\. 1 Nr\. 2, Abs\. 4 HGB/,
      /Rechtsanspruch/,
    ],
    'support.system-profiles': [
      /Gespeichertes Systemprofil/,
      /mit einem Klick an eine Supportanfrage hängen/,
      /jederzeit ändern oder löschen/,
      /bis Sie es im Kundenkonto löschen/,
    ],
    'support.repairs': [
      /Reparaturen/,
      /Wir fragen Ihre Postanschrift nur für eine Reparatur ab/,
      /löschen sie 30 Tage nach Abschluss der Reparatur/,
      /Die für Reparaturen angegebenen Postanschriften werden 30 Tage nach dem Abschluss der Reparatur entfernt/,
      /die Reparaturwerkstatt\. Unternehmen: .+ Rolle: Auftragsverarbeiter \(Art\. 28 DSGVO\)/,
      /das Versandunternehmen \(nur Hardware\)\. Unternehmen: .+ Rolle: eigenständig Verantwortlicher/,
      /§ 257 Abs\. 1 Nr\. 2, Abs\. 4 HGB/,
    ],
  },
};

for (const lang of ['en', 'de'] as const)
  test(`the policy (${lang}) describes contact, helpdesk, system profile and repairs with purpose, basis, recipients and periods`, () => {
    for (const [id, patterns] of Object.entries(expected[lang])) {
      const text = section(lang, id);
      for (const p of patterns) assert.match(text, p, `${id} (${lang})`);
    }
  });

test('the repair workshop receives name, address, serial number and fault; the delivery company name and address only', () => {
  const workshop = textOf(elementById(bodies.en, 'support.repairs--repair-workshop') ?? '');
  for (const field of ['name for the return', 'postal code', 'serial number of the unit', 'the fault as described'])
    assert.ok(workshop.includes(field), `workshop: ${field}`);
  const delivery = textOf(elementById(bodies.en, 'support.repairs--delivery-company') ?? '');
  assert.ok(delivery.includes('postal code'));
  for (const field of ['serial', 'fault']) assert.ok(!delivery.includes(field), `delivery company: no ${field}`);
});

test('contact and helpdesk name no recipient: nothing of them leaves the company', () => {
  for (const id of ['support.contact', 'support.helpdesk']) {
    assert.match(section('en', id), /Who receives it Nobody outside our company/);
    assert.match(section('de', id), /Empfänger Niemand außerhalb unseres Unternehmens/);
  }
});
