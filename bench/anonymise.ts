// IP anonymisation at scale: Candor's retention (drop the day's full-IP partition) against the naive
// way (UPDATE every row's ip to its anonymised prefix), on tables with Candor's own schema.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../src/database.ts';
import { allMigrations, createDataMap } from '../src/composition.ts';
import { DAY, HOUR, FixedClock } from '../src/platform/clock.ts';
import { listTables, openDatabase } from '../src/platform/db/dialect.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { partitionName } from '../src/privacy/data-map.ts';
import { runRetention } from '../src/privacy/retention.ts';
import { anonymiseIp, USAGE_IP, USAGE_LOG } from '../src/privacy/usage-log/index.ts';
import { countRows, createUsagePartitions } from '../src/privacy/usage-log/usage-log.queries.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { rng } from './stats.ts';

export interface AnonOptions {
  /** Rows of the day's partition (usage_ip_dYYYYMMDD, and usage_log_dYYYYMMDD when fillLog). */
  rows: number;
  /** The naive UPDATE runs on min(rows, naiveMaxRows) rows and is extrapolated linearly. */
  naiveMaxRows: number;
  /** Also fill the request partition (usage_log_d…) with the same number of rows. */
  fillLog: boolean;
  progress: (line: string) => void;
}

export interface AnonResult {
  rows: number;
  fillLog: boolean;
  loadSeconds: number;
  loadRowsPerSecond: number;
  fileBytes: number;
  retentionSeconds: number;
  partitionsDropped: number;
  naiveRows: number;
  naiveSeconds: number;
  /** Of the naive rows: a SELECT that only reads them and calls anonymiseIp(), for scale. */
  naiveReadSeconds: number;
  /** naiveSeconds scaled to `rows` (equal to naiveSeconds when naiveRows === rows). */
  naiveSecondsForAllRows: number;
}

const DAY0 = Date.UTC(2026, 0, 10);
const NAIVE_LOG = 'naive_usage_log';
const NAIVE_IP = 'naive_usage_ip';

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);

interface GeneratedRow {
  id: string;
  at: number;
  ip: string;
  prefix: string;
  r: number;
}

/** Row i of the day: ascending ids in UUID shape (so the primary-key index is appended to), 80% IPv4, 20% IPv6. */
function rowGenerator(rows: number): (i: number) => GeneratedRow {
  // Seeded: the naive copy gets exactly the same rows as the partition.
  const next = rng(0x9e3779b9);
  return (i) => {
    const a = next();
    const b = next();
    const c = next();
    const id = `${hex(i, 8)}-${hex(a, 4)}-4${hex(a >>> 16, 3)}-${(8 + (b & 3)).toString(16)}${hex(b >>> 4, 3)}-${hex(c, 8)}${hex(b >>> 16, 4)}`;
    const at = DAY0 + Math.floor((i * DAY) / rows);
    let ip: string;
    let prefix: string;
    if (c % 5 !== 0) {
      const p = `${1 + (a % 223)}.${(a >>> 8) & 255}.${(b >>> 8) & 255}`;
      ip = `${p}.${1 + (c % 254)}`;
      prefix = `${p}.0`;
    } else {
      const p = `2a02:${hex(a, 4).replace(/^0+(?=.)/, '')}:${hex(b, 4).replace(/^0+(?=.)/, '')}`;
      ip = `${p}:${hex(c, 4)}:${hex(a >>> 16, 4)}:${hex(b >>> 16, 4)}:1:${hex(c >>> 16, 4)}`;
      prefix = `${p}::`;
    }
    return { id, at, ip, prefix, r: c };
  };
}

const paths = [
  '/',
  '/api/v1/products',
  '/products/aurora-synth',
  '/privacy',
  '/account',
  '/api/v1/products/keystep-49',
];

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

interface IndexDef {
  name: string;
  sql: string;
}

/** Buffers rows and inserts them `perStatement` at a time with one prepared multi-row INSERT. */
class BulkInserter {
  private readonly buffer: (string | number)[] = [];
  private readonly statements = new Map<number, SQLite.Statement>();
  private readonly width: number;

  constructor(
    private readonly db: SQLite.Database,
    private readonly head: string,
    private readonly tuple: string,
    private readonly perStatement = 50,
  ) {
    this.width = tuple.split('?').length - 1;
  }

