// The payment details of an order on invoice come from the operator file: the bank account (a real file must name
// a valid one), the reference (the order number) and the due date, the end of the operator's day `paymentTermDays`
// after the order; the reminder schedule counts from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { demoOperator, isIban, validateOperator } from '../../platform/operator.ts';
import { endOfDayAfter, formatDay, formatIban, invoicePaymentDetails, nextReminder } from './payment-details.ts';

const order = (payment_method: string, created_at = Date.parse('2026-11-29T10:00:00Z')) => ({
  number: '2026-ABCDEF1234',
  created_at,
  payment_method,
  total_cents: 19900,
});

test('an invoice order is paid to the operator’s account with the order number as reference, due 14 days after the order', () => {
  const details = invoicePaymentDetails(demoOperator, order('invoice'));
  assert.ok(details);
  assert.equal(details.reference, '2026-ABCDEF1234');
  assert.equal(details.amountCents, 19900);
  assert.equal(details.iban, demoOperator.bankAccount.iban);
  assert.equal(details.bank, 'Demobank Beispiel (demo, not a real bank)', 'the demo bank says it is one');
  // 29 November + 14 days: the whole of 13 December in Berlin (CET, UTC+1) is still in time.
  assert.equal(new Date(details.dueAt).toISOString(), '2026-12-13T22:59:59.999Z');
  assert.equal(formatDay('en', details.dueAt, 'Europe/Berlin'), '13 December 2026');
  assert.equal(formatDay('de', details.dueAt, 'Europe/Berlin'), '13. Dezember 2026');
  assert.equal(invoicePaymentDetails(demoOperator, order('card')), null);
  assert.equal(invoicePaymentDetails(demoOperator, order('wallet')), null);
  const thirty = invoicePaymentDetails({ ...demoOperator, paymentTermDays: 30 }, order('invoice'));
  assert.equal(formatDay('en', thirty!.dueAt, 'Europe/Berlin'), '29 December 2026');
});

test('the due day is the operator’s calendar day, across a change of the clocks and at midnight', () => {
  // 00:30 on 20 October in Berlin (summer time) is still 19 October in UTC; 14 days later the clocks went back.
  const due = endOfDayAfter(Date.parse('2026-10-19T22:30:00Z'), 14, 'Europe/Berlin');
  assert.equal(new Date(due).toISOString(), '2026-11-03T22:59:59.999Z');
  // The same moment in New York is 19 October: due at the end of 2 November there (EST, UTC-5).
  const ny = endOfDayAfter(Date.parse('2026-10-19T22:30:00Z'), 14, 'America/New_York');
  assert.equal(new Date(ny).toISOString(), '2026-11-03T04:59:59.999Z');
});

test('reminders follow the schedule after the due date, one at a time, and end with it', () => {
  const dueAt = Date.parse('2026-12-13T22:59:59.999Z');
  const op = { paymentReminderDays: [7, 21], timeZone: 'Europe/Berlin' };
  // Due on 13 December: the first reminder as 20 December begins in Berlin, the second as 3 January begins.
  const first = Date.parse('2026-12-19T23:00:00Z');
  assert.deepEqual(nextReminder(op, dueAt, []), { level: 1, at: first });
  assert.deepEqual(nextReminder(op, dueAt, [{ level: 1, sent_at: first }]), {
    level: 2,
    at: Date.parse('2027-01-02T23:00:00Z'),
  });
  // The first went out late (the worker was stopped): the second keeps the schedule's gap of 14 days after it.
  const late = dueAt + 30 * DAY;
  assert.deepEqual(nextReminder(op, dueAt, [{ level: 1, sent_at: late }]), { level: 2, at: late + 14 * DAY });
  assert.equal(
    nextReminder(op, dueAt, [
      { level: 1, sent_at: dueAt + 7 * DAY },
      { level: 2, sent_at: dueAt + 21 * DAY },
    ]),
    null,
  );
  assert.equal(nextReminder({ ...op, paymentReminderDays: [] }, dueAt, []), null, 'no schedule, no reminders');
});

