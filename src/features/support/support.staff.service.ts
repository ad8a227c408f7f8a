// What staff do with tickets beyond answering (support.service.ts): assignment, category and product, merging a
// duplicate into its ticket, canned replies (checked input, English and German).
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { setTicketState, TicketRestricted } from './support.service.ts';
import { findTicket, findTicketByRef, setTicketKept, updateTicket } from './support.queries.ts';
import { reindexTicket } from './support.search.queries.ts';
import * as q from './support.staff.queries.ts';
import { TICKET_CATEGORIES, type SupportCannedRepliesTable, type TicketCategory } from './support.tables.ts';

type StaffDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

export const ticketNotFound = () =>
  errors.invalid({ en: 'There is no such ticket.', de: 'Dieses Ticket gibt es nicht.' });

/** Assigns a ticket to a staff member, or to nobody (null). */
export async function assignTicket(deps: StaffDeps, ticketId: string, assigneeId: string | null): Promise<void> {
  if (assigneeId !== null && !(await q.isActiveStaff(deps.db, assigneeId)))
    throw errors.invalid({
      en: 'Tickets can be assigned only to active staff members.',
      de: 'Tickets lassen sich nur aktiven Mitarbeitern zuweisen.',
    });
  const ticket = await findTicket(deps.db, ticketId);
  if (!ticket) throw ticketNotFound();
  if (ticket.restricted_at !== null) throw new TicketRestricted();
  await updateTicket(deps.db, ticketId, { assignee_id: assigneeId, updated_at: deps.clock.now() });
}

export async function setCategory(
  deps: StaffDeps,
  ticketId: string,
  category: string,
  productId: string | null,
): Promise<void> {
  if (!TICKET_CATEGORIES.includes(category as TicketCategory))
    throw errors.invalid({ en: 'Choose one of the categories.', de: 'Wählen Sie eine der Kategorien.' });
  const ticket = await findTicket(deps.db, ticketId);
  if (!ticket) throw ticketNotFound();
  if (ticket.restricted_at !== null) throw new TicketRestricted();
  await deps.db.transaction().execute(async (trx) => {
    await updateTicket(trx, ticketId, {
      category: category as TicketCategory,
      product_id: productId,
      updated_at: deps.clock.now(),
    });
    // A ticket that becomes one about an order, a repair or a warranty is a business letter from now on.
    if (ticket.kept_reason === null && ['order', 'repair', 'warranty'].includes(category))
      await setTicketKept(trx, ticketId, 'business-letter', null);
  });
}

export const MERGE_REFUSALS = {
  unknown: { en: 'There is no ticket with the reference “{ref}”.', de: 'Es gibt kein Ticket mit der Nummer „{ref}“.' },
  same: {
    en: 'A ticket cannot be merged into itself.',
    de: 'Ein Ticket lässt sich nicht mit sich selbst zusammenführen.',
  },
  merged: {
    en: 'One of the tickets has been merged already; merge into the ticket it went into.',
    de: 'Eines der Tickets wurde bereits zusammengeführt; führen Sie es mit dem Ticket zusammen, in das es einging.',
  },
  requester: {
    en: 'These tickets are from different people; only tickets of the same requester can be merged.',
    de: 'Diese Tickets stammen von verschiedenen Personen; zusammenführen lassen sich nur Tickets derselben Person.',
  },
} satisfies Record<string, Text>;

/**
 * Merges a duplicate into the ticket with reference `targetRef`: its messages, attachments and repairs move there,
 * the duplicate is marked `merged_into` and closed. Tickets of different requesters are refused.
 */
export async function mergeTickets(deps: StaffDeps, duplicateId: string, targetRef: string): Promise<string> {
  const ref = targetRef.trim().toUpperCase();
  const duplicate = await findTicket(deps.db, duplicateId);
  if (!duplicate) throw ticketNotFound();
  const target = await findTicketByRef(deps.db, ref);
  if (!target) throw errors.invalid(fill(MERGE_REFUSALS.unknown, ref));
  if (target.id === duplicate.id) throw errors.invalid(MERGE_REFUSALS.same);
  if (target.merged_into || duplicate.merged_into) throw errors.invalid(MERGE_REFUSALS.merged);
  if (target.requester !== duplicate.requester) throw errors.invalid(MERGE_REFUSALS.requester);
  if (target.restricted_at !== null || duplicate.restricted_at !== null) throw new TicketRestricted();
  await deps.db.transaction().execute(async (trx) => {
    await q.moveThread(trx, duplicate.id, target.id);
    const reason = target.kept_reason ?? duplicate.kept_reason;
    if (reason) await setTicketKept(trx, target.id, reason, target.kept_note ?? duplicate.kept_note);
    await updateTicket(trx, target.id, { updated_at: deps.clock.now() });
    await updateTicket(trx, duplicate.id, { merged_into: target.id });
    await reindexTicket(trx, target.id);
    await reindexTicket(trx, duplicate.id);
  });
  await setTicketState(deps, duplicate.id, 'closed');
  return target.id;
}

const fill = (text: Text, ref: string): Text => ({
  en: text.en.replace('{ref}', ref),
  de: text.de.replace('{ref}', ref),
});

export interface CannedInput {
  titleEn: string;
  titleDe: string;
  bodyEn: string;
  bodyDe: string;
}

/** Problems of a canned reply's form, by field; empty when it can be saved. */
export function checkCanned(input: CannedInput): Record<string, Text> {
  const problems: Record<string, Text> = {};
  const need = { en: 'Fill this in, in both languages.', de: 'Bitte ausfüllen, in beiden Sprachen.' };
  for (const [field, value] of Object.entries({
    titleEn: input.titleEn,
    titleDe: input.titleDe,
    bodyEn: input.bodyEn,
    bodyDe: input.bodyDe,
  }))
    if (value.trim() === '') problems[field] = need;
  return problems;
}

export async function saveCannedReply(deps: StaffDeps, id: string | null, input: CannedInput): Promise<string> {
  const problems = checkCanned(input);
  if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
  const now = deps.clock.now();
  const values = {
    title_en: input.titleEn.trim(),
    title_de: input.titleDe.trim(),
    body_en: input.bodyEn.trim(),
    body_de: input.bodyDe.trim(),
    updated_at: now,
  };
  if (id) {
    if (!(await q.updateCannedReply(deps.db, id, values)))
      throw errors.invalid({ en: 'There is no such canned reply.', de: 'Diese Textvorlage gibt es nicht.' });
    return id;
  }
  const row: SupportCannedRepliesTable = { id: randomUUID(), ...values, created_at: now };
  await q.insertCannedReply(deps.db, row);
  return row.id;
}

/** The canned reply's text in the ticket's language (English for any other). */
export async function cannedText(deps: Pick<Deps, 'db'>, id: string, lang: string): Promise<string | undefined> {
  const reply = await q.findCannedReply(deps.db, id);
  if (!reply) return undefined;
  return lang === 'de' ? reply.body_de : reply.body_en;
}
