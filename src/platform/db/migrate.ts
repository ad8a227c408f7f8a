// Applies each feature's migrations in manifest order, once, under a database-wide lock.
// A migration's id is permanent: it names the change, never its position.
import type { Kysely } from 'kysely';
import { types, withExclusiveLock, type DbKind } from './dialect.ts';

export interface Migration {
  id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
  up(db: Kysely<any>, kind: DbKind): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(db: Kysely<any>, kind: DbKind, migrations: Migration[], now: number): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  return withExclusiveLock(db, kind, 'candor-migrations', async (conn) => {
    await conn.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('id', types.short, (c) => c.primaryKey())
      .addColumn('applied_at', types.time, (c) => c.notNull())
      .execute();
    const done = new Set(
      (await conn.selectFrom('schema_migrations').select('id').execute()).map((r) => r.id as string),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await conn.transaction().execute(async (trx) => {
        await migration.up(trx, kind);
        await trx.insertInto('schema_migrations').values({ id: migration.id, applied_at: now }).execute();
      });
      applied.push(migration.id);
    }
    return applied;
  });
}
