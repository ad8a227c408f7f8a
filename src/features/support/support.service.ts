// The ticket's life: opened (contact form, mail, account, API), answered (customer, staff, internal note), moved
// between states, attachments checked and stored, the customer told by mail with a reply token. Every other part of
// support (pages, API, inbound mail, the console) goes through these functions.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import type { Lang } from '../../platform/i18n.ts';
import { enqueueMail } from '../mail/index.ts';
import { staffReplyMail } from './support.emails.ts';
import { reindexTicket } from './support.search.queries.ts';
import { checkAttachment, removeAttachmentFile, writeAttachmentFile } from './support.files.ts';
import { LIMITS, type SystemProfile } from './support.model.ts';
import {
  findAccountContact,
  deleteTicket,
  findTicket,
  insertAttachment,
  listAttachments,
  insertMessage,
  insertTicket,
  listSolvedBefore,
  setTicketKept,
  updateTicket,
} from './support.queries.ts';
import type {
  KeptReason,
  MessageAuthor,
  SupportTicketsTable,
  TicketCategory,
  TicketSource,
  TicketState,
} from './support.tables.ts';
import { newTicketRef, notificationMessageId, replyToAddress } from './support.tokens.ts';

type SupportDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

/** A solved ticket closes itself after this long without an answer. */
export const SOLVED_CLOSES_AFTER = 7 * DAY;
/** The categories that make a ticket a business letter (§ 257 HGB), kept through an erasure request. */
const LETTER_CATEGORIES: readonly TicketCategory[] = ['order', 'repair', 'warranty'];

export interface NewAttachment {
  fileName: string;
  content: Buffer;
}

/** Why an attachment was refused, for the caller's message in the person's language. */
export class AttachmentRefused extends Error {
  constructor(
    readonly reason: 'too-big' | 'type' | 'empty' | 'too-many',
    readonly fileName: string,
  ) {
    super(`attachment refused: ${reason}`);
  }
}

/**
 * The ticket is restricted (its person asked for erasure, and it is kept only as a business letter or for a legal
 * claim): nothing may process it any more, neither a new message nor a staff answer, a state or a merge.
 */
export class TicketRestricted extends AppError {
  constructor() {
    super(409, 'ticket_restricted', {
      en: 'This request is closed and kept only under restriction, so it can no longer be answered or changed. Please open a new request.',
      de: 'Diese Anfrage ist abgeschlossen und wird nur noch eingeschränkt aufbewahrt; sie lässt sich nicht mehr beantworten oder ändern. Bitte stellen Sie eine neue Anfrage.',
    });
  }
}

// Control characters (but tab and line feed in a body) and bidirectional overrides never reach a ticket: a NUL
// breaks PostgreSQL text, a line break in a subject or name could break the headers of a mail that quotes it.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A subject or a name: one line, no control characters, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROLS, '')
    .trim()
    .slice(0, max);
}

/** A message body: lines kept (CRLF becomes LF), other control characters removed, at most `max` characters. */
export function bodyText(text: string, max: number): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '').slice(0, max);
}

/** The requester key of a person: their account id, or a guest's normalised address. */
export function requesterOf(who: { userId: string } | { email: string }): string {
  return 'userId' in who ? who.userId : normaliseEmail(who.email);
}

export const isGuestRequester = (requester: string): boolean => requester.includes('@');

export interface OpenTicket {
  requester: string;
  /** A guest's name as given (registered customers: their account's name is used). */
  requesterName?: string | null;
  subject: string;
  body: string;
  lang: Lang;
  source: TicketSource;
  category?: TicketCategory;
  productId?: string | null;
  orderId?: string | null;
  profile?: SystemProfile | null;
  attachments?: NewAttachment[];
  /** The Message-ID of the inbound mail that opened it. */
  mailMessageId?: string | null;
  /** Runs in the ticket's transaction, after its first message (a repair's row and hand-offs: support.repairs.ts). */
  within?: (trx: Deps['db'], ticket: { id: string; ref: string }) => Promise<void>;
}

/**
 * Checks every attachment before anything is written: one refused file refuses the message, and nothing is stored.
 */
