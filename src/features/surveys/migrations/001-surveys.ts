// Surveys, consents, invitations and answers (issue 13). Invitations and answers go with their survey (foreign key
// with cascade); the answers' `delete_after` index lets the retention job find expired answers by a range scan.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createSurveys: Migration = {
  id: 'surveys.001-surveys',
  async up(db) {
    await db.schema
      .createTable('surveys')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('title_en', types.short, (c) => c.notNull())
      .addColumn('title_de', types.short, (c) => c.notNull())
      .addColumn('intro_en', types.text, (c) => c.notNull())
      .addColumn('intro_de', types.text, (c) => c.notNull())
      .addColumn('questions', types.json, (c) => c.notNull().defaultTo('[]'))
      .addColumn('product_ids', types.json, (c) => c.notNull().defaultTo('[]'))
      .addColumn('retention_days', types.int, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('opened_at', types.time)
      .addColumn('closed_at', types.time)
      .execute();
    await db.schema.createIndex('surveys_created').on('surveys').columns(['created_at', 'id']).execute();
    await db.schema
      .createTable('survey_consents')
      .addColumn('user_id', types.id, (c) => c.primaryKey())
      .addColumn('given_at', types.time, (c) => c.notNull())
      .addColumn('source', types.short, (c) => c.notNull())
      .addColumn('consent_text', types.text, (c) => c.notNull())
      .addColumn('consent_version', types.short, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('survey_invitations')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('survey_id', types.id, (c) => c.notNull().references('surveys.id').onDelete('cascade'))
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('invited_at', types.time, (c) => c.notNull())
      .addColumn('responded_at', types.time)
      .execute();
    await db.schema
      .createIndex('survey_invitations_once')
      .unique()
      .on('survey_invitations')
      .columns(['survey_id', 'user_id'])
      .execute();
    await db.schema.createIndex('survey_invitations_user').on('survey_invitations').column('user_id').execute();
    await db.schema
      .createTable('survey_responses')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('survey_id', types.id, (c) => c.notNull().references('surveys.id').onDelete('cascade'))
      .addColumn('user_id', types.id, (c) => c.notNull())
      .addColumn('answers', types.json, (c) => c.notNull())
      .addColumn('submitted_at', types.time, (c) => c.notNull())
      .addColumn('delete_after', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('survey_responses_once')
      .unique()
      .on('survey_responses')
      .columns(['survey_id', 'user_id'])
      .execute();
    await db.schema.createIndex('survey_responses_user').on('survey_responses').column('user_id').execute();
    await db.schema.createIndex('survey_responses_expiry').on('survey_responses').column('delete_after').execute();
  },
};
