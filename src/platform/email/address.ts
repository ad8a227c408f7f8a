// The one form of an email address that Candor stores, compares and hashes (decision 0010): NFKC (full-width and
// other compatibility look-alikes become their plain letters), trimmed, lower-cased as a whole, and the domain in
// its Unicode form whichever way it was typed: `exämple.net` and its ASCII spelling `xn--exmple-cua.net` are one
// mailbox, so they are one address for sign-ups, competition entries and the suppression list alike.
import { domainToASCII, domainToUnicode } from 'node:url';

export function normaliseEmail(raw: string): string {
  const plain = raw.normalize('NFKC').trim().toLowerCase();
  const at = plain.lastIndexOf('@');
  if (at < 0) return plain;
  const domain = plain.slice(at + 1);
  // Only a domain of letters, digits, hyphens and dots is converted: the URL parser behind domainToASCII would make
  // `evil.example/unlock` into `evil.example`, turning what the address check must refuse into a valid address.
  if (!/^[\p{L}\p{N}.-]+$/u.test(domain)) return plain;
  const ascii = domainToASCII(domain);
  // An invalid domain converts to '': kept as typed, for the address check to refuse.
  const unicode = ascii === '' ? '' : domainToUnicode(ascii);
  return unicode === '' ? plain : `${plain.slice(0, at)}@${unicode.normalize('NFKC')}`;
}
