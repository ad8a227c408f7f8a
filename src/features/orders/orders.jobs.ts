// The orders feature's jobs: settling card and wallet orders whose payment result has not come back yet, settling
// or releasing refunds the provider did not answer (same key, so never paid twice), and reminding customers of
// unpaid invoices (orders.reminders.ts).
import type { Job } from '../../feature.ts';
import { HOUR, MINUTE } from '../../platform/clock.ts';
import { sendPaymentReminders } from './orders.reminders.ts';
import { reconcileRefunds } from './order-page.service.ts';
import { reconcilePayments } from './orders.service.ts';

export const reconcilePaymentsJob: Job<'db' | 'clock' | 'config' | 'payments' | 'dataMap' | 'log'> = {
  name: 'orders.reconcile-payments',
  everyMs: MINUTE,
  run: async (deps) => {
    await reconcilePayments(deps);
  },
};

export const reconcileRefundsJob: Job<'db' | 'clock' | 'payments'> = {
  name: 'orders.reconcile-refunds',
  everyMs: MINUTE,
  run: async (deps) => {
    await reconcileRefunds(deps);
  },
};

export const sendPaymentRemindersJob: Job<'db' | 'clock' | 'config'> = {
  name: 'orders.send-payment-reminders',
  everyMs: HOUR,
  run: async (deps) => {
    await sendPaymentReminders(deps);
  },
};
