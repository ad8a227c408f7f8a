// SQL of the test payment provider's stand-in storage.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type {
  TestPaymentChargesTable,
  TestPaymentRefundsTable,
  TestPaymentSessionsTable,
  TestPaymentTokensTable,
} from './payments.tables.ts';

type Db = Kysely<Database>;

export async function insertTestToken(db: Db, row: TestPaymentTokensTable): Promise<void> {
  await db.insertInto('test_payment_tokens').values(row).execute();
}

export async function findTestToken(db: Db, tokenHash: string): Promise<TestPaymentTokensTable | undefined> {
  return db.selectFrom('test_payment_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a token used; false when it already was (two charges at once with one token). */
export async function useTestToken(db: Db, tokenHash: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('test_payment_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findTestChargeByKey(db: Db, key: string): Promise<TestPaymentChargesTable | undefined> {
  return db.selectFrom('test_payment_charges').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertTestCharge(db: Db, row: TestPaymentChargesTable): Promise<void> {
  await db.insertInto('test_payment_charges').values(row).execute();
}

/** Marks a succeeded charge refunded (once: the first time stays recorded); false when there is no such charge. */
export async function refundTestCharge(db: Db, id: string, at: number): Promise<boolean> {
  await db
    .updateTable('test_payment_charges')
    .set({ refunded_at: at })
    .where('id', '=', id)
    .where('status', '=', 'succeeded')
    .where('refunded_at', 'is', null)
    .execute();
  const row = await db
    .selectFrom('test_payment_charges')
    .select('refunded_at')
    .where('id', '=', id)
    .where('status', '=', 'succeeded')
    .executeTakeFirst();
  return row !== undefined && row.refunded_at !== null;
}

export async function findTestRefundByKey(db: Db, key: string): Promise<TestPaymentRefundsTable | undefined> {
  return db.selectFrom('test_payment_refunds').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function findTestChargeById(db: Db, id: string): Promise<TestPaymentChargesTable | undefined> {
  return db.selectFrom('test_payment_charges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What of a charge is refunded so far. */
export async function sumTestRefundsOfCharge(db: Db, chargeId: string): Promise<number> {
  const row = await db
    .selectFrom('test_payment_refunds')
    .select((eb) => eb.fn.sum<number | string | null>('amount_cents').as('total'))
    .where('charge_id', '=', chargeId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function insertTestRefund(db: Db, row: TestPaymentRefundsTable): Promise<void> {
  await db.insertInto('test_payment_refunds').values(row).execute();
}

export async function insertTestSession(db: Db, row: TestPaymentSessionsTable): Promise<void> {
  await db.insertInto('test_payment_sessions').values(row).execute();
}

export async function findTestSession(db: Db, idHash: string): Promise<TestPaymentSessionsTable | undefined> {
  return db.selectFrom('test_payment_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function completeTestSession(db: Db, idHash: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('test_payment_sessions')
    .set({ completed_at: at })
    .where('id_hash', '=', idHash)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
