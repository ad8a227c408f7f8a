// SQL of the address book. Every query is bound to the owner's account: another customer's id finds nothing.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { AddressBookTable } from './addresses.tables.ts';

type Db = Kysely<Database>;

/** Defaults first, then the most recently changed. */
export async function listAddressesOfUser(db: Db, userId: string): Promise<AddressBookTable[]> {
  return db
    .selectFrom('address_book')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('default_billing', 'desc')
    .orderBy('default_shipping', 'desc')
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function findAddressOfUser(db: Db, userId: string, id: string): Promise<AddressBookTable | undefined> {
  return db
    .selectFrom('address_book')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function countAddressesOfUser(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('address_book')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAddress(db: Db, row: AddressBookTable): Promise<void> {
  await db.insertInto('address_book').values(row).execute();
}

export async function updateAddressOfUser(
  db: Db,
  userId: string,
  id: string,
  changes: Partial<Omit<AddressBookTable, 'id' | 'user_id' | 'created_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('address_book')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteAddressOfUser(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('address_book')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Takes the default mark of one kind from every other address of the account. */
export async function clearDefaultOfUser(
  db: Db,
  userId: string,
  which: 'default_billing' | 'default_shipping',
  exceptId: string,
): Promise<void> {
  await db
    .updateTable('address_book')
    .set({ [which]: 0 })
    .where('user_id', '=', userId)
    .where('id', '!=', exceptId)
    .execute();
}

/** The billing and shipping address of the customer's last order (a failed payment attempt counts: it was typed). */
export async function findLastOrderAddresses(
  db: Db,
  userId: string,
): Promise<{ billing: string; shipping: string } | undefined> {
  return db
    .selectFrom('orders')
    .select(['billing', 'shipping'])
    .where('user_id', '=', userId)
    .where('restricted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Locks the account's address book until the transaction ends, with an update of the account's row that changes
 * nothing (SQLite and PostgreSQL alike; SELECT … FOR UPDATE is PostgreSQL's only). False when there is no account.
 */
export async function lockAddressBookOfUser(db: Db, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The name the customer gave their account (the first checkout's billing name). */
export async function findAccountName(db: Db, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name || undefined;
}
