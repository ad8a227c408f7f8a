// The generic statements of the retention and subject-request engines. Table and column names come
// from the data map (code), never from input.
import { sql, type Kysely } from 'kysely';
import { assertSafeIdentifier, listTables, type DbKind } from '../platform/db/dialect.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the engine works on every table of the data map */
type AnyDb = Kysely<any>;

export async function deleteRowsOlderThan(db: AnyDb, table: string, column: string, cutoff: number): Promise<number> {
  const r = await db
    .deleteFrom(assertSafeIdentifier(table))
    .where(assertSafeIdentifier(column), '<', cutoff)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function clearColumnsOlderThan(
  db: AnyDb,
  table: string,
  column: string,
  cutoff: number,
  clear: string[],
): Promise<number> {
  const set = Object.fromEntries(clear.map((c) => [assertSafeIdentifier(c), null]));
  const r = await db
    .updateTable(assertSafeIdentifier(table))
    .set(set)
    .where(assertSafeIdentifier(column), '<', cutoff)
    .where((eb) => eb.or(clear.map((c) => eb(c, 'is not', null))))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function selectRowsWhereIn(
  db: AnyDb,
  table: string,
  column: string,
  values: (string | number)[],
): Promise<Record<string, unknown>[]> {
  if (values.length === 0) return [];
  return db
    .selectFrom(assertSafeIdentifier(table))
    .selectAll()
    .where(assertSafeIdentifier(column), 'in', values)
    .execute();
}

/** The values of `column` in the rows whose `whereColumn` is one of `values`. */
export async function selectColumnWhereIn(
  db: AnyDb,
  table: string,
  column: string,
  whereColumn: string,
  values: (string | number)[],
  /** Leaves out the rows where this column is set (rows an erasure keeps). */
  unlessSet?: string,
): Promise<unknown[]> {
  if (values.length === 0) return [];
  let q = db
    .selectFrom(assertSafeIdentifier(table))
    .select(assertSafeIdentifier(column))
    .where(assertSafeIdentifier(whereColumn), 'in', values);
  if (unlessSet !== undefined) q = q.where(assertSafeIdentifier(unlessSet), 'is', null);
  const rows = await q.execute();
  return rows.map((r) => (r as Record<string, unknown>)[column]);
}

export async function deleteRowsWhereIn(
  db: AnyDb,
  table: string,
  column: string,
  values: (string | number)[],
  /** Leaves the rows where this column is set (rows an erasure keeps). */
  unlessSet?: string,
): Promise<number> {
  if (values.length === 0) return 0;
  let q = db.deleteFrom(assertSafeIdentifier(table)).where(assertSafeIdentifier(column), 'in', values);
  if (unlessSet !== undefined) q = q.where(assertSafeIdentifier(unlessSet), 'is', null);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function nullColumnsWhereIn(
  db: AnyDb,
  table: string,
  column: string,
  values: (string | number)[],
  clear: string[],
): Promise<number> {
  if (values.length === 0) return 0;
  const set = Object.fromEntries(clear.map((c) => [assertSafeIdentifier(c), null]));
  const r = await db
    .updateTable(assertSafeIdentifier(table))
    .set(set)
    .where(assertSafeIdentifier(column), 'in', values)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Every value of every text column, for checks that a value is gone from the whole database. */
export async function selectAllRows(db: AnyDb, table: string): Promise<Record<string, unknown>[]> {
  return (await sql<Record<string, unknown>>`select * from ${sql.table(assertSafeIdentifier(table))}`.execute(db)).rows;
}

/** Deletes the rows of one partition older than `before`: used only for the one partly expired day. */
export async function deleteRowsBefore(db: AnyDb, table: string, column: string, before: number): Promise<number> {
  const r = await db.deleteFrom(assertSafeIdentifier(table)).where(column, '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listPartitions(db: AnyDb, kind: DbKind, base: string): Promise<string[]> {
  const prefix = `${base}_d`;
  return (await listTables(db, kind)).filter((t) => t.startsWith(prefix) && /^\d{8}$/.test(t.slice(prefix.length)));
}

export async function dropPartition(db: AnyDb, table: string): Promise<void> {
  await db.schema.dropTable(assertSafeIdentifier(table)).ifExists().execute();
}

/** Sets `column` to `at` where it is still NULL: restriction of rows kept under a statutory period. */
export async function markRowsWhereIn(
  db: AnyDb,
  table: string,
  linkColumn: string,
  values: (string | number)[],
  column: string,
  at: number,
  /** Marks only the rows where this column is set (the rows an erasure keeps). */
  onlyIfSet?: string,
): Promise<number> {
  if (values.length === 0) return 0;
  let q = db
    .updateTable(assertSafeIdentifier(table))
    .set({ [assertSafeIdentifier(column)]: at })
    .where(assertSafeIdentifier(linkColumn), 'in', values)
    .where(column, 'is', null);
  if (onlyIfSet !== undefined) q = q.where(assertSafeIdentifier(onlyIfSet), 'is not', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
