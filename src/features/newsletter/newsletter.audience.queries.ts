// The audience of a newsletter campaign: confirmed subscriptions of a list, in id order (keyset pages), narrowed to
// a topic and a language. A subscription whose topics are `[]` wants every topic. The (list, status, id) index makes
// a page a range scan; the topic and language tests run on the rows of that range only. Exclusions (suppression
// list, objections) are the caller's: they need the mail feature and the privacy engine.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../database.ts';

export interface AudienceFilter {
  list: string;
  /** A topic id (`[a-z0-9-]`); absent: every subscription, whatever its topics. */
  topic?: string | undefined;
  /** Only subscriptions in this language; absent: all. */
  lang?: 'en' | 'de' | undefined;
}

export interface AudienceMember {
  id: string;
  email: string;
  lang: string;
  user_id: string | null;
}

const TOPIC = /^[a-z0-9][a-z0-9-]{0,63}$/;

function filtered<O>(
  query: SelectQueryBuilder<Database, 'newsletter_subscriptions', O>,
  filter: AudienceFilter,
): SelectQueryBuilder<Database, 'newsletter_subscriptions', O> {
  let q = query.where('list', '=', filter.list).where('status', '=', 'confirmed');
  if (filter.lang) q = q.where('lang', '=', filter.lang);
  if (filter.topic !== undefined) {
    // Topic ids hold no LIKE wildcard (checked here), so the quoted id matches exactly one array element.
    if (!TOPIC.test(filter.topic)) throw new Error('listAudiencePage: a topic id is [a-z0-9-]');
    const quoted = `%"${filter.topic}"%`;
    q = q.where((eb) => eb.or([eb('topics', '=', '[]'), eb('topics', 'like', quoted)]));
  }
  return q;
}

/** At most `limit` members after `afterId`, in id order. */
export async function listAudiencePage(
  db: Kysely<Database>,
  filter: AudienceFilter & { afterId?: string | undefined; limit: number },
): Promise<AudienceMember[]> {
  let q = filtered(db.selectFrom('newsletter_subscriptions').select(['id', 'email', 'lang', 'user_id']), filter);
  if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
  return q.orderBy('id').limit(filter.limit).execute();
}

/** How many confirmed subscriptions the filter selects (before the suppression list and objections). */
export async function countAudience(db: Kysely<Database>, filter: AudienceFilter): Promise<number> {
  const row = await filtered(
    db.selectFrom('newsletter_subscriptions').select(sql<number>`count(*)`.as('n')),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}
