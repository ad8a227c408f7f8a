// /readyz: whether this process can serve, checked against what it needs. The database answers a trivial
// statement, every migration this configuration runs is applied, and Redis answers PING when REDIS_URL is set.
// Each check is cut off after CHECK_TIMEOUT_MS. The answer names failing checks only: never an error text (it
// could carry a host or a credential). Concurrent probes share one check, and an answer is reused for
// REUSE_MS, so a flood of probes (the route is not rate-limited) costs the database one check per second at most.
import type { Deps } from '../../deps.ts';
import { listAppliedMigrationIds, pingDatabase } from './operations.queries.ts';

export const CHECK_TIMEOUT_MS = 1000;
const REUSE_MS = 1000;

export type CheckResult = 'ok' | 'failed' | 'unknown';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; migrations: CheckResult; redis?: CheckResult };
  /** The names of the checks that are not `ok`. */
  failing: string[];
}

type ReadinessDeps = Pick<Deps, 'db' | 'migrationIds' | 'config' | 'shared'>;

/** A check function for one app: shares a check in flight and reuses its answer for a second. */
export function createReadinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  let last: { at: number; result: Promise<Readiness> } | undefined;
  return () => {
    const now = performance.now();
    if (last && now - last.at < REUSE_MS) return last.result;
    const result = checkReadiness(deps);
    last = { at: now, result };
    return result;
  };
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const [database, migrations, redis] = await Promise.all([
    outcome(pingDatabase(deps.db)),
    migrationsApplied(deps),
    deps.config.redisUrl ? redisAnswers(deps) : Promise.resolve(undefined),
  ]);
  const checks: Readiness['checks'] = {
    database,
    // Without a database the migrations cannot be known, whatever the second statement said.
    migrations: database === 'ok' ? migrations : 'unknown',
    ...(redis ? { redis } : {}),
  };
  const failing = Object.entries(checks)
    .filter(([, v]) => v !== 'ok')
    .map(([k]) => k);
  return { ready: failing.length === 0, checks, failing };
}

async function migrationsApplied(deps: ReadinessDeps): Promise<CheckResult> {
  try {
    const applied = await withTimeout(listAppliedMigrationIds(deps.db));
    return deps.migrationIds.every((id) => applied.has(id)) ? 'ok' : 'failed';
  } catch {
    return 'failed';
  }
}

/** PING on the shared-state connection (one per Deps, platform/shared-state.ts): no new connection per probe. */
async function redisAnswers(deps: ReadinessDeps): Promise<CheckResult> {
  const client = deps.shared.client;
  if (!client || client.status !== 'ready') return 'failed';
  try {
    return (await withTimeout(client.ping())) === 'PONG' ? 'ok' : 'failed';
  } catch {
    return 'failed';
  }
}

async function outcome(check: Promise<unknown>): Promise<CheckResult> {
  try {
    await withTimeout(check);
    return 'ok';
  } catch {
    return 'failed';
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
