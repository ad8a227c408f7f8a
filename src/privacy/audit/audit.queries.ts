// SQL of the compliance audit: counts only, read-only. Table and column names come from the data map (code),
// never from input; the audience check names the mail outbox and the survey invitations, where a person's
// objection must have kept them out.
import { sql, type Kysely } from 'kysely';
import { assertSafeIdentifier } from '../../platform/db/dialect.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the audit reads every table of the data map */
type AnyDb = Kysely<any>;

/** Rows whose `column` is before `cutoff`; with `anyOf`, only those where one of these columns is still set. */
export async function countRowsBefore(
  db: AnyDb,
  table: string,
  column: string,
  cutoff: number,
  anyOf?: string[],
): Promise<number> {
  let q = db
    .selectFrom(assertSafeIdentifier(table))
    .select((eb) => eb.fn.countAll().as('n'))
    .where(assertSafeIdentifier(column), '<', cutoff);
  if (anyOf && anyOf.length > 0)
    q = q.where((eb) => eb.or(anyOf.map((c) => eb(assertSafeIdentifier(c), 'is not', null))));
  const row = await q.executeTakeFirstOrThrow();
  return Number((row as { n: unknown }).n);
}

/**
 * Marketing mail of `list` still queued for an account whose objection or restriction of `activity` was recorded
 * before the mail was queued, and stood then.
 */
export async function countQueuedMailDespiteObjection(db: AnyDb, list: string, activity: string): Promise<number> {
  const r = await sql<{ n: unknown }>`
    select count(*) as n from outbox o
      join users u on u.email = o.recipient
      join processing_objections p on p.user_id = u.id
    where o.list = ${list} and o.sent_at is null and o.failed_at is null
      and p.activity = ${activity} and p.recorded_at <= o.created_at
      and (p.ends_at is null or p.ends_at > o.created_at)`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Survey invitations made while the invited person's objection or restriction of `activity` stood. */
export async function countInvitationsDespiteObjection(db: AnyDb, activity: string): Promise<number> {
  const r = await sql<{ n: unknown }>`
    select count(*) as n from survey_invitations i
      join processing_objections p on p.user_id = i.user_id
    where p.activity = ${activity} and p.recorded_at <= i.invited_at
      and (p.ends_at is null or p.ends_at > i.invited_at)`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
