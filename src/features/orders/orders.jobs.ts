// The orders feature's job: settling card and wallet orders whose payment result has not come back yet.
import type { Job } from '../../feature.ts';
import { MINUTE } from '../../platform/clock.ts';
import { reconcilePayments } from './orders.service.ts';

export const reconcilePaymentsJob: Job<'db' | 'clock' | 'config' | 'payments' | 'dataMap' | 'log'> = {
  name: 'orders.reconcile-payments',
  everyMs: MINUTE,
  run: async (deps) => {
    await reconcilePayments(deps);
  },
};
