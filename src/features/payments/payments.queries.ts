// SQL of the test payment provider's stand-in storage.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { TestPaymentChargesTable, TestPaymentTokensTable } from './payments.tables.ts';

type Db = Kysely<Database>;

export async function insertTestToken(db: Db, row: TestPaymentTokensTable): Promise<void> {
  await db.insertInto('test_payment_tokens').values(row).execute();
}

export async function findTestToken(db: Db, token: string): Promise<TestPaymentTokensTable | undefined> {
  return db.selectFrom('test_payment_tokens').selectAll().where('token', '=', token).executeTakeFirst();
}

export async function findTestChargeByKey(db: Db, key: string): Promise<TestPaymentChargesTable | undefined> {
  return db.selectFrom('test_payment_charges').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function insertTestCharge(db: Db, row: TestPaymentChargesTable): Promise<void> {
  await db.insertInto('test_payment_charges').values(row).execute();
}

export async function countTestCharges(db: Db, key: string): Promise<number> {
  const r = await db.selectFrom('test_payment_charges').select((eb) => eb.fn.countAll<number>().as('n')).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
  return Number(r.n);
}
