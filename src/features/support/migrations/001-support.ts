// Tickets, messages, attachments, system profiles, repairs and canned replies (issue 14). A ticket's messages,
// attachments and repair go with it (foreign keys with cascade), so retention deletes a ticket as one row; the
// attachment files follow through the file sets of the data map.
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createSupport: Migration = {
  id: 'support.001-support',
  async up(db) {
    await db.schema
      .createTable('support_tickets')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('ref', types.short, (c) => c.notNull().unique())
      .addColumn('requester', types.short, (c) => c.notNull())
      .addColumn('requester_name', types.short)
      .addColumn('subject', types.short, (c) => c.notNull())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('category', types.short, (c) => c.notNull())
      .addColumn('product_id', types.id)
      .addColumn('order_id', types.id)
      .addColumn('assignee_id', types.id)
      .addColumn('lang', types.short, (c) => c.notNull())
      .addColumn('source', types.short, (c) => c.notNull())
      .addColumn('profile_snapshot', types.json)
      .addColumn('merged_into', types.id)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .addColumn('solved_at', types.time)
      .addColumn('closed_at', types.time)
      .addColumn('kept_reason', types.short)
      .addColumn('kept_note', types.text)
      .addColumn('delete_after', types.time)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema
      .createIndex('support_tickets_requester')
      .on('support_tickets')
      .columns(['requester', 'updated_at'])
      .execute();
    await db.schema
      .createIndex('support_tickets_queue')
      .on('support_tickets')
      .columns(['state', 'updated_at', 'id'])
      .execute();
    await db.schema
      .createIndex('support_tickets_assignee')
      .on('support_tickets')
      .columns(['assignee_id', 'state'])
      .execute();
    await db.schema.createIndex('support_tickets_delete_after').on('support_tickets').column('delete_after').execute();
    await db.schema
      .createIndex('support_tickets_solved')
      .on('support_tickets')
      .columns(['state', 'solved_at'])
      .execute();

    await db.schema
      .createTable('support_messages')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('ticket_id', types.id, (c) => c.notNull().references('support_tickets.id').onDelete('cascade'))
      .addColumn('requester', types.short, (c) => c.notNull())
      .addColumn('author', types.short, (c) => c.notNull())
      .addColumn('staff_id', types.id)
      .addColumn('body', types.text, (c) => c.notNull())
      .addColumn('via', types.short, (c) => c.notNull())
      .addColumn('mail_message_id', types.short)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('kept_reason', types.short)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema
      .createIndex('support_messages_ticket')
      .on('support_messages')
      .columns(['ticket_id', 'created_at'])
      .execute();
    await db.schema.createIndex('support_messages_requester').on('support_messages').column('requester').execute();
    // One message per inbound mail: a mail delivered twice at once fails the second insert (the listener answers
    // 451 and the retry finds it read). Answers and notes have no mail id (NULLs never collide).
    await db.schema
      .createIndex('support_messages_mail_id')
      .unique()
      .on('support_messages')
      .column('mail_message_id')
      .execute();

    await db.schema
      .createTable('support_attachments')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('ticket_id', types.id, (c) => c.notNull().references('support_tickets.id').onDelete('cascade'))
      .addColumn('message_id', types.id, (c) => c.notNull().references('support_messages.id').onDelete('cascade'))
      .addColumn('requester', types.short, (c) => c.notNull())
      .addColumn('file_name', types.short, (c) => c.notNull())
      .addColumn('content_type', types.short, (c) => c.notNull())
      .addColumn('size', types.int, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('kept_reason', types.short)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('support_attachments_message').on('support_attachments').column('message_id').execute();
    await db.schema.createIndex('support_attachments_ticket').on('support_attachments').column('ticket_id').execute();
    await db.schema
      .createIndex('support_attachments_requester')
      .on('support_attachments')
      .column('requester')
      .execute();

    await db.schema
      .createTable('support_profiles')
      .addColumn('user_id', types.id, (c) => c.primaryKey())
      .addColumn('profile', types.json, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('support_repairs')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('ticket_id', types.id, (c) => c.notNull().references('support_tickets.id').onDelete('cascade'))
      .addColumn('requester', types.short, (c) => c.notNull())
      .addColumn('registration_id', types.id, (c) => c.notNull())
      .addColumn('serial', types.short, (c) => c.notNull())
      .addColumn('product_id', types.id, (c) => c.notNull())
      .addColumn('fault', types.text, (c) => c.notNull())
      .addColumn('state', types.short, (c) => c.notNull())
      .addColumn('address_name', types.short)
      .addColumn('address_line1', types.short)
      .addColumn('address_line2', types.short)
      .addColumn('postal_code', types.short)
      .addColumn('city', types.short)
      .addColumn('country', types.short)
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('closed_at', types.time)
      .addColumn('kept_reason', types.short)
      .addColumn('restricted_at', types.time)
      .execute();
    await db.schema.createIndex('support_repairs_ticket').on('support_repairs').column('ticket_id').execute();
    await db.schema.createIndex('support_repairs_requester').on('support_repairs').column('requester').execute();
    await db.schema.createIndex('support_repairs_closed').on('support_repairs').column('closed_at').execute();

    await db.schema
      .createTable('support_canned_replies')
      .addColumn('id', types.id, (c) => c.primaryKey())
      .addColumn('title_en', types.short, (c) => c.notNull())
      .addColumn('title_de', types.short, (c) => c.notNull())
      .addColumn('body_en', types.text, (c) => c.notNull())
      .addColumn('body_de', types.text, (c) => c.notNull())
      .addColumn('created_at', types.time, (c) => c.notNull())
      .addColumn('updated_at', types.time, (c) => c.notNull())
      .execute();
  },
};
