// SQL of the shared keys' fingerprints: the first process to start records each one; later ones compare.
import type { Kysely } from 'kysely';
import type { InstanceKeysTable, InstanceKeysTables } from './instance-keys.tables.ts';

type Db = Kysely<InstanceKeysTables>;

export function listInstanceKeys(db: Db): Promise<InstanceKeysTable[]> {
  return db.selectFrom('instance_keys').selectAll().execute();
}

/** Records each fingerprint not yet recorded (a concurrent start records it once), then reads them all. */
export async function recordInstanceKeys(db: Db, rows: InstanceKeysTable[]): Promise<InstanceKeysTable[]> {
  if (rows.length > 0)
    await db
      .insertInto('instance_keys')
      .values(rows)
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  return listInstanceKeys(db);
}

/** Replaces the recorded fingerprints of these keys with these (`candor keys adopt`). */
export async function replaceInstanceKeys(db: Db, rows: InstanceKeysTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('instance_keys')
      .where(
        'name',
        'in',
        rows.map((r) => r.name),
      )
      .execute();
    await trx.insertInto('instance_keys').values(rows).execute();
  });
}
