// SQL of the staff home's order figures: counts and sums computed by the database, on SQLite and PostgreSQL.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';

type Db = Kysely<Database>;

/** The statuses of a placed order that counts as a sale (not a failed attempt, cancelled or refunded). */
const SOLD = ['invoiced', 'paid', 'shipped', 'completed'] as const;

/** Orders and revenue per day: one column pair per day of `days` (starts, oldest first), the last day ending at `end`. */
export async function salesPerDay(
  db: Db,
  days: readonly number[],
  end: number,
): Promise<{ orders: number[]; cents: number[] }> {
  if (days.length === 0) return { orders: [], cents: [] };
  const bounds = days.map((start, i) => [start, days[i + 1] ?? end] as const);
  const row = await db
    .selectFrom('orders')
    .select(
      bounds.flatMap(([from, to], i) => [
        sql<number>`coalesce(sum(case when created_at >= ${from} and created_at < ${to} then 1 else 0 end), 0)`.as(
          `n${i}`,
        ),
        sql<number>`coalesce(sum(case when created_at >= ${from} and created_at < ${to} then total_cents else 0 end), 0)`.as(
          `c${i}`,
        ),
      ]),
    )
    .where('status', 'in', [...SOLD])
    .where('created_at', '>=', days[0]!)
    .where('created_at', '<', end)
    .executeTakeFirstOrThrow();
  const values = row as Record<string, number | string | null>;
  return {
    orders: bounds.map((_, i) => Number(values[`n${i}`] ?? 0)),
    cents: bounds.map((_, i) => Number(values[`c${i}`] ?? 0)),
  };
}

/** Paid orders with a hardware line, not shipped yet. */
export async function countOrdersToShip(db: Db): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'paid')
    .where('lines', 'like', '%"kind":"hardware"%')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Orders on invoice still unpaid: how many, the oldest one's placing time, and how many were placed before `overdueBefore`. */
export async function unpaidInvoices(
  db: Db,
  overdueBefore: number,
): Promise<{ count: number; oldest: number | null; overdue: number }> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('created_at').as('oldest'),
      sql<number>`coalesce(sum(case when created_at < ${overdueBefore} then 1 else 0 end), 0)`.as('overdue'),
    ])
    .where('status', '=', 'invoiced')
    .executeTakeFirstOrThrow();
  return {
    count: Number(row.n),
    oldest: row.oldest === null || row.oldest === undefined ? null : Number(row.oldest),
    overdue: Number(row.overdue),
  };
}
