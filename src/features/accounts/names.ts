// A person's name is plain text: it goes into mails, so it may hold no line breaks, invisible controls or
// anything a mail client would turn into a link (web or mail addresses). Checked at input, enforced again at render.
import type { Text } from '../../platform/i18n.ts';

// Controls (C0, C1, tab), line and paragraph separators, zero-width and bidirectional formatting characters.
const INVISIBLE = /[\p{Cc}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
// A scheme (https://, mailto:), "www.", an @, or a domain-like "word.tld" that mail clients autolink.
const LINK_LIKE =
  /[a-z][a-z0-9+.-]*:\/\/|\b(?:mailto|tel|sms|javascript|data):|www\.|@|[\p{L}\p{N}-]\.\p{L}{2,}(?=$|[^\p{L}])/iu;

export const NAME_MAX = 200;

export function nameProblem(name: string): Text | undefined {
  if (name.length < 1 || name.length > NAME_MAX)
    return {
      en: `Enter your name (up to ${NAME_MAX} characters).`,
      de: `Geben Sie Ihren Namen ein (bis zu ${NAME_MAX} Zeichen).`,
    };
  if (INVISIBLE.test(name))
    return {
      en: 'Enter your name on one line, without invisible characters.',
      de: 'Geben Sie Ihren Namen in einer Zeile ein, ohne unsichtbare Zeichen.',
    };
  if (LINK_LIKE.test(name))
    return {
      en: 'Enter your name without web or email addresses.',
      de: 'Geben Sie Ihren Namen ohne Web- oder E-Mail-Adressen ein.',
    };
  return undefined;
}

/** The name as a mail may show it: unchanged when plain, otherwise nothing (an older row that breaks the rule). */
export function mailSafeName(name: string): string {
  const trimmed = name.trim();
  return nameProblem(trimmed) === undefined ? trimmed : '';
}
