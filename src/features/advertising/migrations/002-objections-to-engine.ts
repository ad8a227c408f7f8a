import type { Migration } from '../../../platform/db/migrate.ts';
import { ensureProcessingObjections } from '../../../privacy/migrations/001-processing-objections.ts';

/** Objections move to the privacy engine's table (privacy/objections.ts), which `mayProcess` reads. */
export const moveObjectionsToEngine: Migration = {
  id: 'advertising.002-objections-to-processing-objections',
  async up(db) {
    // The engine's migration runs later in manifest order and finds the table there, with the same schema.
    await ensureProcessingObjections(db);
    await db
      .insertInto('processing_objections')
      .columns(['user_id', 'activity', 'kind', 'recorded_at', 'via'])
      .expression((eb) =>
        eb
          .selectFrom('advertising_objections')
          .select((s) => [
            'user_id',
            s.val('advertising.similar-products').as('activity'),
            s.val('objection').as('kind'),
            'objected_at',
            'via',
          ]),
      )
      .execute();
    await db.schema.dropTable('advertising_objections').execute();
  },
};
