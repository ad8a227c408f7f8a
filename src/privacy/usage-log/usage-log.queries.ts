// SQL of the usage log. Partition names are built by code from dates, never from input.
import { sql, type Kysely } from 'kysely';
import { assertSafeIdentifier, types, type BulkInsert } from '../../platform/db/dialect.ts';
import type { UsageIpRow, UsageLogRow } from './usage-log.tables.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- partition tables are named at run time */
type AnyDb = Kysely<any>;

export async function createUsagePartitions(db: AnyDb, logTable: string, ipTable: string): Promise<void> {
  await db.schema
    .createTable(assertSafeIdentifier(logTable))
    .ifNotExists()
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('at', types.time, (c) => c.notNull())
    .addColumn('duration_ms', types.int, (c) => c.notNull())
    .addColumn('tz_offset_min', types.int)
    .addColumn('method', types.short, (c) => c.notNull())
    .addColumn('path', types.text, (c) => c.notNull())
    .addColumn('status', types.int, (c) => c.notNull())
    .addColumn('bytes', types.int, (c) => c.notNull())
    .addColumn('referrer', types.text)
    .addColumn('browser', types.short)
    .addColumn('browser_version', types.short)
    .addColumn('language', types.short)
    .addColumn('os', types.short)
    .addColumn('ip_prefix', types.short, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable(assertSafeIdentifier(ipTable))
    .ifNotExists()
    .addColumn('log_id', types.id, (c) => c.primaryKey())
    .addColumn('at', types.time, (c) => c.notNull())
    .addColumn('ip', types.short, (c) => c.notNull())
    .execute();
  // No index on ip: every request pays for an index, while lookups by IP (a person's access or erasure
  // request) are rare and scan at most 8 small daily tables.
  await db.schema
    .createIndex(assertSafeIdentifier(`${ipTable}_at`))
    .ifNotExists()
    .on(ipTable)
    .column('at')
    .execute();
}

/** Call inside a transaction: `bulkInsert` relies on it (see platform/db/dialect.ts). */
export async function insertUsageRows(
  trx: AnyDb,
  bulkInsert: BulkInsert,
  logTable: string,
  ipTable: string,
  logs: UsageLogRow[],
  ips: UsageIpRow[],
): Promise<void> {
  await bulkInsert(trx, assertSafeIdentifier(logTable), logs as unknown as Record<string, unknown>[]);
  await bulkInsert(trx, assertSafeIdentifier(ipTable), ips as unknown as Record<string, unknown>[]);
}

export async function countRows(db: AnyDb, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(assertSafeIdentifier(table))}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
