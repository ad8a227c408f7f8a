// Every difference between SQLite and PostgreSQL lives in this file: connection, types, introspection, locking.
// Conventions both dialects share: times are epoch milliseconds in `bigint` columns, booleans are 0/1 integers,
// JSON is text. pg is told to return int8 as a JS number (safe: epoch ms stay far below 2^53).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteQueryCompiler,
  ValueNode,
  sql,
  type ColumnDataType,
  type Expression,
  type LimitNode,
  type OffsetNode,
  type OperationNode,
  type PostgresPool,
  type PostgresPoolClient,
  type RawBuilder,
} from 'kysely';
import pg from 'pg';
import { statementName } from './statement-names.ts';

export type DbKind = 'sqlite' | 'postgres';

export interface DbHandle<DB> {
  db: Kysely<DB>;
  kind: DbKind;
  /** Inserts many rows into a table fast; call it inside a transaction of `db` (see `bulkInserter`). */
  bulkInsert: BulkInsert;
  /** PostgreSQL only: the pool's connection counts, for the metrics (SQLite has one connection and no pool). */
  poolFigures?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- bulk inserts and introspection work on tables named at run time */
export type BulkInsert = (trx: Kysely<any>, table: string, rows: Record<string, unknown>[]) => Promise<void>;

pg.types.setTypeParser(20, (value) => Number(value));

export interface OpenOptions {
  /** PostgreSQL URL; when absent, SQLite at `sqliteFile`. */
  databaseUrl?: string | undefined;
  sqliteFile: string;
  /** PostgreSQL only: the schema to use (tests give each run its own). */
  schema?: string;
  poolSize?: number;
  /**
   * PostgreSQL only: told when the server ends a pooled connection (a restart). pg drops that connection and opens
   * a new one when next needed.
   */
  onPoolError?: (error: Error) => void;
}

/**
 * How long a request waits for a PostgreSQL connection: short, so that while the server is away a request gets a
 * 503 within about a second instead of hanging.
 */
export const CONNECT_TIMEOUT_MS = 1500;

export function openDatabase<DB>(options: OpenOptions): DbHandle<DB> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A connection the server ends (restart, failover) emits 'error' on its client, idle or checked out between
    // two statements of a transaction; without a listener that ends the process. The statement in flight fails
    // on its own (a 503), and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', (error) => options.onPoolError?.(error)));
    // The pool repeats an idle client's error, already reported by the client's listener above.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: namingStatements(pool) }) });
    const poolFigures = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, kind: 'postgres', bulkInsert: multiRowInsert, poolFigures, close: () => db.destroy() };
  }
  if (options.sqliteFile !== ':memory:') {
    mkdirSync(dirname(options.sqliteFile), { recursive: true });
    keepPrivate(options.sqliteFile);
  }
  const database = new SQLite(options.sqliteFile);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // SQLite's own lower() folds ASCII only; searches lower-case through this one so that both dialects agree.
  database.function('unicode_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  const db = new Kysely<DB>({ dialect: new CandorSqliteDialect({ database: withStatementCache(database) }) });
  return { db, kind: 'sqlite', bulkInsert: preparedRowInsert(database), close: () => db.destroy() };
}

/** A pool client that sends the statements runPrepared named (statement-names.ts) as named prepared statements. */
class NamingClient {
  constructor(private readonly client: pg.PoolClient) {}

  // Kysely passes SQL text and parameters (a cursor only with the dialect's cursor option, which is not set); the
  // parameters are already its own copy, passed on as they are.
  query(text: string, parameters: readonly unknown[]) {
    const name = statementName(text);
    return this.client.query(name === undefined ? text : { name, text }, parameters as unknown[]);
  }

  release(destroy?: boolean): void {
    this.client.release(destroy);
  }
}

/**
 * A pool whose clients send the hot statements as named prepared statements: each connection parses and plans one
 * the first time it runs it, then only binds and runs it (decision 0064); every other statement goes as before.
 * Kysely keys its connections by client, so each client keeps one wrapper.
 */
