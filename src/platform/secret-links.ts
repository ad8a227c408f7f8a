// Tokens that grant access by link (reset, verification, unsubscribe) are derived from CANDOR_SECRET and a public
// reference, so stored text (the outbox) holds only a placeholder and the token exists only in the message as sent.
// The database keeps at most a hash of a token; a dump of it without the secret yields no working link.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A purpose names one kind of link (`account-reset-password`); it is part of what is signed, so tokens never cross kinds. */
const PURPOSE = /^[a-z][a-z0-9-]{0,63}$/;
/** References are public (UUIDs, random nonces) and free of ':', so `purpose:ref` is unambiguous. */
const REF = /^[A-Za-z0-9_-]{1,64}$/;
/**
 * `{{secret:purpose:ref:tag}}`; the tag (an HMAC under the key over purpose, reference and recipient) proves that
 * Candor wrote it for this recipient: a placeholder typed into a name, or copied from one mail into another, stays text.
 */
const PLACEHOLDER = /\{\{secret:([a-z][a-z0-9-]{0,63}):([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{22})\}\}/g;

function check(purpose: string, ref: string): void {
  if (!PURPOSE.test(purpose) || !REF.test(ref)) throw new Error(`bad secret purpose or reference: ${purpose}`);
}

/** The token for a purpose and reference: HMAC-SHA256 under the instance secret, base64url (43 characters). */
export function deriveSecret(key: string, purpose: string, ref: string): string {
  check(purpose, ref);
  return createHmac('sha256', key).update(`${purpose}:${ref}`).digest('base64url');
}

/** Constant-time check of a token someone presented. */
export function isDerivedSecret(key: string, purpose: string, ref: string, token: string): boolean {
  if (!REF.test(ref)) return false;
  const expected = Buffer.from(deriveSecret(key, purpose, ref));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function placeholderTag(key: string, purpose: string, ref: string, recipient: string): string {
  return createHmac('sha256', key)
    .update(`placeholder:${purpose}:${ref}:${recipient.toLowerCase()}`)
    .digest('base64url')
    .slice(0, 22);
}

/**
 * What stored text holds in place of the token; `revealSecrets` turns it into the token when the message leaves.
 * Tagged for its recipient, so a placeholder typed into a name or an address, or copied from someone else's stored
 * mail, is never revealed (no signing oracle, no replay into another mailbox).
 */
export function secretPlaceholder(key: string, purpose: string, ref: string, recipient: string): string {
  check(purpose, ref);
  return `{{secret:${purpose}:${ref}:${placeholderTag(key, purpose, ref, recipient)}}}`;
}

/**
 * A fresh token with a random reference: give `token` to whoever needs it now, store only `placeholder` (in mail to
 * `recipient`) and a hash.
 */
export function issueSecret(key: string, purpose: string, recipient: string): { token: string; placeholder: string } {
  const ref = randomBytes(16).toString('base64url');
  return { token: deriveSecret(key, purpose, ref), placeholder: secretPlaceholder(key, purpose, ref, recipient) };
}

/** The text as sent to `recipient`: every placeholder Candor wrote for them becomes its token; any other stays as it is. */
export function revealSecrets(key: string, text: string, recipient: string): string {
  return text.replace(PLACEHOLDER, (whole: string, purpose: string, ref: string, tag: string) => {
    const expected = Buffer.from(placeholderTag(key, purpose, ref, recipient));
    const given = Buffer.from(tag);
    return expected.length === given.length && timingSafeEqual(expected, given)
      ? deriveSecret(key, purpose, ref)
      : whole;
  });
}

/** The text for anyone but the recipient: each link (or word) that carries a placeholder becomes `shown`. */
export function hideSecrets(text: string, shown: string): string {
  return text.replace(/\S*\{\{secret:[a-z][a-z0-9-]{0,63}:[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{22}\}\}\S*/g, shown);
}