  add(...values: (string | number)[]): void {
    this.buffer.push(...values);
    if (this.buffer.length === this.width * this.perStatement) this.flush();
  }

  flush(): void {
    const count = this.buffer.length / this.width;
    if (count === 0) return;
    let statement = this.statements.get(count);
    if (!statement) {
      statement = this.db.prepare(`${this.head} ${Array<string>(count).fill(this.tuple).join(', ')}`);
      this.statements.set(count, statement);
    }
    statement.run(this.buffer);
    this.buffer.length = 0;
  }
}

export async function benchAnonymisation(options: AnonOptions): Promise<AnonResult> {
  const { rows, fillLog, progress } = options;
  const naiveRows = Math.min(rows, options.naiveMaxRows);
  const dir = makeTempDir('anon');
  const file = join(dir, 'candor.sqlite');
  const logTable = partitionName(USAGE_LOG, DAY0);
  const ipTable = partitionName(USAGE_IP, DAY0);
  try {
    // 1. Schema: all of Candor's migrations, the day's partitions, and a same-schema copy for the naive UPDATE.
    //    A loader connection with bulk-load settings (no journal, no fsync, 2 GB cache); Candor's own
    //    connection settings (openDatabase) are used for everything that is measured.
    const loader = new SQLite(file);
    loader.pragma('journal_mode = OFF');
    loader.pragma('synchronous = OFF');
    loader.pragma('cache_size = -2000000');
    loader.pragma('temp_store = MEMORY');
    const schemaDb = new Kysely<Database>({ dialect: new SqliteDialect({ database: loader }) });
    await migrate(schemaDb, 'sqlite', allMigrations(), DAY0);
    await createUsagePartitions(schemaDb, logTable, ipTable);
    await createUsagePartitions(schemaDb, NAIVE_LOG, NAIVE_IP);

    // Secondary indexes are dropped for the load and rebuilt afterwards from their own CREATE INDEX text,
    // so the final schema is exactly what createUsagePartitions made (checked below).
    const tables = [ipTable, NAIVE_IP, ...(fillLog ? [logTable] : [])];
    const indexes = loader
      .prepare(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => '?').join(',')})`,
      )
      .all(...tables) as IndexDef[];
    for (const index of indexes) loader.exec(`drop index ${index.name}`);

    // 2. Bulk load: prepared multi-row INSERTs (50 rows a statement), one transaction per 100,000 rows.
    const ipRows = new BulkInserter(loader, `insert into ${ipTable} (log_id, at, ip) values`, '(?, ?, ?)');
    const naiveIpRows = new BulkInserter(loader, `insert into ${NAIVE_IP} (log_id, at, ip) values`, '(?, ?, ?)');
    const logRows = new BulkInserter(
      loader,
      `insert into ${logTable} (id, at, duration_ms, tz_offset_min, method, path, status, bytes, referrer, browser, browser_version, language, os, ip_prefix) values`,
      "(?, ?, ?, null, 'GET', ?, 200, ?, null, 'Chrome', '126', 'de-DE', 'Windows', ?)",
    );
    const generate = rowGenerator(rows);
    const batch = 100_000;
    let firstPrefix = '';
    const loadBatch = loader.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const row = generate(i);
        if (i === 0) firstPrefix = row.prefix;
        ipRows.add(row.id, row.at, row.ip);
        if (i < naiveRows) naiveIpRows.add(row.id, row.at, row.ip);
        if (fillLog)
          logRows.add(
            row.id,
            row.at,
            row.r % 40,
            paths[row.r % paths.length] as string,
            2000 + (row.r % 30_000),
            row.prefix,
          );
      }
      ipRows.flush();
      naiveIpRows.flush();
      logRows.flush();
    });
    const what = fillLog ? `${logTable} + ${ipTable}` : ipTable;
    progress(`inserting ${fmt(rows)} rows into ${what} (+ ${fmt(naiveRows)} into ${NAIVE_IP} for the naive UPDATE)`);
    const loadStart = performance.now();
    let lastReport = loadStart;
    for (let from = 0; from < rows; from += batch) {
      const to = Math.min(rows, from + batch);
      loadBatch(from, to);
      const now = performance.now();
      if (now - lastReport > 5000 || to === rows) {
        lastReport = now;
        const s = (now - loadStart) / 1000;
        progress(
          `  ${fmt(to).padStart(12)} / ${fmt(rows)} rows  ${s.toFixed(1).padStart(6)} s  ${fmt(Math.round(to / s))} rows/s`,
        );
      }
    }
    for (const index of indexes) {
      const t = performance.now();
      loader.exec(index.sql);
      progress(`  index ${index.name} built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const rebuilt = loader.prepare(`select sql from sqlite_master where type = 'index' and name = ?`);
    for (const index of indexes) {
      if ((rebuilt.get(index.name) as { sql?: string } | undefined)?.sql !== index.sql)
        throw new Error(`index ${index.name} differs after rebuild`);
    }
    await schemaDb.destroy(); // closes the loader connection
    const fileBytes = statSync(file).size;

    // 3. Candor's retention, as the worker runs it: 8 days and 1 hour after the day began.
    const candor = openDatabase<Database>({ sqliteFile: file });
    let retentionSeconds: number;
    let partitionsDropped: number;
    try {
      if ((await countRows(candor.db, ipTable)) !== rows) throw new Error(`${ipTable} does not hold ${rows} rows`);
      progress(`running runRetention() at day+8 (drops ${ipTable})`);
      const t = performance.now();
      const outcomes = await runRetention({
        db: candor.db,
        dbKind: candor.kind,
        clock: new FixedClock(DAY0 + 8 * DAY + HOUR),
        dataMap: createDataMap(),
      });
      retentionSeconds = (performance.now() - t) / 1000;
      const ipRule = outcomes.find((o) => o.rule === 'usage.anonymise-ip-addresses');
      partitionsDropped = ipRule?.partitionsDropped ?? 0;
      const left = await listTables(candor.db, candor.kind);
      if (left.includes(ipTable) || partitionsDropped !== 1)
        throw new Error(`retention did not drop ${ipTable}: ${JSON.stringify(outcomes)}`);
      if (!left.includes(logTable)) throw new Error(`retention dropped ${logTable}, which is kept for 90 days`);
    } finally {
      await candor.close();
    }

    // 4. The naive way on the same-schema copy, with Candor's connection settings and its anonymiseIp().
    const naive = new SQLite(file);
    naive.pragma('journal_mode = WAL');
    naive.pragma('synchronous = NORMAL');
    naive.pragma('foreign_keys = ON');
    naive.pragma('busy_timeout = 5000');
    let naiveSeconds: number;
    let naiveReadSeconds: number;
    try {
      naive.function('anonymise_ip', { deterministic: true }, (ip: unknown) => anonymiseIp(String(ip)));
      // How much of the naive time is only reading the rows and calling anonymiseIp() (no writing).
      const r = performance.now();
      naive.prepare(`select sum(length(anonymise_ip(ip))) as n from ${NAIVE_IP}`).get();
      naiveReadSeconds = (performance.now() - r) / 1000;
      progress(`running naive UPDATE ${NAIVE_IP} SET ip = anonymise_ip(ip) on ${fmt(naiveRows)} rows (one statement)`);
      const t = performance.now();
      const changed = naive.prepare(`update ${NAIVE_IP} set ip = anonymise_ip(ip)`).run().changes;
      naiveSeconds = (performance.now() - t) / 1000;
      if (changed !== naiveRows) throw new Error(`naive UPDATE changed ${changed} rows, expected ${naiveRows}`);
      const sample = naive.prepare(`select ip from ${NAIVE_IP} where rowid = 1`).get() as { ip: string };
      if (sample.ip !== firstPrefix) throw new Error(`naive UPDATE left ${sample.ip}, expected ${firstPrefix}`);
    } finally {
      naive.close();
    }

    return {
      rows,
      fillLog,
      loadSeconds,
      loadRowsPerSecond: rows / loadSeconds,
      fileBytes,
      retentionSeconds,
      partitionsDropped,
      naiveRows,
      naiveSeconds,
      naiveReadSeconds,
      naiveSecondsForAllRows: (naiveSeconds * rows) / naiveRows,
    };
  } finally {
    removeTempDir(dir);
  }
}
