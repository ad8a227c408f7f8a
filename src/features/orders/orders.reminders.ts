// Payment reminders for orders on invoice (issue 11, point 6). Job orders.send-payment-reminders: for every order
// still `invoiced` whose next reminder of the operator's schedule (paymentReminderDays after the due date) has come,
// records the reminder and queues its mail in one transaction. Idempotent: a reminder is recorded once per order
// and step (unique key), and the order row is locked while invoiced, so a rerun, a second worker or staff marking
// the order paid at the same moment never cause a second or a late reminder. The amount claimed leaves out the
// lines the customer withdrew from (and the shipping once all goods are withdrawn); when nothing is left owed, no
// reminder goes out. All invoiced orders are looked at, page by page (a cursor), so newer ones are never starved.
import type { Deps } from '../../deps.ts';
import { findUserById } from '../accounts/index.ts';
import {
  invoicePaymentDetails,
  listPaymentReminders,
  nextReminder,
  recordPaymentReminder,
  type PaymentRemindersTable,
  type ReminderStep,
} from '../invoices/index.ts';
import { enqueueMail } from '../mail/index.ts';
import * as q from './orders.queries.ts';
import { paymentReminderMail } from './orders.reminder-emails.ts';
import type { OrdersTable } from './orders.tables.ts';
import { listWithdrawalsOfOrder } from './withdrawals.queries.ts';
import { amountOwedAfterWithdrawals } from './withdrawals.service.ts';

type ReminderDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** How many invoiced orders are read at once, oldest first; the run goes on page by page until all are seen. */
const BATCH = 500;

export async function sendPaymentReminders(
  deps: ReminderDeps,
  options: { batch?: number } = {},
): Promise<{ sent: number }> {
  let sent = 0;
  const batch = options.batch ?? BATCH;
  let cursor: OrdersTable | null = null;
  for (;;) {
    const page = await q.listOrdersInStatusAfter(deps.db, 'invoiced', cursor, batch);
    for (const order of page) if (await remindIfDue(deps, order)) sent++;
    if (page.length < batch) break;
    cursor = page[page.length - 1] as OrdersTable;
  }
  return { sent };
}

/** What the customer still owes of an order on invoice, after their withdrawals. */
async function amountOwed(db: Deps['db'], order: OrdersTable): Promise<number> {
  return amountOwedAfterWithdrawals(order, await listWithdrawalsOfOrder(db, order.id));
}

async function remindIfDue(deps: ReminderDeps, order: OrdersTable): Promise<boolean> {
  const operator = deps.config.operator;
  if (order.restricted_at !== null) return false;
  const details = invoicePaymentDetails(operator, order);
  if (!details) return false;
  const next = nextReminder(operator, details.dueAt, await listPaymentReminders(deps.db, order.id));
  const now = deps.clock.now();
  if (!next || next.at > now) return false;
  return deps.db.transaction().execute(async (trx) => {
    // Locks the row while it is still invoiced: a payment recorded meanwhile wins and nothing is sent.
    if (!(await q.updateOrderIfStatus(trx, order.id, 'invoiced', { status: 'invoiced' }))) return false;
    const current = await q.findOrderById(trx, order.id);
    const user = current && current.restricted_at === null ? await findUserById(trx, order.user_id) : undefined;
    if (!user) return false;
    // Read under the lock: a withdrawal made meanwhile lowers the claim, or leaves nothing to remind of.
    const owed = await amountOwed(trx, order);
    if (owed <= 0) return false;
    const payment = { ...details, amountCents: owed };
    if (!(await recordPaymentReminder(trx, { orderId: order.id, userId: order.user_id, level: next.level, at: now })))
      return false;
    const lang = user.lang === 'de' ? 'de' : 'en';
    await enqueueMail(
      trx,
      deps.clock,
      paymentReminderMail(lang, user.email, order, {
        level: next.level,
        payment,
        timeZone: operator.timeZone,
        baseUrl: deps.config.baseUrl,
        company: operator.company,
        contact: operator.email,
      }),
    );
    return true;
  });
}

/** What staff see of an order's reminders: the due date, those sent, and the next one (none once paid). */
export interface ReminderState {
  dueAt: number;
  sent: PaymentRemindersTable[];
  /** The next reminder while the order is unpaid; null when the schedule is done or the order is no longer open. */
  next: ReminderStep | null;
  /** The order is no longer waiting for its money (paid, cancelled, …): reminders stopped. */
  stopped: boolean;
}

export async function reminderStateOf(
  deps: Pick<Deps, 'db' | 'config'>,
  order: OrdersTable,
): Promise<ReminderState | null> {
  const payment = invoicePaymentDetails(deps.config.operator, order);
  if (!payment) return null;
  const sent = await listPaymentReminders(deps.db, order.id);
  const open = order.status === 'invoiced' && (await amountOwed(deps.db, order)) > 0;
  return {
    dueAt: payment.dueAt,
    sent,
    next: open ? nextReminder(deps.config.operator, payment.dueAt, sent) : null,
    stopped: !open,
  };
}
