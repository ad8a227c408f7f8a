// Under any provider but the test provider, its stand-in tables must not exist (issue 8, point 13): this step
// drops them if present and forgets the steps that made them, so a later start in test mode creates them afresh
// (001 in turn forgets this step). It runs only when PAYMENT_PROVIDER is not `test` (payments/index.ts).
import type { Migration } from '../../../platform/db/migrate.ts';

export const TEST_PROVIDER_MIGRATION_IDS = [
  'payments.001-test-provider',
  'payments.002-money-bigint',
  'payments.003-hosted-payment',
  'payments.005-hash-test-secrets',
  'payments.006-test-refunds',
];
export const DROP_TEST_PROVIDER_ID = 'payments.drop-test-provider';

export const dropTestProvider: Migration = {
  id: DROP_TEST_PROVIDER_ID,
  async up(db) {
    for (const table of [
      'test_payment_refunds',
      'test_payment_sessions',
      'test_payment_charges',
      'test_payment_tokens',
    ])
      await db.schema.dropTable(table).ifExists().execute();
    await db.deleteFrom('schema_migrations').where('id', 'in', TEST_PROVIDER_MIGRATION_IDS).execute();
  },
};
