// Requests without an account (/privacy/request): nothing is shown or done before the person proves control of the
// address. The form's answer is always the same (no account enumeration). An address without an account gets a
// signed link valid for 24 hours (platform/secret-links.ts, purpose 'privacy-request', reference = the waiting row's
// id; the outbox holds only the placeholder); the waiting request is kept in privacy_request_links, not among the
// requests, and retention deletes it when the link expires. An address with an account is asked to sign in instead
// (the privacy centre, behind the sign-in and its second factor) and nothing is recorded. Following the link shows
// a button; only its POST turns the waiting row into a request (openRequest, channel 'guest', verified) and starts
// the automated kinds.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';
import { findUserByEmail } from '../accounts/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { guestLinkMail, signInInsteadMail } from './rights.guest.emails.ts';
import { deleteRequestLink, insertRequestLink, selectLiveLinksOf, selectRequestLink } from './rights.guest.queries.ts';
import { REQUEST_KINDS, type RequestDetail, type RestrictionGround } from './rights.model.ts';
import { openRequest, type Opened } from './rights.service.ts';
import { startRequestInBackground } from './rights.steps.ts';
import type { PrivacyRequestLinksTable, RequestKind } from './rights.tables.ts';

/** The purpose of the link's token (part of what is signed: a token of another kind of link never works here). */
export const GUEST_LINK_PURPOSE = 'privacy-request';
export const GUEST_LINK_HOURS = 24;
const HOUR = 3_600_000;
/** Waiting requests per address: more get no further mail (the answer stays the same). */
export const MAX_LIVE_LINKS = 3;
export const MESSAGE_MAX = 2000;

export const GUEST_FORM_PATH = '/privacy/request';
export const GUEST_CONFIRM_PATH = '/privacy/request/confirm';
/** The privacy centre a signed-in person makes the request in. */
export const CENTRE_PATH = '/account/privacy';

export const RESTRICTION_GROUNDS: readonly RestrictionGround[] = [
  'accuracy',
  'unlawful',
  'legal-claim',
  'objection-pending',
];

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;

export interface GuestRequestInput {
  email: string;
  kind: string;
  ground?: string;
  message?: string;
  lang: Lang;
}

