// Reply tokens: a notification about a ticket is sent with `Reply-To: <local>+<REF>.<token>@<domain>` under the
// support address and a Message-ID `<REF>.<token>.<n>@<domain>`, where the token is an HMAC of the ticket's ref under
// the instance secret (platform/secret-links.ts, purpose `support-reply`). A reply is matched to its ticket only by
// a token that verifies, found in the address it was sent to or in In-Reply-To/References; never by its subject.
// The stored mail (outbox) holds a placeholder in the token's place, revealed when the mail leaves.
import { randomBytes } from 'node:crypto';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';

export const REPLY_PURPOSE = 'support-reply';

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A fresh ticket reference: 8 characters without look-alikes (I, O, 0, 1), about 40 bits. */
export function newTicketRef(): string {
  const bytes = randomBytes(8);
  let ref = '';
  for (const b of bytes) ref += REF_ALPHABET[b % REF_ALPHABET.length];
  return ref;
}

export const TICKET_REF = /^[A-HJ-NP-Z2-9]{8}$/;

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** The Reply-To of a notification about ticket `ref` to `recipient`, with the token as a placeholder. */
export function replyToAddress(secret: string, supportAddress: string, ref: string, recipient: string): string {
  const { local, domain } = split(supportAddress);
  return `${local}+${ref}.${secretPlaceholder(secret, REPLY_PURPOSE, ref, recipient)}@${domain}`;
}

/** The Message-ID of a notification (`n` makes each one unique), with the token as a placeholder. */
export function notificationMessageId(
  secret: string,
  supportAddress: string,
  ref: string,
  recipient: string,
  n: string,
): string {
  const { domain } = split(supportAddress);
  return `<${ref}.${secretPlaceholder(secret, REPLY_PURPOSE, ref, recipient)}.${n}@${domain}>`;
}

/** `REF.token` as found at the start of a local part's `+` tag or of a Message-ID. */
const REPLY_TAG = /^([A-HJ-NP-Z2-9]{8})\.([A-Za-z0-9_-]{43})(?:\.|$)/;

export type ReplyTarget = { ref: string; valid: boolean };

/**
 * The ticket a recipient address (`support+REF.token@domain`) names: undefined when the address carries no reply
 * tag at all (mail to the plain support address), `valid: false` when it carries one that does not verify.
 */
export function replyTargetOfAddress(secret: string, supportAddress: string, address: string): ReplyTarget | undefined {
  const support = split(supportAddress.toLowerCase());
  const { local, domain } = split(address);
  if (domain.toLowerCase() !== support.domain) return undefined;
  const plus = local.indexOf('+');
  if (plus < 0 || local.slice(0, plus).toLowerCase() !== support.local) return undefined;
  return targetOf(secret, local.slice(plus + 1));
}

/** The ticket a Message-ID of ours names (`<REF.token.n@domain>`), if it is one. */
export function replyTargetOfMessageId(secret: string, messageId: string): ReplyTarget | undefined {
  const inner = messageId.trim().replace(/^</, '').replace(/>$/, '');
  const at = inner.lastIndexOf('@');
  return targetOf(secret, at < 0 ? inner : inner.slice(0, at));
}

function targetOf(secret: string, tag: string): ReplyTarget | undefined {
  const match = REPLY_TAG.exec(tag);
  if (!match) return /^[A-Za-z0-9]{8}\./.test(tag) ? { ref: tag.slice(0, 8).toUpperCase(), valid: false } : undefined;
  const [, ref, token] = match;
  return { ref: ref!, valid: isDerivedSecret(secret, REPLY_PURPOSE, ref!, token!) };
}
