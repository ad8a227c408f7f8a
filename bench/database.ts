// A throw-away Candor database for a bench part: SQLite in a temporary data directory, or PostgreSQL in a schema of
// its own on BENCH_PG_URL; migrated, handed to `run`, then closed and dropped whatever happens.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDeps, migrateDatabase } from '../src/composition.ts';
import type { Deps } from '../src/deps.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';

async function onServer(pgUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function withBenchDatabase<T>(
  database: 'sqlite' | 'postgres',
  pgUrl: string | undefined,
  label: string,
  run: (deps: Deps) => Promise<T>,
): Promise<T> {
  if (database === 'postgres' && !pgUrl) throw new Error('withBenchDatabase: PostgreSQL needs BENCH_PG_URL');
  const dir = makeTempDir(`${label}-${database}`);
  const schema =
    database === 'postgres' ? `bench_${label.replace(/\W/g, '_')}_${randomBytes(5).toString('hex')}` : undefined;
  if (schema && pgUrl) await onServer(pgUrl, `create schema ${schema}`);
  const config = loadConfig({
    DATA_DIR: dir,
    CANDOR_SECRET: randomBytes(32).toString('hex'),
    BASE_URL: 'http://127.0.0.1:3000',
    USAGE_LOG: 'off',
    LOG_LEVEL: 'silent',
    ...(schema && pgUrl ? { DATABASE_URL: pgUrl } : {}),
  });
  const deps = createDeps(config, { log: createLogger('silent'), ...(schema ? { schema } : {}) });
  try {
    await migrateDatabase(deps);
    return await run(deps);
  } finally {
    await deps.close?.();
    if (schema && pgUrl) await onServer(pgUrl, `drop schema ${schema} cascade`);
    removeTempDir(dir);
  }
}
