// SQL of the subscriptions: one row per address and list, with the proof of its opt-in.
import type { Kysely, Updateable } from 'kysely';
import type { Database } from '../../database.ts';
import type { NewsletterSubscriptionsTable } from './newsletter.tables.ts';

type Db = Kysely<Database>;
export type SubscriptionRow = NewsletterSubscriptionsTable;

export async function findSubscriptionById(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('newsletter_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscription(db: Db, email: string, list: string): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('newsletter_subscriptions')
    .selectAll()
    .where('email', '=', email)
    .where('list', '=', list)
    .executeTakeFirst();
}

export async function listSubscriptionsOfEmail(db: Db, email: string): Promise<SubscriptionRow[]> {
  return db.selectFrom('newsletter_subscriptions').selectAll().where('email', '=', email).orderBy('list').execute();
}

export async function insertSubscription(db: Db, row: SubscriptionRow): Promise<void> {
  await db.insertInto('newsletter_subscriptions').values(row).execute();
}

export async function updateSubscription(
  db: Db,
  id: string,
  changes: Updateable<NewsletterSubscriptionsTable>,
): Promise<void> {
  await db.updateTable('newsletter_subscriptions').set(changes).where('id', '=', id).execute();
}

/**
 * Changes the row only while its status is still `status` (a confirmation or switch on, once): true when it did, so
 * a second request racing the first sends no second welcome mail.
 */
export async function updateSubscriptionIfStatus(
  db: Db,
  id: string,
  status: string,
  changes: Updateable<NewsletterSubscriptionsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('newsletter_subscriptions')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', status)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Every subscription of the address that is not unsubscribed yet becomes unsubscribed. */
export async function unsubscribeAllOfEmail(db: Db, email: string, at: number): Promise<void> {
  await db
    .updateTable('newsletter_subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: at, pending_until: null })
    .where('email', '=', email)
    .where('status', '!=', 'unsubscribed')
    .execute();
}

/** The confirmed similar-product subscribers among these addresses (advertising sends only to them). */
export async function findConfirmedEmails(db: Db, list: string, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .selectFrom('newsletter_subscriptions')
    .select('email')
    .where('list', '=', list)
    .where('status', '=', 'confirmed')
    .where('email', 'in', emails)
    .execute();
  return new Set(rows.map((r) => r.email));
}
