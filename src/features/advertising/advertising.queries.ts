// Objections to advertising, kept by the privacy engine per activity (privacy/objections.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { findObjection as findRecord, liftObjection, recordObjection as record } from '../../privacy/objections.ts';

type Db = Kysely<Database>;

/** The data map activity the objections are about (advertising.data-map.ts). */
export const SIMILAR_PRODUCTS = 'advertising.similar-products';

export async function findObjection(db: Db, userId: string) {
  return findRecord(db, userId, SIMILAR_PRODUCTS, 'objection');
}

export async function recordObjection(db: Db, userId: string, now: number, via: 'account' | 'mail'): Promise<void> {
  await record(db, now, { person: userId, activity: SIMILAR_PRODUCTS, kind: 'objection', via });
}

export async function withdrawObjection(db: Db, userId: string): Promise<void> {
  await liftObjection(db, userId, SIMILAR_PRODUCTS, 'objection');
}
