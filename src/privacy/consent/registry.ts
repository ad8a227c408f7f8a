// The consent registry: the operator's switched-on vendors (from the templates, with their settings), every
// cookie with its category (Candor's own and the vendors'), the social links, and the consent hash over what a
// visitor decides on. A change of that hash asks visitors again.
import { createHash } from 'node:crypto';
import type { Operator } from '../../platform/operator.ts';
import type { DataMap, Text } from '../data-map.ts';
import { categoryInfo, type ConsentCategory, type CookieSpec, type VendorTag, type VendorTemplate } from './model.ts';
import { vendorTemplates } from './vendors.catalogue.ts';

export interface EnabledVendor {
  template: VendorTemplate;
  settings: Record<string, string>;
  tag: VendorTag;
}

export interface RegisteredCookie extends CookieSpec {
  category: ConsentCategory;
  /** Who sets it: 'candor' or a vendor id. */
  owner: string;
}

export type SocialNetwork = 'facebook' | 'twitter' | 'instagram' | 'youtube' | 'soundcloud';

export interface SocialLink {
  network: SocialNetwork;
  name: string;
  url: string;
}

/** A purpose of this shop itself that needs consent (no third party): data map activities of the statistics category. */
export interface OwnPurpose {
  id: string;
  category: ConsentCategory;
  name: Text;
  purpose: Text;
}

export interface ConsentRegistry {
  vendors: EnabledVendor[];
  /** Our own purposes a visitor decides on even without any vendor (Candor's own statistics, issue 15). */
  own: OwnPurpose[];
  cookies: RegisteredCookie[];
  social: SocialLink[];
  /**
   * The consent version, sha256 (hex) of what visitors consent to: purposes that need consent, the enabled vendors
   * with their settings, every cookie and the categories. A change asks visitors again; the policy text has its own
   * versions (privacy/policy-versions.ts).
   */
  hash: string;
}

/** Candor's own cookies. All are necessary: each is set only for something the visitor asked for. */
export function candorCookies(names: {
  session: string;
  csrf: string;
  basket: string;
  prefs: string;
  consent: string;
  link?: string;
  device?: string;
}): RegisteredCookie[] {
  const own = (name: string, purpose: Text, lifetime: Text): RegisteredCookie => ({
    name,
    purpose,
    lifetime,
    party: 'first',
    category: 'necessary',
    owner: 'candor',
  });
  return [
    own(
      names.session,
      {
        en: 'Keeps you signed in; set only when you sign in.',
        de: 'Hält Sie angemeldet; wird nur bei der Anmeldung gesetzt.',
      },
      {
        en: 'until the browser closes, or 90 days with “Remember me”',
        de: 'bis der Browser geschlossen wird, mit „Angemeldet bleiben“ 90 Tage',
      },
    ),
    own(
      names.csrf,
      {
        en: 'Proves that a submitted form came from this site; set when a page shows a form.',
        de: 'Belegt, dass ein abgeschicktes Formular von dieser Website stammt; wird gesetzt, wenn eine Seite ein Formular zeigt.',
      },
      {
        en: 'until the browser closes',
        de: 'bis der Browser geschlossen wird',
      },
    ),
    own(
      names.basket,
      {
        en: 'Finds your basket while you shop without signing in; set when you add the first product.',
        de: 'Findet Ihren Warenkorb, solange Sie ohne Anmeldung einkaufen; wird beim ersten Hinzufügen gesetzt.',
      },
      {
        en: 'until the browser closes',
        de: 'bis der Browser geschlossen wird',
      },
    ),
    own(
      names.prefs,
      {
        en: 'Remembers the language you chose and the country of your last checkout (to show its VAT in prices); set only when you choose a language or check out.',
        de: 'Merkt sich die gewählte Sprache und das Land Ihres letzten Bestellvorgangs (um dessen Mehrwertsteuer in den Preisen zu zeigen); wird nur gesetzt, wenn Sie eine Sprache wählen oder bestellen.',
      },
      { en: 'one year', de: 'ein Jahr' },
    ),
    own(
      names.consent,
      {
        en: 'Remembers your privacy choices and the id of your consent receipts.',
        de: 'Merkt sich Ihre Datenschutz-Auswahl und die Kennung Ihrer Einwilligungsbelege.',
      },
      { en: 'one year', de: 'ein Jahr' },
    ),
    own(
      'candor_analytics_optout',
      {
        en: 'Remembers that you objected to our statistics, so that this browser is not counted; set only when you object on the page about our statistics.',
        de: 'Merkt sich, dass Sie unserer Statistik widersprochen haben, damit dieser Browser nicht gezählt wird; wird nur gesetzt, wenn Sie auf der Seite über unsere Statistik widersprechen.',
      },
      { en: 'two years', de: 'zwei Jahre' },
    ),
    ...(names.link
      ? [
          own(
            names.link,
            {
              en: 'Holds the code from a link in one of our mails (new password, account set-up, undoing an email change) for that one page, so that it does not stay in the address; set only when you open such a link.',
              de: 'Hält den Code aus einem Link in einer unserer E-Mails (neues Passwort, Kontoeinrichtung, Rücknahme einer E-Mail-Änderung) für diese eine Seite, damit er nicht in der Adresse bleibt; wird nur gesetzt, wenn Sie einen solchen Link öffnen.',
            },
            { en: '30 minutes', de: '30 Minuten' },
          ),
        ]
      : []),
    ...(names.device
      ? [
          own(
            names.device,
            {
              en: 'Recognises this browser as one that signed in to your account before, so that someone guessing your password elsewhere cannot delay your own sign-in; holds a random id, nothing about you; set only when you sign in.',
              de: 'Erkennt diesen Browser als einen, der sich schon bei Ihrem Konto angemeldet hat, damit jemand, der anderswo Ihr Passwort rät, Ihre eigene Anmeldung nicht verzögern kann; enthält eine Zufallskennung, nichts über Sie; wird nur bei der Anmeldung gesetzt.',
            },
            { en: '180 days', de: '180 Tage' },
          ),
        ]
      : []),
  ];
}