export function checkAttachments(
  deps: Pick<Deps, 'config'>,
  files: NewAttachment[],
): { fileName: string; contentType: string; content: Buffer }[] {
  if (files.length > 5) throw new AttachmentRefused('too-many', files[5]!.fileName);
  const max = deps.config.supportAttachmentMaxMb * 1024 * 1024;
  return files.map((f) => {
    const checked = checkAttachment(f.fileName, f.content, max);
    if (!checked.ok) throw new AttachmentRefused(checked.reason, f.fileName);
    return { fileName: checked.fileName, contentType: checked.contentType, content: f.content };
  });
}

/** Opens a ticket with its first message (and attachments, checked first). */
export async function openTicket(
  deps: SupportDeps,
  input: OpenTicket,
): Promise<{ id: string; ref: string; messageId: string }> {
  const files = checkAttachments(deps, input.attachments ?? []);
  const now = deps.clock.now();
  const category = input.category ?? (input.orderId ? 'order' : 'question');
  const ticket: SupportTicketsTable = {
    id: randomUUID(),
    ref: newTicketRef(),
    requester: input.requester,
    requester_name: input.requesterName ? oneLine(input.requesterName, LIMITS.name) || null : null,
    subject: oneLine(input.subject, LIMITS.subject) || (input.lang === 'de' ? '(ohne Betreff)' : '(no subject)'),
    state: 'new',
    category,
    product_id: input.productId ?? null,
    order_id: input.orderId ?? null,
    assignee_id: null,
    lang: input.lang,
    source: input.source,
    profile_snapshot: input.profile ? JSON.stringify(input.profile) : null,
    merged_into: null,
    created_at: now,
    updated_at: now,
    solved_at: null,
    closed_at: null,
    kept_reason: null,
    kept_note: null,
    delete_after: null,
    restricted_at: null,
  };
  let messageId = '';
  await withFiles(deps, files, async (written) => {
    await deps.db.transaction().execute(async (trx) => {
      await insertTicket(trx, ticket);
      messageId = await writeMessage(trx, deps, ticket, {
        author: 'customer',
        staffId: null,
        body: input.body,
        via: viaOf(input.source),
        mailMessageId: input.mailMessageId ?? null,
        files: written,
      });
      if (input.within) await input.within(trx, { id: ticket.id, ref: ticket.ref });
      if (LETTER_CATEGORIES.includes(category) || input.orderId)
        await setTicketKept(trx, ticket.id, 'business-letter', null);
      await reindexTicket(trx, ticket.id);
    });
  });
  return { id: ticket.id, ref: ticket.ref, messageId };
}

const viaOf = (source: TicketSource): string => (source === 'email' ? 'email' : source === 'api' ? 'api' : 'web');

