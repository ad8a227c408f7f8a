// `npx tsx bench/cold-cache.ts`: what the uncached pages' statements cost alone and after the CPU's own caches were
// emptied, the way a request's other work empties them in a busy server. Issue 17 asked why the listing's
// statements cost about three times as much under load as alone (decision 0066). Each call is timed once with
// the caches warm (the same call just before) and once right after sweeping BENCH_SWEEP_MB of memory (default 8:
// four times a core's L2 here; the shared L3 of 480 MiB this virtual machine reports is not emptied); a tiny
// statement and a tiny JSON.parse show the part every call pays. A measurement run by hand on the demo catalogue in
// a throw-away SQLite database; not part of CI.
import { sql } from 'kysely';
import { seedDemoData } from '../src/composition.ts';
import { listHomeCatalogue, listProductCards } from '../src/features/catalog/catalog.queries.ts';
import { cleanUpEverything, installCleanupHandlers } from './cleanup.ts';
import { withBenchDatabase } from './database.ts';
import { intFromEnv } from './env.ts';

const CALLS = intFromEnv('BENCH_COLD_CALLS', 5000, 1);
const WARM_UP = 500;
const sweep = new Float64Array((intFromEnv('BENCH_SWEEP_MB', 8, 1) * 1024 * 1024) / 8);
let sink = 0;

/** Touches every cache line of `sweep`: what was in the core's L1 and L2 caches before is gone afterwards. */
function emptyCaches(): void {
  for (let i = 0; i < sweep.length; i += 8) sink += sweep[i]!++;
}

/** Median µs of one call, each call after `before` (which is not timed). */
async function timed(call: () => unknown, before: () => void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CALLS + WARM_UP; i++) {
    before();
    const start = process.hrtime.bigint();
    await call();
    if (i >= WARM_UP) times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

installCleanupHandlers();
try {
  await withBenchDatabase('sqlite', undefined, 'cold-cache', async (deps) => {
    await seedDemoData(deps);
    const db = deps.db;
    const small = '{"a":[1,2,3],"b":"x"}';
    const calls: [string, () => unknown][] = [
      ['JSON.parse of 21 characters', () => JSON.parse(small)],
      ['a statement reading one row', () => sql`select id from categories limit 1`.execute(db)],
      ['the home page statement', () => listHomeCatalogue(db, 'en', 2)],
      ['the /shop page statement', () => listProductCards(db, 'en', 20, 0, { dbKind: deps.dbKind })],
    ];
    console.log(`median of ${CALLS} calls, µs; L1 and L2 emptied by sweeping ${sweep.byteLength / 1024 / 1024} MB`);
    console.log(`${'call'.padEnd(30)} ${'warm'.padStart(8)} ${'cold'.padStart(8)}  cold/warm`);
    for (const [name, call] of calls) {
      const warm = await timed(call, () => {});
      const cold = await timed(call, emptyCaches);
      console.log(
        `${name.padEnd(30)} ${warm.toFixed(1).padStart(8)} ${cold.toFixed(1).padStart(8)}  ${(cold / warm).toFixed(1)}x`,
      );
    }
  });
} finally {
  cleanUpEverything();
}
if (sink < 0) console.log(sink);
