// Competitions, their entries and their draws (issue 13). Entries carry their own deletion time (`delete_after`),
// so retention is one indexed range delete; one entry per address and competition is a unique index.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createCompetitions: Migration = {
  id: 'competitions.001-competitions',
  async up(db) {
    await db.schema
      .createTable('competitions')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('slug', types.short, (c) => c.notNull().unique())
      .addColumn('title_en', types.short, (c) => c.notNull())
      .addColumn('title_de', types.short, (c) => c.notNull())
      .addColumn('text_en', types.text, (c) => c.notNull())
      .addColumn('text_de', types.text, (c) => c.notNull())
      .addColumn('prize_en', types.short, (c) => c.notNull())
      .addColumn('prize_de', types.short, (c) => c.notNull())
      .addColumn('starts_at', types.time, (c) => c.notNull())
      .addColumn('ends_at', types.time, (c) => c.notNull())
      .addColumn('winners', types.int, (c) => c.notNull())
      .addColumn('countries', types.json, (c) => c.notNull())
      .addColumn('prize_days', types.int, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .addColumn('drawn_at', types.time)
      .execute();
    await db.schema
      .createTable('competition_entries')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('competition_id', types.id, (c) => c.notNull().references('competitions.id'))
      .addColumn('email', types.short, (c) => c.notNull())
      .addColumn('given_name', types.short, (c) => c.notNull())
      .addColumn('surname', types.short, (c) => c.notNull())
      .addColumn('country', types.short, (c) => c.notNull())
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('status', types.short, (c) => c.notNull())
      .addColumn('link_ref', types.short, (c) => c.notNull().unique())
      .addColumn('terms_version', types.short, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('confirmed_at', types.time)
      .addColumn('won_position', types.int)
      .addColumn('handed_over_at', types.time)
      .addColumn('delete_after', types.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('competition_entries_one_per_address')
      .unique()
      .on('competition_entries')
      .columns(['competition_id', 'email'])
      .execute();
    await db.schema
      .createIndex('competition_entries_delete_after')
      .on('competition_entries')
      .column('delete_after')
      .execute();
    await db.schema.createIndex('competition_entries_email').on('competition_entries').column('email').execute();
    await db.schema
      .createTable('competition_draws')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('competition_id', types.id, (c) => c.notNull().unique().references('competitions.id'))
      .addColumn('drawn_at', types.time, (c) => c.notNull())
      .addColumn('seed', types.short, (c) => c.notNull())
      .addColumn('entry_hashes', types.text, (c) => c.notNull())
      .addColumn('winners_wanted', types.int, (c) => c.notNull())
      .addColumn('winner_hashes', types.text, (c) => c.notNull())
      .addColumn('algorithm', types.short, (c) => c.notNull())
      .execute();
  },
};