interface WrittenFile {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** Writes the files first (their rows follow in the transaction); removes them again if the transaction fails. */
async function withFiles(
  deps: SupportDeps,
  files: { fileName: string; contentType: string; content: Buffer }[],
  body: (written: WrittenFile[]) => Promise<void>,
): Promise<void> {
  const now = deps.clock.now();
  const written = files.map((f) => {
    const id = randomUUID();
    writeAttachmentFile(deps.config.dataDir, id, f.content, now);
    return { id, fileName: f.fileName, contentType: f.contentType, size: f.content.length };
  });
  try {
    await body(written);
  } catch (err) {
    for (const f of written) removeAttachmentFile(deps.config.dataDir, f.id);
    throw err;
  }
}

async function writeMessage(
  db: Deps['db'],
  deps: SupportDeps,
  ticket: SupportTicketsTable,
  m: {
    author: MessageAuthor;
    staffId: string | null;
    body: string;
    via: string;
    mailMessageId: string | null;
    files: WrittenFile[];
  },
): Promise<string> {
  const now = deps.clock.now();
  const id = randomUUID();
  await insertMessage(db, {
    id,
    ticket_id: ticket.id,
    requester: ticket.requester,
    author: m.author,
    staff_id: m.staffId,
    body: bodyText(m.body, LIMITS.body),
    via: m.via,
    mail_message_id: m.mailMessageId,
    created_at: now,
    kept_reason: ticket.kept_reason,
    restricted_at: null,
  });
  for (const f of m.files)
    await insertAttachment(db, {
      id: f.id,
      ticket_id: ticket.id,
      message_id: id,
      requester: ticket.requester,
      file_name: f.fileName,
      content_type: f.contentType,
      size: f.size,
      created_at: now,
      kept_reason: ticket.kept_reason,
      restricted_at: null,
    });
  return id;
}

/** The ticket a duplicate was merged into (through any chain of merges), or the ticket itself. */
async function followMerges(db: Deps['db'], ticketId: string): Promise<SupportTicketsTable | undefined> {
  let ticket = await findTicket(db, ticketId);
  for (let hops = 0; ticket?.merged_into && hops < 10; hops++) ticket = await findTicket(db, ticket.merged_into);
  return ticket;
}

/**
 * The customer writes again (account, API, or a reply by mail): the ticket opens again, whatever its state. A message
 * to a merged duplicate goes to the ticket it was merged into; a restricted ticket takes none (TicketRestricted).
 */
export async function addCustomerMessage(
  deps: SupportDeps,
  ticketId: string,
  m: { body: string; via: 'web' | 'email' | 'api'; attachments?: NewAttachment[]; mailMessageId?: string | null },
): Promise<string> {
  const files = checkAttachments(deps, m.attachments ?? []);
  let id = '';
  await withFiles(deps, files, async (written) => {
    await deps.db.transaction().execute(async (trx) => {
      const ticket = await followMerges(trx, ticketId);
      if (!ticket) throw new Error('no such ticket');
      if (ticket.restricted_at !== null) throw new TicketRestricted();
      id = await writeMessage(trx, deps, ticket, {
        author: 'customer',
        staffId: null,
        body: m.body,
        via: m.via,
        mailMessageId: m.mailMessageId ?? null,
        files: written,
      });
      await updateTicket(trx, ticket.id, {
        state: ticket.state === 'new' ? 'new' : 'open',
        updated_at: deps.clock.now(),
        solved_at: null,
        closed_at: null,
        delete_after: ticket.kept_reason === 'legal-claim' ? ticket.delete_after : null,
      });
      await reindexTicket(trx, ticket.id);
    });
  });
  return id;
}

/**
 * Staff answer (the customer sees it and gets it by mail, with the reply token) or note (internal). An answer moves
 * the ticket to `waiting` unless staff chose another state (`solved`).
 */
export async function addStaffMessage(
  deps: SupportDeps,
  ticketId: string,
  m: {
    staffId: string;
    body: string;
    note: boolean;
    state?: TicketState;
    attachments?: NewAttachment[];
  },
): Promise<string> {
  const files = checkAttachments(deps, m.attachments ?? []);
  let id = '';
  await withFiles(deps, files, async (written) => {
    await deps.db.transaction().execute(async (trx) => {
      const ticket = await findTicket(trx, ticketId);
      if (!ticket) throw new Error('no such ticket');
      if (ticket.restricted_at !== null) throw new TicketRestricted();
      id = await writeMessage(trx, deps, ticket, {
        author: m.note ? 'note' : 'staff',
        staffId: m.staffId,
        body: m.body,
        via: 'web',
        mailMessageId: null,
        files: written,
      });
      const state: TicketState = m.state ?? (m.note ? (ticket.state === 'new' ? 'open' : ticket.state) : 'waiting');
      await updateTicket(trx, ticket.id, { updated_at: deps.clock.now(), ...stateChange(deps, ticket, state) });
      if (!m.note) await notifyCustomer(trx, deps, ticket, m.body, state);
      await reindexTicket(trx, ticket.id);
    });
  });
  return id;
}

/** Sets a ticket's state (with its times and, on closing, its deletion date). */
export async function setTicketState(deps: SupportDeps, ticketId: string, state: TicketState): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (!ticket) return;
    if (ticket.restricted_at !== null) throw new TicketRestricted();
    await updateTicket(trx, ticket.id, { updated_at: deps.clock.now(), ...stateChange(deps, ticket, state) });
  });
}

function stateChange(deps: SupportDeps, ticket: SupportTicketsTable, state: TicketState): Partial<SupportTicketsTable> {
  const now = deps.clock.now();
  if (state === 'solved')
    return { state, solved_at: ticket.state === 'solved' ? ticket.solved_at : now, closed_at: null };
  if (state === 'closed')
    return { state, closed_at: now, delete_after: deleteAfterOf(deps, { ...ticket, closed_at: now }) };
  return {
    state,
    solved_at: null,
    closed_at: null,
    delete_after: ticket.kept_reason === 'legal-claim' ? ticket.delete_after : null,
  };
}

/**
 * When a ticket is deleted: a closed ticket `SUPPORT_TICKET_DAYS` after closing; a business letter at the end of the
 * calendar year of closing plus the letter period; one held for a legal claim at the date staff recorded (and never
 * before its ordinary end).
 */
