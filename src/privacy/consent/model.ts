// The consent model: four categories, the vendors of the registry, and the choices a visitor made.
// Everything that needs consent names one optional category; `necessary` is never asked for.
import type { Text } from '../data-map.ts';

export type ConsentCategory = 'necessary' | 'preferences' | 'statistics' | 'marketing';
export type OptionalCategory = Exclude<ConsentCategory, 'necessary'>;
export const optionalCategories: readonly OptionalCategory[] = ['preferences', 'statistics', 'marketing'];

export const categoryInfo: Record<ConsentCategory, { name: Text; description: Text }> = {
  necessary: {
    name: { en: 'Necessary', de: 'Notwendig' },
    description: {
      en: 'Strictly necessary for what you ask the site to do: signing in, the basket, form protection, your language and your privacy choices. Always on.',
      de: 'Unbedingt erforderlich für die Funktionen, die Sie nutzen möchten: Anmeldung, Warenkorb, Formularschutz, Ihre Sprache und Ihre Datenschutz-Auswahl. Immer aktiv.',
    },
  },
  preferences: {
    name: { en: 'Preferences', de: 'Präferenzen' },
    description: {
      en: 'Services that remember your choices or add features such as the help widget.',
      de: 'Dienste, die sich Ihre Wahl merken oder Funktionen wie das Hilfe-Widget ergänzen.',
    },
  },
  statistics: {
    name: { en: 'Statistics', de: 'Statistik' },
    description: {
      en: 'Services that measure how the site is used so that we can improve it.',
      de: 'Dienste, die messen, wie die Website genutzt wird, damit wir sie verbessern können.',
    },
  },
  marketing: {
    name: { en: 'Marketing', de: 'Marketing' },
    description: {
      en: 'Advertising services that recognise you on other websites (retargeting).',
      de: 'Werbedienste, die Sie auf anderen Websites wiedererkennen (Retargeting).',
    },
  },
};

/** A cookie, by exact name or by a prefix ending in `*` (`_ga*`). */
export interface CookieSpec {
  name: string;
  purpose: Text;
  /** Human-readable lifetime, e.g. "2 years" / "2 Jahre"; "session" for session cookies. */
  lifetime: Text;
  /** First party: stored under our domain (Candor can see and expire it); third party: under the vendor's domain. */
  party: 'first' | 'third';
}

/** A setting the operator supplies for a vendor, e.g. a measurement id. */
export interface VendorSetting {
  key: string;
  label: string;
  /** The value must match this (checked at start), so nothing unexpected reaches a script. */
  pattern: RegExp;
  /** Used by the demo configuration. */
  example: string;
}

/** What a consented vendor adds to a page: external scripts and an optional first-party bootstrap. */
export interface VendorTag {
  /** https URLs of the vendor's scripts, loaded with `async`. Their hosts must be in `hosts.script`. */
  scripts: string[];
  /**
   * JavaScript that prepares the vendor (queues, configuration), served by Candor from
   * `/consent/vendors/<id>.js` because the CSP allows no inline script. Values come from settings only.
   */
  bootstrap?: string;
}

/**
 * What makes a transfer to a third country lawful (Chapter V GDPR), as a fact the policy can cite with its article:
 * - `adequacy`: an adequacy decision of the Commission (Art. 45), e.g. the EU-US Data Privacy Framework (Implementing
 *   Decision (EU) 2023/1795), for the named recipient that is certified under it;
 * - `standard-contractual-clauses`: the Commission's clauses (Implementing Decision (EU) 2021/914), an appropriate
 *   safeguard under Art. 46(2)(c); a copy can be obtained from us;
 * - `binding-corporate-rules`: approved under Art. 47, an appropriate safeguard under Art. 46(2)(b).
 */
export type TransferSafeguard =
  | { kind: 'adequacy'; framework: 'eu-us-data-privacy-framework'; certified: string }
  | { kind: 'standard-contractual-clauses'; between: Text }
  | { kind: 'binding-corporate-rules'; of: string };

/**
 * Joint controllership (Art. 26 GDPR) for the collection on our pages and the transmission to the vendor (CJEU,
 * Fashion ID, C-40/17): what is decided jointly, the essence of the arrangement as Art. 26(2) requires it to be
 * made available, and where the vendor publishes its terms. Art. 26(3) lets a person exercise their rights with
 * either controller; the policy says so for every joint controller.
 */
export interface JointControllership {
  scope: Text;
  /** Who does what: informing, consent, security, answering requests. */
  arrangement: Text;
  termsUrl: string;
}

export interface VendorTemplate {
  id: string;
  name: string;
  company: { name: string; address: string };
  category: OptionalCategory;
  purpose: Text;
  /** The data the vendor receives. */
  dataTransferred: Text;
  /** Transfer to a third country (outside the EU/EEA), with what makes it lawful (one or more, each cited). */
  thirdCountry: { transfer: false } | { transfer: true; countries: string[]; safeguards: TransferSafeguard[] };
  /**
   * How the vendor stands towards us: a processor acting on our instructions under its standard data processing
   * terms (Art. 28 GDPR), or a joint controller for the collection and transmission (Art. 26, with
   * `jointControllership`). The policy states it in the vendor's entry.
   */
  role: 'processor' | 'joint-controller';
  /** Where we and the vendor decide together (Art. 26 GDPR); absent where the vendor acts for us or alone. */
  jointControllership?: JointControllership;
  /**
   * How long the vendor keeps what it receives: one period, and who sets it. `us` where we configure it (a
   * property's retention, an audience's duration, our own deletion), `vendor` where the vendor decides; `source`
   * is the vendor's page that documents the period or the setting.
   */
  retention: { setBy: 'vendor' | 'us'; statement: Text; source: string };
  privacyPolicyUrl: string;
  /**
   * The vendor's own page for objecting to its processing (an opt-out), where one exists. Without one, `noOptOut`
   * says how to object or withdraw instead; a link to a page that is no opt-out must not be given as one.
   */
  optOut: { url: string } | { url?: undefined; noOptOut: Text };
  /** Hosts (no scheme) the tag loads from or talks to, per CSP directive. */
  hosts: { script: string[]; connect: string[]; img: string[]; frame: string[] };
  cookies: CookieSpec[];
  settings: VendorSetting[];
  tag(settings: Record<string, string>): VendorTag;
  /** Google tags take Consent Mode v2 signals. */
  googleConsentMode?: boolean;
  /** The vendor's id in the IAB Global Vendor List, for the TCF string. */
  tcfVendorId?: number;
}
