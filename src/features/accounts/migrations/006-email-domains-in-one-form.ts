// An address's domain is stored in one form, its Unicode spelling, whichever way it was typed (issue 13: the ASCII
// spelling `xn--…` of an international domain gave the same mailbox a second entry in a competition). Stored
// addresses are rewritten with the rule as it stands now; collisions are left as they were, as in accounts.003.
import { domainToASCII, domainToUnicode } from 'node:url';
import type { Migration } from '../../../platform/db/migrate.ts';
import { normaliseStoredEmails } from './003-normalise-emails.ts';

/** Frozen copy of platform/email/address.ts normaliseEmail at the time of this migration. */
function normaliseNow(raw: string): string {
  const plain = raw.normalize('NFKC').trim().toLowerCase();
  const at = plain.lastIndexOf('@');
  if (at < 0) return plain;
  const domain = plain.slice(at + 1);
  if (!/^[\p{L}\p{N}.-]+$/u.test(domain)) return plain;
  const ascii = domainToASCII(domain);
  const unicode = ascii === '' ? '' : domainToUnicode(ascii);
  return unicode === '' ? plain : `${plain.slice(0, at)}@${unicode.normalize('NFKC')}`;
}

export const emailDomainsInOneForm: Migration = {
  id: 'accounts.006-email-domains-in-one-form',
  async up(db) {
    const { changed, collisions } = await normaliseStoredEmails(db, normaliseNow);
    if (changed > 0 || collisions > 0)
      console.warn(
        `accounts.006-email-domains-in-one-form: ${changed} addresses rewritten, ${collisions} left unchanged because another account has their form`,
      );
  },
};