export function deleteAfterOf(
  deps: { config: { retention: Pick<Deps['config']['retention'], 'supportTicketDays' | 'letterYears'> } },
  ticket: Pick<SupportTicketsTable, 'closed_at' | 'kept_reason' | 'delete_after'>,
): number | null {
  if (ticket.closed_at === null) return ticket.kept_reason === 'legal-claim' ? ticket.delete_after : null;
  const ordinary = ticket.closed_at + (deps.config.retention.supportTicketDays ?? 730) * DAY;
  if (ticket.kept_reason === 'business-letter') {
    const years = deps.config.retention.letterYears ?? 6;
    return Math.max(ordinary, Date.UTC(new Date(ticket.closed_at).getUTCFullYear() + years + 1, 0, 1));
  }
  if (ticket.kept_reason === 'legal-claim') return Math.max(ordinary, ticket.delete_after ?? ordinary);
  return ordinary;
}

/**
 * Staff mark a ticket as needed for a legal claim (kept through an erasure request, restricted, until `until`), or
 * lift the hold (null). `until` is at most ten years ahead (the attachment files' outer bound).
 */
export async function holdForLegalClaim(
  deps: SupportDeps,
  ticketId: string,
  hold: { reason: string; until: number } | null,
): Promise<void> {
  let erasedFiles: string[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const ticket = await findTicket(trx, ticketId);
    if (!ticket) return;
    const reason: KeptReason | null = hold
      ? 'legal-claim'
      : LETTER_CATEGORIES.includes(ticket.category) || ticket.order_id
        ? 'business-letter'
        : null;
    // Its person asked for erasure, and nothing keeps it any more: the erasure is completed now.
    if (ticket.restricted_at !== null && reason === null) {
      erasedFiles = (await listAttachments(trx, ticket.id)).map((a) => a.id);
      await deleteTicket(trx, ticket.id);
      return;
    }
    await setTicketKept(trx, ticket.id, reason, hold?.reason ?? null);
    const next = { ...ticket, kept_reason: reason, delete_after: hold?.until ?? null };
    await updateTicket(trx, ticket.id, { delete_after: deleteAfterOf(deps, next) });
  });
  for (const id of erasedFiles) removeAttachmentFile(deps.config.dataDir, id);
}

/** The customer's address and name for mail: the account's for registered customers, the guest's own otherwise. */
export async function contactOf(
  deps: Pick<Deps, 'db'>,
  ticket: Pick<SupportTicketsTable, 'requester' | 'requester_name' | 'lang'>,
): Promise<{ email: string; name: string | null; lang: Lang; registered: boolean } | undefined> {
  if (isGuestRequester(ticket.requester))
    return { email: ticket.requester, name: ticket.requester_name, lang: asLang(ticket.lang), registered: false };
  const account = await findAccountContact(deps.db, ticket.requester);
  return account
    ? { email: account.email, name: account.name, lang: asLang(account.lang), registered: true }
    : undefined;
}

const asLang = (lang: string): Lang => (lang === 'de' ? 'de' : 'en');

async function notifyCustomer(
  db: Deps['db'],
  deps: SupportDeps,
  ticket: SupportTicketsTable,
  reply: string,
  state: TicketState,
): Promise<void> {
  const contact = await contactOf({ db }, ticket);
  if (!contact) return;
  const secret = deps.config.secret;
  const support = deps.config.supportAddress;
  const mailId = randomUUID();
  await enqueueMail(
    db,
    deps.clock,
    staffReplyMail(asLang(ticket.lang), {
      to: contact.email,
      name: contact.name,
      ref: ticket.ref,
      subject: ticket.subject,
      reply,
      link: contact.registered ? `${deps.config.baseUrl}/account/support/${ticket.id}` : null,
      replyTo: replyToAddress(secret, support, ticket.ref, contact.email),
      messageId: notificationMessageId(secret, support, ticket.ref, contact.email, mailId.slice(0, 8)),
      state,
    }),
    { id: mailId },
  );
}

/** Closes solved tickets that got no answer for 7 days (the support.close-solved job). */
export async function closeSolvedTickets(deps: SupportDeps, limit = 500): Promise<number> {
  const due = await listSolvedBefore(deps.db, deps.clock.now() - SOLVED_CLOSES_AFTER, limit);
  for (const ticket of due) await setTicketState(deps, ticket.id, 'closed');
  return due.length;
}
