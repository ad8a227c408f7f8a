// Rewrites stored addresses into the one form that is compared (NFKC, trimmed, lower-cased: issue 8 point 19), so a
// full-width address stored earlier can still sign in and reset. A row whose normal form another row already has, or
// would get too, is left as it was: merging accounts is a person's decision, not a migration's. Only a count is logged.
import type { Kysely } from 'kysely';
import type { Migration } from '../../../platform/db/migrate.ts';

/** Frozen copy of the rule at the time of this migration (the service's normaliseEmail may change later). */
const normaliseThen = (raw: string): string => raw.normalize('NFKC').trim().toLowerCase();

export async function normaliseStoredEmails(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
  db: Kysely<any>,
  normalise: (raw: string) => string = normaliseThen,
): Promise<{ changed: number; collisions: number }> {
  const rows = (await db.selectFrom('users').select(['id', 'email']).execute()) as { id: string; email: string }[];
  const byForm = new Map<string, { id: string; email: string }[]>();
  for (const row of rows) byForm.set(normalise(row.email), [...(byForm.get(normalise(row.email)) ?? []), row]);
  let changed = 0;
  let collisions = 0;
  for (const [form, group] of byForm) {
    for (const row of group) {
      if (row.email === form) continue;
      if (group.length > 1) {
        collisions++;
        continue;
      }
      await db.updateTable('users').set({ email: form }).where('id', '=', row.id).execute();
      changed++;
    }
  }
  return { changed, collisions };
}

export const normaliseEmails: Migration = {
  id: 'accounts.003-normalise-emails',
  async up(db) {
    const { changed, collisions } = await normaliseStoredEmails(db);
    // Counts only: no address ever reaches the log.
    if (changed > 0 || collisions > 0)
      console.warn(
        `accounts.003-normalise-emails: ${changed} addresses normalised, ${collisions} left unchanged because another account has their normal form`,
      );
  },
};
