// A server under load, run in its own process (forked by bench/run.ts, never imported by it).
// Usage: node --import tsx bench/server.ts <kind> <dataDir>
//   hello      bare Fastify, GET /hello → {hello:'world'}
//   products   bare Fastify + better-sqlite3, GET /products → 20 of 32 rows (prepared statement); of
//              BENCH_CATALOGUE_PRODUCTS rows when that is set (the baseline of the large catalogue)
//   products-pg the same on PostgreSQL (BENCH_PG_URL, a table in a schema of its own, a named prepared statement)
//   naive-log  as products, plus one synchronous INSERT per request in an onResponse hook
//   candor     the real app (config, deps, migrations, demo seed, buildApp); USAGE_LOG comes from the env; on a
//              copy of the SQLite file BENCH_TEMPLATE_DB, or on PostgreSQL in schema BENCH_PG_SCHEMA of BENCH_PG_URL
//              (both prepared by bench/scale.ts, e.g. with a large catalogue)
// The child reports {type:'ready', port} over IPC, stops on {type:'stop'} and exits if the parent goes away.
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createDeps, migrateDatabase, seedDemoData } from '../src/composition.ts';
import type { Deps } from '../src/deps.ts';
import { loadConfig } from '../src/platform/config.ts';
import { listPartitions } from '../src/privacy/retention.queries.ts';
import { USAGE_LOG } from '../src/privacy/usage-log/index.ts';
import { countRows } from '../src/privacy/usage-log/usage-log.queries.ts';
import type { ChildMessage, ParentMessage, ServerKind } from './protocol.ts';

const kinds: ServerKind[] = ['hello', 'products', 'products-pg', 'naive-log', 'candor'];

