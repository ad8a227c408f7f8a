// The payment provider PAYMENT_PROVIDER names (config.ts refuses any other value); the composition root asks here.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { PaymentProviderId } from '../../platform/config.ts';
import type { Company } from '../../platform/operator.ts';
import type { PaymentProvider } from '../../shop/payment-provider.ts';
import { createTestPaymentProvider, testProviderCompany } from './test-provider.ts';

export function createPaymentProvider(id: PaymentProviderId, db: Kysely<Database>, clock: Clock): PaymentProvider {
  switch (id) {
    case 'test':
      return createTestPaymentProvider(db, clock);
  }
}

/** The company behind the provider PAYMENT_PROVIDER names, for the data map before any adapter is made. */
export function paymentProviderCompany(id: PaymentProviderId): Company {
  switch (id) {
    case 'test':
      return testProviderCompany;
  }
}
