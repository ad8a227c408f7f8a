// Every difference between SQLite and PostgreSQL lives in this file: connection, types, introspection, locking.
// Conventions both dialects share: times are epoch milliseconds in `bigint` columns, booleans are 0/1 integers,
// JSON is text. pg is told to return int8 as a JS number (safe: epoch ms stay far below 2^53).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type ColumnDataType } from 'kysely';
import pg from 'pg';

export type DbKind = 'sqlite' | 'postgres';

export interface DbHandle<DB> {
  db: Kysely<DB>;
  kind: DbKind;
  close(): Promise<void>;
}

pg.types.setTypeParser(20, (value) => Number(value));

export interface OpenOptions {
  /** PostgreSQL URL; when absent, SQLite at `sqliteFile`. */
  databaseUrl?: string | undefined;
  sqliteFile: string;
  /** PostgreSQL only: the schema to use (tests give each run its own). */
  schema?: string;
  poolSize?: number;
}

export function openDatabase<DB>(options: OpenOptions): DbHandle<DB> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.sqliteFile !== ':memory:') mkdirSync(dirname(options.sqliteFile), { recursive: true });
  const database = new SQLite(options.sqliteFile);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}

/** Column types used by migrations; the names read the same in both dialects. */
export const types = {
  id: 'varchar(64)' as ColumnDataType,
  text: 'text' as ColumnDataType,
  short: 'varchar(255)' as ColumnDataType,
  time: 'bigint' as ColumnDataType,
  int: 'integer' as ColumnDataType,
  bool: 'integer' as ColumnDataType,
  json: 'text' as ColumnDataType,
};

export const toBool = (value: number | boolean | null | undefined): boolean => value === 1 || value === true;
export const fromBool = (value: boolean): number => (value ? 1 : 0);

/* eslint-disable @typescript-eslint/no-explicit-any -- introspection works on tables not known at compile time */

export async function listTables(db: Kysely<any>, kind: DbKind): Promise<string[]> {
  if (kind === 'sqlite') {
    const result = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
    return result.rows.map((r) => r.name);
  }
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return result.rows.map((r) => r.name);
}

export async function listColumns(db: Kysely<any>, kind: DbKind, table: string): Promise<string[]> {
  if (kind === 'sqlite') {
    const result = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    return result.rows.map((r) => r.name);
  }
  const result = await sql<{ name: string }>`
    select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return result.rows.map((r) => r.name);
}

/**
 * Runs `fn` while holding the database-wide lock named `name`, so that two processes never migrate
 * at once. SQLite serialises writers itself; PostgreSQL uses a session advisory lock.
 */
export async function withExclusiveLock<T>(db: Kysely<any>, kind: DbKind, name: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  if (kind === 'sqlite') return fn(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Quotes an identifier made by code (never by input), e.g. a daily partition name. */
export function assertSafeIdentifier(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return name;
}
