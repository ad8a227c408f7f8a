// Recording payment reminders. The decision whether an order is unpaid belongs to orders; here only the record of
// which reminder went out when, once per order and step (the unique key makes a rerun a no-op).
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { insertReminderOnce, listRemindersOfOrder } from './invoices.queries.ts';
import type { PaymentRemindersTable } from './invoices.tables.ts';

export type { PaymentRemindersTable };

export function listPaymentReminders(db: Deps['db'], orderId: string): Promise<PaymentRemindersTable[]> {
  return listRemindersOfOrder(db, orderId);
}

/** In the caller's transaction, with the reminder's mail: false when this step was already recorded (send nothing). */
export function recordPaymentReminder(
  db: Deps['db'],
  reminder: { orderId: string; userId: string; level: number; at: number },
): Promise<boolean> {
  return insertReminderOnce(db, {
    id: randomUUID(),
    order_id: reminder.orderId,
    user_id: reminder.userId,
    level: reminder.level,
    sent_at: reminder.at,
    restricted_at: null,
  });
}
