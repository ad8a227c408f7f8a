// Support (policy 4a, 4b; issue 14): tickets with their thread of messages and attachments, the customers' saved
// system profiles, repairs of registered hardware, and the staff's canned replies.
//
// Every row about a person carries `requester`: the account id of a registered customer, or the normalised email
// address of a guest who wrote through the contact form or by mail. The data map links all of them to their person
// through it (the data map's link 'user-id-or-email'), so export and
// erasure find a guest's tickets as well as a customer's.
//
// `kept_reason` says why a row outlives an erasure request ('business-letter': a ticket about an order, a repair or
// a warranty, § 257 HGB; 'legal-claim': staff marked it as needed for a legal claim). It is set on a ticket and on
// every message, attachment and repair of it together (support.queries.ts setTicketKept); such rows are restricted
// (`restricted_at`) instead of deleted, and go when `delete_after` of their ticket passes.

export type TicketState = 'new' | 'open' | 'waiting' | 'solved' | 'closed';
export const TICKET_STATES: readonly TicketState[] = ['new', 'open', 'waiting', 'solved', 'closed'];

export type TicketCategory = 'question' | 'technical' | 'licence' | 'order' | 'repair' | 'warranty' | 'other';
export const TICKET_CATEGORIES: readonly TicketCategory[] = [
  'question',
  'technical',
  'licence',
  'order',
  'repair',
  'warranty',
  'other',
];

/** How a ticket was opened. */
export type TicketSource = 'contact-form' | 'email' | 'account' | 'api';

export type KeptReason = 'business-letter' | 'legal-claim';

export interface SupportTicketsTable {
  id: string;
  /** A short reference shown to people ("T-7QK2M9XA"), unique; also the ticket's part of the reply token. */
  ref: string;
  requester: string;
  /** The name the guest gave (registered customers: null, their account's name is used). */
  requester_name: string | null;
  subject: string;
  state: TicketState;
  category: TicketCategory;
  product_id: string | null;
  order_id: string | null;
  /** The staff member who has the ticket (a user id), or null. */
  assignee_id: string | null;
  /** The language the customer writes in and gets mail in. */
  lang: string;
  source: TicketSource;
  /** The system profile as attached (JSON of SystemProfile, support.model.ts), frozen at that moment; or null. */
  profile_snapshot: string | null;
  /** A duplicate merged into another ticket: that ticket's id (its messages moved there). */
  merged_into: string | null;
  created_at: number;
  updated_at: number;
  solved_at: number | null;
  closed_at: number | null;
  kept_reason: KeptReason | null;
  /** Staff's words on a legal-claim hold (what the claim is). */
  kept_note: string | null;
  /** When retention deletes the ticket (with its messages, attachments and repair): set when it closes. */
  delete_after: number | null;
  restricted_at: number | null;
}

export type MessageAuthor = 'customer' | 'staff' | 'note';

export interface SupportMessagesTable {
  id: string;
  ticket_id: string;
  requester: string;
  /** 'customer', 'staff' (an answer the customer sees and gets by mail) or 'note' (internal, staff only). */
  author: MessageAuthor;
  /** The staff member who wrote an answer or note; null for the customer's messages. */
  staff_id: string | null;
  body: string;
  /** 'web', 'email' or 'api'. */
  via: string;
  /** The RFC 5322 Message-ID of the mail this message came in as, or went out as (threading, loop detection). */
  mail_message_id: string | null;
  created_at: number;
  kept_reason: KeptReason | null;
  restricted_at: number | null;
}

export interface SupportAttachmentsTable {
  /** Also the file's name under DATA_DIR/support-attachments/. */
  id: string;
  ticket_id: string;
  message_id: string;
  requester: string;
  /** The name as sent, cleaned (shown and used in Content-Disposition). */
  file_name: string;
  /** The type found from the content (magic bytes), never the one the sender claimed. */
  content_type: string;
  size: number;
  created_at: number;
  kept_reason: KeptReason | null;
  restricted_at: number | null;
}

export interface SupportProfilesTable {
  /** One profile per account. */
  user_id: string;
  /** JSON of SystemProfile (support.model.ts). */
  profile: string;
  updated_at: number;
}

export type RepairState = 'requested' | 'received' | 'repaired' | 'returned' | 'closed';

export interface SupportRepairsTable {
  id: string;
  ticket_id: string;
  requester: string;
  /** The registration of the unit (registrations feature), and its serial as registered. */
  registration_id: string;
  serial: string;
  product_id: string;
  fault: string;
  state: RepairState;
  /** The return address, asked for only here and cleared REPAIR_ADDRESS_DAYS after the repair is closed. */
  address_name: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  created_at: number;
  closed_at: number | null;
  kept_reason: KeptReason | null;
  restricted_at: number | null;
}

export interface SupportCannedRepliesTable {
  id: string;
  title_en: string;
  title_de: string;
  body_en: string;
  body_de: string;
  created_at: number;
  updated_at: number;
}

export interface SupportTables {
  support_tickets: SupportTicketsTable;
  support_messages: SupportMessagesTable;
  support_attachments: SupportAttachmentsTable;
  support_profiles: SupportProfilesTable;
  support_repairs: SupportRepairsTable;
  support_canned_replies: SupportCannedRepliesTable;
}