/** Rows of the bare baselines' product table: the demo's 32, or the large catalogue's size. */
const catalogueSize = Number(process.env.BENCH_CATALOGUE_PRODUCTS ?? 32);

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** The same connection settings as Candor's openDatabase (src/platform/db/dialect.ts). */
function openSqlite(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

function createProductTable(db: SQLite.Database): void {
  db.exec(`create table products (
    id varchar(64) primary key, slug varchar(255) not null unique, kind varchar(255) not null,
    title_en text not null, title_de text not null, summary_en text not null, summary_de text not null,
    price_cents integer not null, stock integer, position integer not null, created_at bigint not null)`);
  db.exec('create index products_position on products (position)');
  const insert = db.prepare(
    `insert into products (id, slug, kind, title_en, title_de, summary_en, summary_de, price_cents, stock, position, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const kindsOfProduct = ['software', 'hardware', 'expansion'];
  db.transaction(() => {
    for (let i = 0; i < catalogueSize; i++) {
      insert.run(
        randomUUID().replace(/-/g, '').slice(0, 24),
        `product-${i}`,
        kindsOfProduct[i % 3],
        `Product ${i}`,
        `Produkt ${i}`,
        `A fine product number ${i} for making music.`,
        `Ein feines Produkt Nummer ${i} zum Musikmachen.`,
        (19 + i * 10) * 100,
        i % 3 === 1 ? 10 + i : null,
        i,
        Date.now(),
      );
    }
  })();
}

interface Running {
  app: FastifyInstance;
  /** Closes what the server opened; returns row counts of its log, if it keeps one. */
  close(): Promise<Extract<ChildMessage, { type: 'stopped' }>>;
}

/** The bare PostgreSQL baseline: the same table and rows as createProductTable, in a schema dropped at the end. */
async function barePgServer(app: FastifyInstance): Promise<Running> {
  const url = process.env.BENCH_PG_URL;
  if (!url) throw new Error('products-pg needs BENCH_PG_URL');
  const schema = `bench_bare_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  // The same pool size as Candor's default (src/platform/db/dialect.ts).
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  await pool.query(`create table products (
    id varchar(64) primary key, slug varchar(255) not null unique, kind varchar(255) not null,
    title_en text not null, title_de text not null, summary_en text not null, summary_de text not null,
    price_cents integer not null, stock integer, position integer not null, created_at bigint not null)`);
  await pool.query(
    `insert into products
     select md5(i::text), 'product-' || i, (array['software','hardware','expansion'])[i % 3 + 1], 'Product ' || i,
       'Produkt ' || i, 'A fine product number ' || i || ' for making music.',
       'Ein feines Produkt Nummer ' || i || ' zum Musikmachen.', (19 + i * 10) * 100,
       case when i % 3 = 1 then 10 + i end, i, $1::bigint
     from generate_series(0, $2::int - 1) as i`,
    [Date.now(), catalogueSize],
  );
  await pool.query('create index products_position on products (position)');
  await pool.query('analyze products');
  app.get('/products', async () => ({
    items: (await pool.query({ name: 'list', text: 'select * from products order by position limit $1', values: [20] }))
      .rows,
  }));
  return {
    app,
    async close() {
      await pool.query(`drop schema ${schema} cascade`);
      await pool.end();
      return { type: 'stopped', usageLogRows: null, naiveLogRows: null };
    },
  };
}

async function bareServer(kind: Exclude<ServerKind, 'candor'>, dataDir: string): Promise<Running> {
  const app = Fastify({ logger: false });
  if (kind === 'hello') {
    app.get('/hello', async () => ({ hello: 'world' }));
    return { app, close: async () => ({ type: 'stopped', usageLogRows: null, naiveLogRows: null }) };
  }
  if (kind === 'products-pg') return barePgServer(app);

  const db = openSqlite(join(dataDir, `${kind}.sqlite`));
  createProductTable(db);
  const list = db.prepare('select * from products order by position limit ?');
  app.get('/products', async () => ({ items: list.all(20) }));

  let logInsert: SQLite.Statement | undefined;
  if (kind === 'naive-log') {
    db.exec(`create table request_log (
      id varchar(64) primary key, at bigint not null, duration_ms integer not null, method varchar(255) not null,
      path text not null, status integer not null, bytes integer not null, user_agent varchar(255), ip varchar(255) not null)`);
    logInsert = db.prepare(
      'insert into request_log (id, at, duration_ms, method, path, status, bytes, user_agent, ip) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insert = logInsert;
    // The unbuffered way: every request waits for its own INSERT (its own transaction) before the next one runs.
    app.addHook('onResponse', async (request, reply) => {
      const length = Number(reply.getHeader('content-length'));
      insert.run(
        randomUUID(),
        Date.now(),
        Math.round(reply.elapsedTime),
        request.method,
        request.url,
        reply.statusCode,
        Number.isFinite(length) ? length : 0,
        request.headers['user-agent']?.slice(0, 255) ?? null,
        request.ip,
      );
    });
  }
  return {
    app,
    async close() {
      const naiveLogRows = logInsert
        ? Number((db.prepare('select count(*) as n from request_log').get() as { n: number }).n)
        : null;
      db.close();
      return { type: 'stopped', usageLogRows: null, naiveLogRows };
    },
  };
}

async function candorServer(dataDir: string): Promise<Running> {
  const template = process.env.BENCH_TEMPLATE_DB;
  if (template) copyFileSync(template, join(dataDir, 'candor.sqlite'));
  const schema = process.env.BENCH_PG_SCHEMA;
  const pgUrl = process.env.BENCH_PG_URL;
  if (schema && !pgUrl) throw new Error('BENCH_PG_SCHEMA needs BENCH_PG_URL');
  const config = loadConfig({
    ...process.env,
    ...(schema && pgUrl ? { DATABASE_URL: pgUrl } : {}),
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    // The brief asked for 100000000; config.ts accepts at most 1000000 per minute, which is far above what one run sends.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  const deps: Deps = createDeps(config, schema ? { schema } : {});
  await migrateDatabase(deps);
  await seedDemoData(deps);
  const app = await buildApp(deps);
  return {
    app,
    async close() {
      await deps.usageLog.flush();
      let usageLogRows: number | null = null;
      if (config.usageLog) {
        usageLogRows = 0;
        for (const table of await listPartitions(deps.db, deps.dbKind, USAGE_LOG))
          usageLogRows += await countRows(deps.db, table);
      }
      await deps.close();
      return { type: 'stopped', usageLogRows, naiveLogRows: null };
    },
  };
}

async function main(): Promise<void> {
  const [kindArg, dataDir] = process.argv.slice(2);
  const kind = kinds.find((k) => k === kindArg);
  if (!kind || !dataDir) throw new Error(`usage: server.ts <${kinds.join('|')}> <dataDir>`);
  if (!process.send) throw new Error('server.ts must be started by bench/run.ts (it reports over IPC)');

  const running = kind === 'candor' ? await candorServer(dataDir) : await bareServer(kind, dataDir);
  await running.app.listen({ host: '127.0.0.1', port: 0 });
  const address = running.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await running.app.close();
    const result = await running.close();
    if (process.connected) send(result);
    process.disconnect?.();
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') {
      stop().catch((err: unknown) => {
        send({ type: 'failed', message: String((err as Error).stack ?? err) });
        process.exit(1);
      });
    }
  });
  // The parent died or closed the channel without asking: leave nothing behind.
  process.on('disconnect', () => {
    if (!stopping) process.exit(0);
  });
  send({ type: 'ready', port: address.port });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: String((err as Error).stack ?? err) });
  process.exitCode = 1;
  process.disconnect?.();
});
