// Test-provider payment tokens and payment-page session ids are access secrets: stored only as SHA-256 hashes,
// like every access token. Open tokens and sessions live a day at most, so existing ones are deleted rather than
// kept (a customer mid-payment starts again; the reconcile job fails the pending order); charges keep the hash.
import { createHash } from 'node:crypto';
import type { Migration } from '../../../platform/db/migrate.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const hashTestSecrets: Migration = {
  id: 'payments.005-hash-test-secrets',
  async up(db) {
    await db.deleteFrom('test_payment_sessions').execute();
    await db.deleteFrom('test_payment_tokens').execute();
    const charges = (await db
      .selectFrom('test_payment_charges')
      .select(['id', 'token'])
      .where('token', 'is not', null)
      .execute()) as { id: string; token: string }[];
    for (const c of charges)
      await db
        .updateTable('test_payment_charges')
        .set({ token: sha256(c.token) })
        .where('id', '=', c.id)
        .execute();
    await db.schema.alterTable('test_payment_tokens').renameColumn('token', 'token_hash').execute();
    await db.schema.alterTable('test_payment_charges').renameColumn('token', 'token_hash').execute();
    await db.schema.alterTable('test_payment_sessions').renameColumn('id', 'id_hash').execute();
  },
};
