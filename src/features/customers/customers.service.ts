// Use cases of the staff customer console: the search (name, email, and whatever the features' customer sections
// find, such as an order or serial number), one customer's account and sections, and the support actions. Only
// accounts with the role customer are shown or acted on: staff accounts are the team console's.
import type { Deps } from '../../deps.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import type { CustomerSectionProvider } from '../../feature.ts';
import { errors } from '../../platform/errors.ts';
import type { Role } from '../../platform/http/context.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import type { SafeHtml } from '../../platform/html.ts';
import { deleteSessionsOfUser, normaliseEmail, requestPasswordReset, resendVerification } from '../accounts/index.ts';
import * as q from './customers.queries.ts';

export const PAGE_SIZE = 50;
/** The longest search term taken; longer input is refused with a message rather than cut. */
export const MAX_TERM = 100;

export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  verified: boolean;
  createdAt: number;
  orders: number;
  lastOrderAt: number | null;
}

export interface CustomerList {
  rows: CustomerRow[];
  /** The cursor of the next page (`after`), or null on the last page. */
  next: string | null;
}

export function parseCursor(raw: string | undefined): q.CustomerCursor | undefined {
  const cursor = parseNumberCursor(raw);
  return cursor && { createdAt: cursor.value, id: cursor.id };
}

const cursorOf = (row: { created_at: number; id: string }) => encodeCursor(row.created_at, row.id);

/** The search term as compared: NFKC, trimmed, lower-cased (the form emails are stored in); undefined when blank. */
export function searchTerm(raw: string | undefined): string | undefined {
  const term = raw === undefined ? '' : normaliseEmail(raw);
  if (term === '') return undefined;
  if (term.length > MAX_TERM)
    throw errors.invalid({
      en: `Search for at most ${MAX_TERM} characters.`,
      de: `Suchen Sie nach höchstens ${MAX_TERM} Zeichen.`,
    });
  return term;
}

/** One page of customers, newest first; with a term, those it names by name, email or a feature's data. */
export async function searchCustomers(
  deps: Deps,
  providers: readonly CustomerSectionProvider[],
  input: { q?: string | undefined; after?: string | undefined },
): Promise<CustomerList> {
  const term = searchTerm(input.q);
  const after = parseCursor(input.after);
  let alsoIds: string[] = [];
  if (term !== undefined) {
    const raw = (input.q ?? '').trim();
    const found = await Promise.all(
      providers.map((p) => (p.findCustomers ? p.findCustomers(deps, raw, PAGE_SIZE) : Promise.resolve([]))),
    );
    alsoIds = [...new Set(found.flat())];
  }
  const rows = await q.listCustomers(deps.db, { term, alsoIds, after, limit: PAGE_SIZE + 1 });
  const page = rows.slice(0, PAGE_SIZE);
  const stats = new Map(
    (
      await q.orderStatsOf(
        deps.db,
        page.map((r) => r.id),
      )
    ).map((s) => [s.user_id, s]),
  );
  return {
    rows: page.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      verified: r.email_verified_at !== null,
      createdAt: r.created_at,
      orders: stats.get(r.id)?.orders ?? 0,
      lastOrderAt: stats.get(r.id)?.last_order_at ?? null,
    })),
    next: rows.length > PAGE_SIZE ? cursorOf(page[page.length - 1]!) : null,
  };
}

export interface CustomerAccount {
  id: string;
  name: string;
  email: string;
  verified: boolean;
  createdAt: number;
  role: Role;
  lang: string;
  /** Live sessions now, and when the newest of them signed in. */
  sessions: number;
  lastSignInAt: number | null;
}

/** A customer account, or 404 (an unknown id, or an account of staff). */
export async function getCustomer(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<CustomerAccount> {
  const user = await q.findCustomerAccount(deps.db, id);
  if (!user || user.role !== 'customer') throw errors.notFound();
  const s = await q.sessionStatsOf(deps.db, id, deps.clock.now());
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    verified: user.email_verified_at !== null,
    createdAt: user.created_at,
    role: user.role,
    lang: user.lang,
    sessions: s.sessions,
    lastSignInAt: s.last_sign_in_at,
  };
}

/** The sections the viewer's role may see, in their order; a section whose feature holds nothing is left out. */
export async function loadSections(
  deps: Deps,
  providers: readonly CustomerSectionProvider[],
  role: Role,
  userId: string,
  lang: Lang,
): Promise<{ title: Text; body: SafeHtml }[]> {
  const allowed = [...providers].filter((p) => p.roles.includes(role)).sort((a, b) => a.order - b.order);
  const loaded = await Promise.all(allowed.map((p) => p.load(deps, userId, lang)));
  return loaded.filter((s): s is { title: Text; body: SafeHtml } => s !== null);
}

export type CustomerAction = 'resend-verification' | 'end-sessions' | 'password-reset';

/**
 * Runs a support action on a customer account and answers the notice to show. Mails are not sent twice within the
 * accounts feature's window per address (MAIL_WINDOW, 15 minutes): staff cannot flood a customer's mailbox.
 */
export async function runCustomerAction(
  deps: Deps,
  id: string,
  action: CustomerAction,
): Promise<'verification-sent' | 'already-verified' | 'sessions-ended' | 'reset-sent'> {
  const customer = await getCustomer(deps, id);
  switch (action) {
    case 'resend-verification':
      if (customer.verified) return 'already-verified';
      await resendVerification(deps, customer.id);
      return 'verification-sent';
    case 'end-sessions':
      await deleteSessionsOfUser(deps.db, customer.id);
      return 'sessions-ended';
    case 'password-reset':
      await requestPasswordReset(deps, customer.email);
      return 'reset-sent';
  }
}