const SOCIAL_NAMES: Record<SocialNetwork, string> = {
  facebook: 'Facebook',
  twitter: 'Twitter',
  instagram: 'Instagram',
  youtube: 'YouTube',
  soundcloud: 'SoundCloud',
};

function canonical(value: unknown): string {
  if (value instanceof RegExp) return JSON.stringify(value.source);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => typeof (value as Record<string, unknown>)[k] !== 'function')
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Builds the registry from the operator's configuration. Unknown vendor ids and settings that do not match
 * their pattern are configuration errors, reported together.
 */
export function buildConsentRegistry(
  operator: Operator,
  dataMap: DataMap,
  ownCookies: RegisteredCookie[],
): ConsentRegistry {
  const problems: string[] = [];
  const vendors: EnabledVendor[] = [];
  for (const choice of operator.vendors) {
    const template = vendorTemplates.find((t) => t.id === choice.id);
    if (!template) {
      problems.push(`unknown vendor "${choice.id}" (known: ${vendorTemplates.map((t) => t.id).join(', ')})`);
      continue;
    }
    const settings: Record<string, string> = {};
    for (const s of template.settings) {
      const value = choice.settings?.[s.key] ?? '';
      if (!s.pattern.test(value))
        problems.push(`vendor "${template.id}": setting ${s.key} must look like ${s.example}`);
      else settings[s.key] = value;
    }
    if (problems.length === 0) vendors.push({ template, settings, tag: template.tag(settings) });
  }
  for (const link of operator.social) {
    if (!/^https:\/\/[^\s"'<>]+$/.test(link.url))
      problems.push(`social link ${link.network}: the address must start with https://`);
  }
  if (problems.length > 0) throw new Error(`Consent configuration: ${problems.join('; ')}.`);
  const cookies = [
    ...ownCookies,
    ...vendors.flatMap((v) =>
      v.template.cookies.map((c) => ({ ...c, category: v.template.category, owner: v.template.id })),
    ),
  ];
  const social = operator.social.map((l) => ({ network: l.network, name: SOCIAL_NAMES[l.network], url: l.url }));
  // The consent version: only what a visitor decides on (purposes that need a choice, vendors, cookies and the
  // categories). Wording, operator facts and necessary processing change the policy version, not this.
  const purposes = dataMap.activities
    .filter((a) => (a.consentCategory ?? 'necessary') !== 'necessary')
    .map((a) => ({
      id: a.id,
      purpose: a.purpose,
      legalBasis: a.legalBasis,
      consentCategory: a.consentCategory,
      recipients: a.recipients,
    }));
  const hash = createHash('sha256')
    .update(
      canonical({
        purposes,
        vendors: vendors.map((v) => ({ template: v.template, settings: v.settings })),
        cookies,
        categories: categoryInfo,
      }),
    )
    .digest('hex');
  const own = dataMap.activities
    .filter((a) => a.consentCategory === 'statistics' && a.recipients.length === 0)
    .map((a) => ({ id: a.id, category: 'statistics' as const, name: a.name, purpose: a.purpose }));
  return { vendors, own, cookies, social, hash };
}
