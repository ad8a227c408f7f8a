// Compares the live schema with the data map: every column of every table must be classified.
import type { Kysely } from 'kysely';
import { listColumns, listTables, type DbKind } from '../platform/db/dialect.ts';
import { findUnclassified, type DataMap } from './data-map.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function findUnclassifiedColumns(db: Kysely<any>, kind: DbKind, map: DataMap): Promise<string[]> {
  const schema = [];
  for (const table of await listTables(db, kind)) schema.push({ table, columns: await listColumns(db, kind, table) });
  return findUnclassified(map, schema);
}
