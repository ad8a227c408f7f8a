// What the published policy links to: each feature says which of its pages lets a person exercise a right,
// so the policy generator names no route itself and a renamed route cannot silently break the legal text.
// A right without a page is still described; the policy then says to write to the data protection officer.
import type { Text } from '../platform/i18n.ts';

/**
 * What a page lets a person do, as the policy's sentences expect it:
 * - `access`: download all their data at once (Art. 15), when signed in;
 * - `portability`: the same download as a machine-readable file (Art. 20);
 * - `rectification`: correct their name and contact details (Art. 16);
 * - `password`: change their password;
 * - `object-direct-marketing`: object to the direct marketing of the link's `activity` (Art. 21(2));
 * - `object`: object to the link's `activity`, which rests on legitimate interests (Art. 21(1)), e.g. an opt-out;
 * - `cookie-settings`: give, change and withdraw cookie consent (Art. 7(3), § 25 TDDDG);
 * - `processing-record`: read the machine-readable record of processing activities (Art. 30);
 * - `contest-automated-decision`: ask for a person to review an automated decision of the link's `activity`, state
 *   one's point of view and contest it (Art. 22(3)).
 * - `request-without-account`: make any of these requests without an account, once the address is proven (Art. 12(6)).
 */
export type PolicyRight =
  | 'access'
  | 'portability'
  | 'rectification'
  | 'password'
  | 'object-direct-marketing'
  | 'object'
  | 'cookie-settings'
  | 'processing-record'
  | 'contest-automated-decision'
  | 'request-without-account';

export interface PolicyLink {
  right: PolicyRight;
  /** A path of this site, as the route declares it (the policy-link test follows every one). */
  href: string;
  label: Text;
  /** A condition the reader should know before following the link, shown in brackets after it. */
  note?: Text;
  /** The data map activity the page is about; the policy mentions the link only while that activity exists. */
  activity?: string;
  /**
   * For `object-direct-marketing`, whose sentence depends on the page: the words before the link ("For product
   * suggestions by email, use") and after it (other ways to object), each a whole part of one sentence.
   */
  before?: Text;
  after?: Text;
}

export type PolicyLinks = PolicyLink[];

/** Rights that a single page may serve; the data map refuses a second link for the same right. */
export function policyLinkProblems(links: PolicyLinks, activityIds: Set<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    const key = `${link.right}|${link.activity ?? ''}`;
    if (seen.has(key))
      problems.push(`two policy links for the right ${link.right}${link.activity ? ` of ${link.activity}` : ''}`);
    seen.add(key);
    if (!/^\/[^\s"'<>#?]*$/.test(link.href))
      problems.push(`policy link ${link.right}: ${link.href} is not a path of this site`);
    if (link.activity !== undefined && !activityIds.has(link.activity))
      problems.push(`policy link ${link.right} names unknown activity ${link.activity}`);
    if (link.right === 'object' && link.activity === undefined)
      problems.push('policy link object must name the activity it objects to');
    if (link.right === 'object-direct-marketing' && (link.activity === undefined || link.before === undefined)) {
      problems.push('policy link object-direct-marketing must name its activity and the words before the link');
    }
  }
  return problems;
}

/** The link for a right, if a feature declared one (for `object-direct-marketing`, the first of them). */
export function linkFor(links: PolicyLinks, right: PolicyRight): PolicyLink | undefined {
  return links.find((l) => l.right === right);
}
