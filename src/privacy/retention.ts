// Runs every retention rule of the data map once, tables and files, as of the clock's time. Idempotent: running
// twice at the same time changes nothing the second time. The worker's scheduler calls it; so does the CLI.
import type { Kysely } from 'kysely';
import { DAY, type Clock } from '../platform/clock.ts';
import type { DbKind } from '../platform/db/dialect.ts';
import { faultPoint } from '../platform/faults.ts';
import { cutoffOf, partitionDay, partitionStart, type DataMap } from './data-map.ts';
import { runFileRetention } from './files.ts';
import {
  clearColumnsOlderThan,
  deleteRowsBefore,
  deleteRowsOlderThan,
  dropPartition,
  listPartitions,
} from './retention.queries.ts';

export interface RetentionOutcome {
  rule: string;
  /** The table, or for a file set its id. */
  table: string;
  rows: number;
  partitionsDropped: number;
  /** Files deleted (file sets only). */
  files?: number;
}

export interface RetentionDeps {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  dbKind: DbKind;
  clock: Clock;
  dataMap: DataMap;
  /** Where the data map's file sets live; without it only tables are handled. */
  config?: { dataDir: string };
}

/**
 * Each rule is its own statement(s): a run killed between rules leaves the later ones for the next run, which
 * finishes them (the fault point names that step). With `signal` (the job's), an aborted run stops between rules.
 */
export async function runRetention(deps: RetentionDeps, signal?: AbortSignal): Promise<RetentionOutcome[]> {
  const now = deps.clock.now();
  const outcomes: RetentionOutcome[] = [];
  for (const table of deps.dataMap.tables) {
    for (const rule of table.retention) {
      signal?.throwIfAborted();
      const cutoff = cutoffOf(rule.after, now);
      const outcome: RetentionOutcome = { rule: rule.id, table: table.table, rows: 0, partitionsDropped: 0 };
      const action = rule.action;
      if (action.kind === 'drop-partition') {
        for (const physical of await listPartitions(deps.db, deps.dbKind, table.table)) {
          const start = partitionStart(partitionDay(table.table, physical) as string);
          // Without `exact`, a day goes whole as soon as its first rows expire: a little early, never late.
          if (start + DAY <= cutoff || (!action.exact && start < cutoff)) {
            await dropPartition(deps.db, physical);
            outcome.partitionsDropped++;
          } else if (start < cutoff) {
            outcome.rows += await deleteRowsBefore(deps.db, physical, rule.from, cutoff);
          }
        }
      } else if (action.kind === 'delete') {
        outcome.rows = await deleteRowsOlderThan(deps.db, table.table, rule.from, cutoff);
      } else {
        outcome.rows = await clearColumnsOlderThan(deps.db, table.table, rule.from, cutoff, action.columns);
      }
      outcomes.push(outcome);
      faultPoint('retention.after-rule');
    }
  }
  // Files after rows: a file whose row just expired goes in the same run.
  if (deps.config) {
    signal?.throwIfAborted();
    for (const f of await runFileRetention({
      db: deps.db,
      clock: deps.clock,
      dataMap: deps.dataMap,
      dataDir: deps.config.dataDir,
    })) {
      outcomes.push({ rule: f.rule, table: f.set, rows: 0, partitionsDropped: 0, files: f.files });
    }
  }
  return outcomes;
}

export { cutoffOf };
