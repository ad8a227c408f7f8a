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
      en: 'Needed for the site to work: signing in, the basket, form protection, your language and your privacy choices. Always on.',
      de: 'Für den Betrieb der Website nötig: Anmeldung, Warenkorb, Formularschutz, Ihre Sprache und Ihre Datenschutz-Auswahl. Immer aktiv.',
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

export interface VendorTemplate {
  id: string;
  name: string;
  company: { name: string; address: string };
  category: OptionalCategory;
  purpose: Text;
  /** The data the vendor receives. */
  dataTransferred: Text;
  /** Transfer to a third country (outside the EU/EEA), with its safeguard. */
  thirdCountry: { transfer: false } | { transfer: true; countries: string[]; safeguard: Text };
  privacyPolicyUrl: string;
  optOutUrl: string;
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
