// Transactional mail is claimed before marketing mail (review 13, finding 13): an index whose range holds the due
// unsent rows of one list value, so "due rows without a list, oldest first" is a range scan however many campaign
// mails are due beside them.
import type { Migration } from '../../../platform/db/migrate.ts';

export const addTransactionalFirstIndex: Migration = {
  id: 'mail.006-transactional-first',
  async up(db) {
    await db.schema
      .createIndex('outbox_due_by_list')
      .on('outbox')
      .columns(['sent_at', 'failed_at', 'list', 'next_attempt_at'])
      .execute();
  },
};