/** The address, kind and detail of a form, or a 400 naming the fields (nothing is stored or sent then). */
export function checkedGuestRequest(input: GuestRequestInput): {
  email: string;
  kind: RequestKind;
  detail: RequestDetail | undefined;
} {
  const fields: Record<string, { en: string; de: string }> = {};
  const email = normaliseEmail(input.email);
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email))
    fields.email = { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse ein.' };
  const kind = REQUEST_KINDS.find((k) => k === input.kind);
  if (!kind) fields.kind = { en: 'Choose what you are asking for.', de: 'Wählen Sie, was Sie verlangen.' };
  const ground = RESTRICTION_GROUNDS.find((g) => g === input.ground);
  if (kind === 'restriction' && !ground)
    fields.ground = {
      en: 'Choose the ground of the restriction.',
      de: 'Wählen Sie den Grund der Einschränkung.',
    };
  const message = (input.message ?? '').trim();
  if (message.length > MESSAGE_MAX)
    fields.message = {
      en: `Please keep the message under ${MESSAGE_MAX} characters.`,
      de: `Bitte fassen Sie die Nachricht in weniger als ${MESSAGE_MAX} Zeichen.`,
    };
  if ((kind === 'rectification' || kind === 'objection') && message === '')
    fields.message = {
      en:
        kind === 'rectification'
          ? 'Tell us what is wrong and what is right.'
          : 'Tell us what you object to, or why (for direct marketing no reason is needed; just say so).',
      de:
        kind === 'rectification'
          ? 'Schreiben Sie uns, was falsch ist und was richtig wäre.'
          : 'Schreiben Sie uns, wogegen Sie widersprechen oder warum (bei Direktwerbung braucht es keinen Grund; sagen Sie es einfach).',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  const detail: RequestDetail = {
    ...(kind === 'restriction' && ground ? { ground } : {}),
    ...(message ? { message } : {}),
  };
  return { email, kind: kind!, detail: Object.keys(detail).length > 0 ? detail : undefined };
}

/**
 * The form's POST. Whatever the address (with an account, without, unknown, limited), the caller shows the same
 * page; only the mail differs. Throws only for a form that is not valid (400), before anything is looked up.
 */
export async function submitGuestRequest(deps: Deps, input: GuestRequestInput): Promise<void> {
  const { email, kind, detail } = checkedGuestRequest(input);
  const now = deps.clock.now();
  const company = deps.config.operator.company;
  if (await findUserByEmail(deps.db, email)) {
    // Nothing recorded: the privacy centre takes the request once the person has signed in.
    await enqueueMail(
      deps.db,
      deps.clock,
      signInInsteadMail(input.lang, { to: email, link: `${deps.config.baseUrl}${CENTRE_PATH}`, company }),
    );
    return;
  }
  await deps.db.transaction().execute(async (trx) => {
    const live = await selectLiveLinksOf(trx, email, now);
    if (live.count >= MAX_LIVE_LINKS) return; // limited: no mail, nothing stored, the same answer
    const row: PrivacyRequestLinksTable = {
      id: randomUUID(),
      email,
      kind,
      detail: detail ? JSON.stringify(detail) : null,
      lang: input.lang,
      created_at: now,
      expires_at: now + GUEST_LINK_HOURS * HOUR,
    };
    await insertRequestLink(trx, row);
    const token = secretPlaceholder(deps.config.secret, GUEST_LINK_PURPOSE, row.id, email);
    const link = `${deps.config.baseUrl}${GUEST_CONFIRM_PATH}?r=${row.id}&t=${token}`;
    await enqueueMail(
      trx,
      deps.clock,
      guestLinkMail(input.lang, { to: email, link, kind, hours: GUEST_LINK_HOURS, company }),
    );
  });
}

const linkGone = () =>
  new AppError(410, 'link_expired', {
    en: 'This link has expired or has been used already, so nothing was done. If you still want to make the request, please fill in the form again; you will get a new link.',
    de: 'Dieser Link ist abgelaufen oder wurde bereits verwendet, daher wurde nichts unternommen. Wenn Sie die Anfrage weiterhin stellen möchten, füllen Sie das Formular bitte erneut aus; Sie erhalten einen neuen Link.',
  });

export const signInFirst = () =>
  new AppError(409, 'sign_in_instead', {
    en: 'This address now has a customer account. Please sign in and make the request in your privacy centre (Account, Privacy); nothing was done.',
    de: 'Zu dieser Adresse gibt es inzwischen ein Kundenkonto. Bitte melden Sie sich an und stellen Sie die Anfrage in Ihrem Datenschutzbereich (Konto, Datenschutz); es wurde nichts unternommen.',
  });

/** Checks a link: 400 when altered or not ours, 410 when used or expired. Changes nothing. */
export async function checkGuestLink(deps: Deps, ref: string, token: string): Promise<PrivacyRequestLinksTable> {
  if (!ID.test(ref) || !isDerivedSecret(deps.config.secret, GUEST_LINK_PURPOSE, ref, token)) throw errors.badToken();
  const row = await selectRequestLink(deps.db, ref);
  if (!row || row.expires_at <= deps.clock.now()) throw linkGone();
  return row;
}

/**
 * The POST of the confirmation page: the waiting row goes and the request is opened (verified, channel 'guest');
 * an automated kind (access, copy, erasure) starts at once in the background, the worker takes it over if this
 * process stops. A second POST with the same link finds no row (410) and does nothing.
 */
export async function confirmGuestRequest(deps: Deps, ref: string, token: string): Promise<Opened> {
  const row = await checkGuestLink(deps, ref, token);
  // An account made meanwhile for this address: its requests go through the sign-in (and its second factor).
  if (await findUserByEmail(deps.db, row.email)) throw signInFirst();
  // Deleted first: of two racing confirmations only the one that deleted it goes on.
  if ((await deleteRequestLink(deps.db, row.id)) !== 1) throw linkGone();
  const opened = await openRequest(deps, {
    kind: row.kind,
    userId: null,
    email: row.email,
    lang: row.lang,
    channel: 'guest',
    ...(row.detail ? { detail: JSON.parse(row.detail) as RequestDetail } : {}),
    verified: true,
  });
  if (opened.request.state === 'in-progress') startRequestInBackground(deps, opened.request.id);
  return opened;
}
