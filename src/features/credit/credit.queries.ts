// SQL of credit checks.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CreditChecksTable } from './credit.tables.ts';

export async function insertCreditCheck(db: Kysely<Database>, row: CreditChecksTable): Promise<void> {
  await db.insertInto('credit_checks').values(row).execute();
}
