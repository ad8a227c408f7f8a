// The payment provider PAYMENT_PROVIDER names (config.ts refuses any other value); the composition root asks here.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PaymentProviderId } from '../../platform/config.ts';
import type { PaymentProvider } from '../../shop/payment-provider.ts';
import { createTestPaymentProvider } from './test-provider.ts';

export function createPaymentProvider(id: PaymentProviderId, db: Kysely<Database>, clock: Clock): PaymentProvider {
  switch (id) {
    case 'test':
      return createTestPaymentProvider(db, clock);
  }
}
