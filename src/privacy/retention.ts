// Runs every retention rule of the data map once, as of the clock's time. Idempotent: running twice
// at the same time changes nothing the second time. The worker's scheduler calls it; so does the CLI.
import type { Kysely } from 'kysely';
import { DAY, type Clock } from '../platform/clock.ts';
import type { DbKind } from '../platform/db/dialect.ts';
import { partitionDay, partitionStart, type DataMap, type Duration } from './data-map.ts';
import { clearColumnsOlderThan, deleteRowsBefore, deleteRowsOlderThan, dropPartition, listPartitions } from './retention.queries.ts';

export interface RetentionOutcome {
  rule: string;
  table: string;
  rows: number;
  partitionsDropped: number;
}

export interface RetentionDeps {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  dbKind: DbKind;
  clock: Clock;
  dataMap: DataMap;
}

export async function runRetention(deps: RetentionDeps): Promise<RetentionOutcome[]> {
  const now = deps.clock.now();
  const outcomes: RetentionOutcome[] = [];
  for (const table of deps.dataMap.tables) {
    for (const rule of table.retention) {
      const cutoff = cutoffOf(rule.after, now);
      const outcome: RetentionOutcome = { rule: rule.id, table: table.table, rows: 0, partitionsDropped: 0 };
      const action = rule.action;
      if (action.kind === 'drop-partition') {
        for (const physical of await listPartitions(deps.db, deps.dbKind, table.table)) {
          const start = partitionStart(partitionDay(table.table, physical) as string);
          if (start + DAY <= cutoff) {
            await dropPartition(deps.db, physical);
            outcome.partitionsDropped++;
          } else if (action.exact && start < cutoff) {
            outcome.rows += await deleteRowsBefore(deps.db, physical, rule.from, cutoff);
          }
        }
      } else if (action.kind === 'delete') {
        outcome.rows = await deleteRowsOlderThan(deps.db, table.table, rule.from, cutoff);
      } else {
        outcome.rows = await clearColumnsOlderThan(deps.db, table.table, rule.from, cutoff, action.columns);
      }
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** Rows whose period-start column is below this have expired. For years from the end of the calendar year, a
 * row from year Y expires on 1 January of Y + years + 1. */
export function cutoffOf(after: Duration, now: number): number {
  if ('days' in after) return now - after.days * DAY;
  return Date.UTC(new Date(now).getUTCFullYear() - after.years, 0, 1);
}