test('IBANs are checked by their check digits and printed in groups of four', () => {
  assert.ok(isIban('DE89370400440532013000'));
  assert.ok(!isIban('DE88370400440532013000'), 'one check digit off');
  assert.ok(isIban(demoOperator.bankAccount.iban), 'the demo’s made-up IBAN is well-formed');
  assert.equal(formatIban('DE89370400440532013000'), 'DE89 3704 0044 0532 0130 00');
});

const realFile = {
  company: 'Real Audio AG',
  address: ['Hauptstraße 1', '80331 München', 'Deutschland'],
  email: 'info@real-audio.de',
  registry: 'Amtsgericht München, HRB 123456',
  vatId: 'DE123456789',
  representedBy: ['Rita Real'],
  phone: '+49 89 1234560',
  dpo: { name: 'Pat DPO', email: 'dpo@real-audio.de' },
  supervisoryAuthority: {
    name: 'Bayerisches Landesamt für Datenschutzaufsicht',
    address: ['Promenade 18', '91522 Ansbach', 'Deutschland'],
    url: 'https://www.lda.bayern.de',
  },
  recipients: {
    'delivery-company': { name: 'Paketdienst Real GmbH', address: ['Paketweg 1', '53113 Bonn', 'Deutschland'] },
  },
  bankAccount: {
    accountHolder: 'Real Audio AG',
    iban: 'de89 3704 0044 0532 0130 00',
    bic: 'cobadeffxxx',
    bank: 'Commerzbank',
  },
  carriers: [{ id: 'dhl', name: 'DHL Paket', trackingUrl: 'https://www.dhl.de/track?piececode={tracking}' }],
};

test('a real operator file names a valid bank account and at least one carrier; term and reminders have defaults', () => {
  const { operator, problems } = validateOperator(realFile);
  assert.deepEqual(problems, []);
  assert.equal(operator?.bankAccount.iban, 'DE89370400440532013000', 'kept without spaces, in capitals');
  assert.equal(operator?.bankAccount.bic, 'COBADEFFXXX');
  assert.equal(operator?.paymentTermDays, 14);
  assert.deepEqual(operator?.paymentReminderDays, [7, 21]);

  const without = (key: string) => Object.fromEntries(Object.entries(realFile).filter(([k]) => k !== key));
  assert.match(validateOperator(without('bankAccount')).problems.join('\n'), /bankAccount is missing/);
  assert.match(validateOperator(without('carriers')).problems.join('\n'), /carriers is missing/);
  const bad = validateOperator({
    ...realFile,
    bankAccount: { ...realFile.bankAccount, iban: 'DE88 3704 0044 0532 0130 00', bic: 'XX' },
    carriers: [{ id: 'dhl', name: 'DHL', trackingUrl: 'https://www.dhl.de/track' }],
    paymentTermDays: 0,
    paymentReminderDays: [21, 7],
  }).problems.join('\n');
  assert.match(bad, /bankAccount\.iban must be a valid IBAN/);
  assert.match(bad, /bankAccount\.bic must be a BIC/);
  assert.match(bad, /carriers\[0\] must be .*\{tracking\}/);
  assert.match(bad, /paymentTermDays must be a whole number/);
  assert.match(bad, /paymentReminderDays must be a list of at most 5 ascending/);
  // The demo's made-up account and carrier may not be copied into a real file.
  const copied = validateOperator({
    ...realFile,
    bankAccount: { ...demoOperator.bankAccount, bank: 'Some Bank' },
    carriers: demoOperator.carriers,
  }).problems.join('\n');
  assert.match(copied, /bankAccount\.iban holds the fictional demo company's value/);
  assert.match(copied, /carriers \(paketbote\) holds the fictional demo company's value/);
});
