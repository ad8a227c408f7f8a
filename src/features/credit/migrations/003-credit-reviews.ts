// Requests for a human review of a declined credit check (issue 10, point 1; Art. 22(3) GDPR). A request goes with
// the check it concerns (cascade) and with the account.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCreditReviews: Migration = {
  id: 'credit.003-credit-reviews',
  async up(db) {
    await db.schema
      .createTable('credit_reviews')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('check_id', types.id, (c) => c.notNull().unique().references('credit_checks.id').onDelete('cascade'))
      .addColumn('user_id', types.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('method', types.short, (c) => c.notNull())
      .addColumn('amount_cents', types.time, (c) => c.notNull())
      .addColumn('billing', types.json, (c) => c.notNull())
      .addColumn('billing_key', types.short, (c) => c.notNull())
      .addColumn('statement', types.text)
      .addColumn('requested_at', types.time, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('staff_note', types.text)
      .addColumn('decided_at', types.time)
      .addColumn('approval_expires_at', types.time)
      .addColumn('approval_used_at', types.time)
      // The order the approval was used for: given back when that order fails or is withdrawn unpaid.
      .addColumn('approval_order_id', types.id)
      .execute();
    await db.schema.createIndex('credit_reviews_user').on('credit_reviews').column('user_id').execute();
    await db.schema.createIndex('credit_reviews_status').on('credit_reviews').column('status').execute();
  },
};