function namingStatements(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      // Kysely's client type lists a cursor overload that NamingClient leaves out (no cursor is configured).
      if (!wrapper) wrappers.set(client, (wrapper = new NamingClient(client) as unknown as PostgresPoolClient));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/**
 * The database holds everyone's data: like the secret file it is readable by its owner only (0600). SQLite gives
 * its -wal and -shm files the mode of the database file, so creating that file first with 0600 covers all three;
 * files left by an older version are tightened.
 */
function keepPrivate(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (err) {
      // Gone (no -wal yet), or not ours to change: SQLite opens it as before.
      if (!['ENOENT', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  }
}

/** PostgreSQL: multi-row INSERTs in chunks that stay under the 65,535-parameter limit. */
const multiRowInsert: BulkInsert = async (trx, table, rows) => {
  const columns = Object.keys(rows[0] ?? {}).length || 1;
  const chunk = Math.max(1, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += chunk)
    await trx
      .insertInto(assertSafeIdentifier(table))
      .values(rows.slice(i, i + chunk))
      .execute();
};

/**
 * SQLite: one prepared single-row INSERT run per row, synchronously. Kysely drives better-sqlite3 through one
 * connection guarded by a lock; the caller's open Kysely transaction holds that lock, so these rows land inside
 * that transaction and nothing else can interleave.
 */
function preparedRowInsert(database: SQLite.Database): BulkInsert {
  const statements = new Map<string, SQLite.Statement>();
  return async (_trx, table, rows) => {
    const first = rows[0];
    if (!first) return;
    const columns = Object.keys(first).map(assertSafeIdentifier);
    const key = `${assertSafeIdentifier(table)}(${columns.join(',')})`;
    let statement = statements.get(key);
    if (!statement) {
      statement = database.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      if (statements.size >= 16) statements.delete(statements.keys().next().value as string);
      statements.set(key, statement);
    }
    for (const row of rows) statement.run(row);
  };
}

/**
 * SQLite runs a statement whose LIMIT or OFFSET is a bare parameter (`limit ?`) markedly slower than one whose limit
 * is an expression (measured on the catalogue: 38 against 29 µs for a page of 20 cards, 15 against 4.5 µs for two
 * cards of a category; decision 0062), so a bound limit or offset is written `cast(? as integer)`: the same value.
 */
class CandorSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    this.append('limit ');
    this.visitBoundInteger(node.limit);
  }

  protected override visitOffset(node: OffsetNode): void {
    this.append('offset ');
    this.visitBoundInteger(node.offset);
  }

  private visitBoundInteger(node: OperationNode): void {
    if (!ValueNode.is(node) || node.immediate) return this.visitNode(node);
    this.append('cast(');
    this.visitNode(node);
    this.append(' as integer)');
  }
}

class CandorSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): SqliteQueryCompiler {
    return new CandorSqliteQueryCompiler();
  }
}

/**
 * The longest SQL text SQLite connections keep prepared (withStatementCache). Longer statements are those whose text
 * differs with every run (long IN lists, many-row inserts); a statement run again and again must stay under it,
 * which runPrepared checks in tests.
 */
export const MAX_CACHED_SQL_LENGTH = 16_000;

/**
 * Kysely prepares every query anew; on SQLite preparing costs about as much as running a small query.
 * Statements up to MAX_CACHED_SQL_LENGTH (the same SQL text every time) are kept prepared; a statement still
 * iterating is never shared.
 */
export function withStatementCache(
  database: Pick<SQLite.Database, 'prepare' | 'close'>,
  size = 256,
  maxSqlLength = MAX_CACHED_SQL_LENGTH,
) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(query: string): SQLite.Statement {
      if (query.length > maxSqlLength) return database.prepare(query);
      const cached = cache.get(query);
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(query);
      if (!cached) {
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(query, statement);
      }
      return statement;
    },
  };
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

/**
 * `lower(expr)` by Unicode rules on either dialect ("ÖZ" → "öz"): PostgreSQL's lower() with a UTF-8 ctype, on
 * SQLite the `unicode_lower` function registered at connection (its built-in lower() folds ASCII only).
 */
export function unicodeLower(db: Kysely<any>, expr: Expression<string | null>): RawBuilder<string> {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql<string>`unicode_lower(${expr})`
    : sql<string>`lower(${expr})`;
}

/** The dialect of a Kysely instance, for code handed only a db (an erasure hook inside the erasure's transaction). */
export function dbKindOf(db: Kysely<any>): DbKind {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/**
 * Refreshes the planner's statistics of a table that just grew a lot (a day's raw events): PostgreSQL plans a
 * keyset walk over an unanalysed table as a sort of everything; SQLite's planner needs nothing.
 */
export async function refreshStatistics(db: Kysely<any>, table: string): Promise<void> {
  if (dbKindOf(db) === 'postgres') await sql`analyze ${sql.table(assertSafeIdentifier(table))}`.execute(db);
}

/**
 * How the database would run a statement, for tests that check a plan: SQLite's EXPLAIN QUERY PLAN lines, or
 * PostgreSQL's plan as one JSON text.
 */
export async function explainPlan(db: Kysely<any>, query: { compile(): CompiledQuery }): Promise<string[]> {
  const { sql: text, parameters } = query.compile();
  const postgres = dbKindOf(db) === 'postgres';
  const prefix = postgres ? 'explain (format json) ' : 'explain query plan ';
  const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + text, [...parameters]));
  return result.rows.map((row) => (postgres ? JSON.stringify(row['QUERY PLAN']) : String(row['detail'])));
}

export const toBool = (value: number | boolean | null | undefined): boolean => value === 1 || value === true;
export const fromBool = (value: boolean): number => (value ? 1 : 0);

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
export async function withExclusiveLock<T>(
  db: Kysely<any>,
  kind: DbKind,
  name: string,
  fn: (db: Kysely<any>) => Promise<T>,
): Promise<T> {
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

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const unavailableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection is closed',
];

/**
 * True when `error` says the database cannot be reached right now (PostgreSQL down, restarting, refusing
 * connections; SQLite still locked after its busy timeout), rather than that the statement is wrong: such a
 * request may succeed when retried in a few seconds.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  // 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; class 08: connection exceptions.
  if (unavailableCodes.has(code) || /^57P0[123]$/.test(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (unavailableMessages.some((m) => message.startsWith(m))) return true;
  // Node reports a refused dual-stack connect as an AggregateError; drivers wrap causes.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** Quotes an identifier made by code (never by input), e.g. a daily partition name. */
export function assertSafeIdentifier(name: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe identifier ${name}`);
  return name;
}
