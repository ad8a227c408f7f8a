// SQL of the test payment provider's stand-in storage.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { TestPaymentChargesTable, TestPaymentSessionsTable, TestPaymentTokensTable } from './payments.tables.ts';

type Db = Kysely<Database>;

export async function insertTestToken(db: Db, row: TestPaymentTokensTable): Promise<void> {
  await db.insertInto('test_payment_tokens').values(row).execute();
}

export async function findTestToken(db: Db, token: string): Promise<TestPaymentTokensTable | undefined> {
  return db.selectFrom('test_payment_tokens').selectAll().where('token', '=', token).executeTakeFirst();
}

/** Marks a token used; false when it already was (two charges at once with one token). */
export async function useTestToken(db: Db, token: string, at: number): Promise<boolean> {
  const r = await db.updateTable('test_payment_tokens').set({ used_at: at }).where('token', '=', token).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findTestChargeByKey(db: Db, key: string): Promise<TestPaymentChargesTable | undefined> {
  return db.selectFrom('test_payment_charges').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertTestCharge(db: Db, row: TestPaymentChargesTable): Promise<void> {
  await db.insertInto('test_payment_charges').values(row).execute();
}

export async function refundTestCharge(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db.updateTable('test_payment_charges').set({ refunded_at: at }).where('id', '=', id).where('status', '=', 'succeeded').where('refunded_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertTestSession(db: Db, row: TestPaymentSessionsTable): Promise<void> {
  await db.insertInto('test_payment_sessions').values(row).execute();
}

export async function findTestSession(db: Db, id: string): Promise<TestPaymentSessionsTable | undefined> {
  return db.selectFrom('test_payment_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function completeTestSession(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db.updateTable('test_payment_sessions').set({ completed_at: at }).where('id', '=', id).where('completed_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
