// What a customer who pays on invoice needs to transfer the money: the operator's bank account, the reference
// (the order number, which the customer has on every page and mail), the amount and the due date. The due date is
// the end of the operator's calendar day `paymentTermDays` after the invoice date (the order's day there).
import { DAY } from '../../platform/clock.ts';
import { formatDay, startOfZoneDay } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';

export interface InvoicePaymentDetails {
  accountHolder: string;
  iban: string;
  bic: string;
  bank: string;
  reference: string;
  /** The last moment of the due day, in the operator's time zone. */
  dueAt: number;
  amountCents: number;
}

/** The payment details of an order on invoice; null for any other payment method. */
export function invoicePaymentDetails(
  operator: Operator,
  order: { number: string; created_at: number; payment_method: string; total_cents: number },
): InvoicePaymentDetails | null {
  if (order.payment_method !== 'invoice') return null;
  const { accountHolder, iban, bic, bank } = operator.bankAccount;
  return {
    accountHolder,
    iban,
    bic,
    bank,
    reference: order.number,
    dueAt: endOfDayAfter(order.created_at, operator.paymentTermDays, operator.timeZone),
    amountCents: order.total_cents,
  };
}

/** "DE36 0000 0000 …": an IBAN in groups of four, as it is printed and read aloud. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A day (a due date) as the operator's calendar shows it: the platform's one day format. */
export { formatDay };

/** The last millisecond of the calendar day `days` after the day of `at`, both days as the zone's clock shows them. */
export function endOfDayAfter(at: number, days: number, timeZone: string): number {
  return startOfZoneDay(at, days + 1, timeZone) - 1;
}

/** One reminder of the operator's schedule: its number (1, 2, …) and when it is due. */
export interface ReminderStep {
  level: number;
  at: number;
}

/**
 * The next reminder of an unpaid invoice, or null when every reminder of the schedule went out. Reminder n is due
 * as the operator's day `paymentReminderDays[n-1]` days after the due day begins, and never sooner after the one
 * before than the schedule's gap (a worker that was stopped for weeks sends one reminder, not all at once).
 */
export function nextReminder(
  operator: Pick<Operator, 'paymentReminderDays' | 'timeZone'>,
  dueAt: number,
  sent: { level: number; sent_at: number }[],
): ReminderStep | null {
  const days = operator.paymentReminderDays;
  const last = sent.reduce<{ level: number; sent_at: number } | undefined>(
    (a, b) => (a === undefined || b.level > a.level ? b : a),
    undefined,
  );
  const level = (last?.level ?? 0) + 1;
  if (level > days.length) return null;
  // The due day ends at dueAt; the day N days after it begins one millisecond after the end of the day before.
  const planned = endOfDayAfter(dueAt, days[level - 1]! - 1, operator.timeZone) + 1;
  if (!last) return { level, at: planned };
  const gap = (days[level - 1]! - (days[last.level - 1] ?? 0)) * DAY;
  return { level, at: Math.max(planned, last.sent_at + gap) };
}
