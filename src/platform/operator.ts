// The operator's facts that the privacy policy and imprint need: controller, DPO, supervisory authority.
// They come from a JSON file, validated whole; only without a file (or in a file marked `"demo": true`) is the
// fictional demo company used. A real file inherits nothing from the demo and may not reuse its made-up facts.
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_TIME_ZONE, isTimeZone } from './i18n.ts';

export interface Operator {
  company: string;
  address: string[];
  email: string;
  registry: string;
  vatId: string;
  /** Who may represent the company (managing directors, board): named in the imprint (§ 5 DDG). */
  representedBy: string[];
  /** A telephone number for quick contact, shown in the imprint (§ 5(1) no. 2 DDG) and the contact page. */
  phone: string;
  /** Delivery time and shipping cost of goods, shown on hardware pages (Art. 246a § 1(1) nos. 4, 7 EGBGB). */
  shipping?: OperatorShipping;
  dpo: { name: string; email: string; title?: DpoTitle };
  supervisoryAuthority: { name: string; address: string[]; url: string };
  /** Third-party vendors switched on, from the templates in privacy/consent/vendors.catalogue.ts. */
  vendors: { id: string; settings?: Record<string, string> }[];
  /** Links to the company's pages on social networks; they load nothing from those hosts until clicked. */
  social: { network: 'facebook' | 'twitter' | 'instagram' | 'youtube' | 'soundcloud'; url: string }[];
  /** IAB TCF v2.2, optional: the registered CMP id and version, and the Global Vendor List file to read. */
  tcf?: { cmpId: number; cmpVersion: number; vendorListFile: string };
  /** How long consent receipts are kept, in days (proof of consent, Art. 7(1) GDPR). */
  consentRecordDays: number;
  /** The IANA time zone every time is shown in to customers and staff (default Europe/Berlin). */
  timeZone: string;
  /** The operator's country (ISO 3166-1 alpha-2, default DE): the checkout's default country and the VAT at home. */
  country: string;
  /** The countries the shop sells to (ISO codes; default the EU and its neighbours): the checkout's country list. */
  sellsTo: string[];
  /**
   * VAT rates in percent by EU member state (default: the standard rates, EU_STANDARD_VAT_RATES). Its keys are the
   * countries whose VAT a sale to a consumer there carries (one-stop shop, decision 0031); elsewhere no VAT.
   */
  vatRates: Record<string, number>;
  /** Where customers transfer the amount of an invoice order (order page, confirmation mail, invoice PDF). */
  bankAccount: BankAccount;
  /** Days from the invoice date to the due date of an invoice order (default 14). */
  paymentTermDays: number;
  /** Days after the due date on which a payment reminder goes out, one reminder each, ascending (default [7, 21]). */
  paymentReminderDays: number[];
  /** The carriers the staff's ship action offers, each with its tracking page (at least one in a real file). */
  carriers: Carrier[];
  /**
   * The companies the operator chose for services that receive personal data, named in the policy and the access
   * export (Art. 13(1)(e), 14(1)(e), 15(1)(c) GDPR; CJEU C-154/21). Required in a real file: the delivery company
   * always (every hardware order is handed to it), the mail relay when SMTP_URL is set. The payment provider and
   * the credit agency are named by their adapters, not here.
   */
  recipients?: Partial<Record<OperatorRecipientId, Company>>;
  /** The fictional demo company: its made-up facts are allowed only here. */
  demo?: boolean;
}

/** How goods are shipped: the delivery time in both languages and the shipping cost per order (0: free). */
export interface OperatorShipping {
  deliveryTime: { en: string; de: string };
  costCents: number;
  /**
   * The longest delivery time anywhere the operator ships, in calendar days after shipping. The withdrawal period
   * of goods runs from their receipt, which is not recorded: it is counted from shipping plus these days, so that
   * it never ends before the law allows. Absent: DEFAULT_MAX_DELIVERY_DAYS.
   */
  maxDeliveryDays?: number;
}

/** Calendar days assumed for delivery when the operator names no `shipping.maxDeliveryDays`: generous on purpose. */
export const DEFAULT_MAX_DELIVERY_DAYS = 14;

/** The operator's bank account for payments on invoice; the IBAN is kept without spaces. */
export interface BankAccount {
  accountHolder: string;
  iban: string;
  bic: string;
  bank: string;
}

/** A parcel carrier: `trackingUrl` is an https:// address with `{tracking}` where the tracking number goes. */
export interface Carrier {
  id: string;
  name: string;
  trackingUrl: string;
}

/** A company outside ours that receives personal data, as the policy and the access export name it. */
export interface Company {
  name: string;
  /** Postal address lines, e.g. ["Paketweg 1", "53113 Bonn", "Deutschland"]. */
  address: string[];
  /** Where its own privacy information is, when it publishes one. */
  privacyPolicyUrl?: string;
}

/** The recipients whose company the operator names in operator.json (the data map's recipient ids). */
export const OPERATOR_RECIPIENTS = ['delivery-company', 'mail-provider', 'repair-workshop'] as const;
export type OperatorRecipientId = (typeof OPERATOR_RECIPIENTS)[number];

/**
 * How the policy names the data protection officer's office. German declines it by gender ("unsere
 * Datenschutzbeauftragte", "unseren Datenschutzbeauftragten"), so the German form is one of the two the policy can
 * decline; without a title the statutory form of the GDPR's German text (Art. 37 DSGVO) is used.
 */
export interface DpoTitle {
  en: string;
  de: 'Datenschutzbeauftragte' | 'Datenschutzbeauftragter';
}

export const germanDpoTitles: DpoTitle['de'][] = ['Datenschutzbeauftragte', 'Datenschutzbeauftragter'];

export const defaultDpoTitle: DpoTitle = { en: 'data protection officer', de: 'Datenschutzbeauftragter' };

/**
 * The standard VAT rates of the 27 EU member states in percent, as of 1 January 2026 (European Commission, "VAT
 * rates applied in the member states"). Public law, not demo facts: a real operator file inherits them unless it
 * names its own `vatRates` (and keeps them current).
 */
// prettier-ignore
export const EU_STANDARD_VAT_RATES: Readonly<Record<string, number>> = {
  AT: 20, BE: 21, BG: 20, CY: 19, CZ: 21, DE: 19, DK: 25, EE: 24, ES: 21, FI: 25.5, FR: 20, GR: 24, HR: 25, HU: 27,
  IE: 23, IT: 22, LT: 21, LU: 17, LV: 21, MT: 18, NL: 21, PL: 23, PT: 23, RO: 21, SE: 25, SI: 22, SK: 23,
};

/** Where the shop sells by default: the EU and its neighbours in the single market or with a customs union. */
export const DEFAULT_SELLS_TO: readonly string[] = [
  ...Object.keys(EU_STANDARD_VAT_RATES),
  'CH',
  'GB',
  'IS',
  'LI',
  'NO',
];
const DEFAULT_COUNTRY = 'DE';
const DEFAULT_PAYMENT_TERM_DAYS = 14;
const DEFAULT_REMINDER_DAYS: readonly number[] = [7, 21];

export const demoOperator: Operator = {
  company: 'Tonfabrik Demo Audio GmbH',
  address: ['Beispielweg 12', '10115 Berlin', 'Deutschland'],
  email: 'hello@tonfabrik.example',
  registry: 'Amtsgericht Charlottenburg, HRB 000000 (demo)',
  vatId: 'DE000000000 (demo)',
  representedBy: ['Mara Muster (demo)'],
  phone: '+49 30 0000000 (demo)',
  shipping: {
    deliveryTime: {
      en: '2 to 4 working days within Germany, 4 to 8 working days to other EU countries',
      de: '2 bis 4 Werktage innerhalb Deutschlands, 4 bis 8 Werktage in andere EU-Länder',
    },
    costCents: 0,
    maxDeliveryDays: 12,
  },
  dpo: {
    name: 'Dana Beispiel',
    email: 'privacy@tonfabrik.example',
    title: { en: 'data protection officer', de: 'Datenschutzbeauftragte' },
  },
  supervisoryAuthority: {
    name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit',
    address: ['Alt-Moabit 59-61', '10555 Berlin', 'Deutschland'],
    url: 'https://www.datenschutz-berlin.de',
  },
  // The demo switches on several vendors so that consent gating is visible; their ids are made up.
  vendors: [
    { id: 'google-analytics', settings: { measurementId: 'G-DEMO000001' } },
    { id: 'hotjar', settings: { siteId: '1000001' } },
    { id: 'zendesk', settings: { widgetKey: '00000000-0000-4000-8000-000000000001' } },
    { id: 'criteo', settings: { accountId: '100001' } },
    { id: 'facebook-pixel', settings: { pixelId: '100000000000001' } },
    { id: 'google-remarketing', settings: { conversionId: 'AW-100000001' } },
  ],
  social: [
    { network: 'facebook', url: 'https://www.facebook.com/tonfabrik.example' },
    { network: 'twitter', url: 'https://twitter.com/tonfabrik_example' },
    { network: 'instagram', url: 'https://www.instagram.com/tonfabrik.example' },
    { network: 'youtube', url: 'https://www.youtube.com/@tonfabrik-example' },
    { network: 'soundcloud', url: 'https://soundcloud.com/tonfabrik-example' },
  ],
  consentRecordDays: 3 * 365,
  timeZone: DEFAULT_TIME_ZONE,
  country: DEFAULT_COUNTRY,
  sellsTo: [...DEFAULT_SELLS_TO],
  vatRates: { ...EU_STANDARD_VAT_RATES },
  // A fictional account: bank code 00000000 exists at no bank (the check digits are right, so it passes validation).
  bankAccount: {
    accountHolder: 'Tonfabrik Demo Audio GmbH',
    iban: 'DE36000000000000000000',
    bic: 'DEMODEB1XXX',
    bank: 'Demobank Beispiel (demo, not a real bank)',
  },
  paymentTermDays: DEFAULT_PAYMENT_TERM_DAYS,
  paymentReminderDays: [...DEFAULT_REMINDER_DAYS],
  carriers: [
    {
      id: 'paketbote',
      name: 'Paketbote Beispiel (demo carrier)',
      trackingUrl: 'https://paketbote.example/sendungsverfolgung?nr={tracking}',
    },
  ],
  // Stand-ins, so that the demo policy shows where the companies' names go; no such companies exist.
  recipients: {
    'delivery-company': {
      name: 'Paketbote Beispiel GmbH (demo stand-in, not a real company)',
      address: ['Versandstraße 1', '10115 Berlin', 'Deutschland'],
      privacyPolicyUrl: 'https://paketbote.example/datenschutz',
    },
    'mail-provider': {
      name: 'Postrelais Beispiel GmbH (demo stand-in, not a real company)',
      address: ['Relaisweg 2', '10115 Berlin', 'Deutschland'],
    },
    'repair-workshop': {
      name: 'Reparaturwerkstatt Beispiel GmbH (demo stand-in, not a real company)',
      address: ['Werkstattweg 3', '10115 Berlin', 'Deutschland'],
    },
  },
  demo: true,
};

export class OperatorFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The operator file ${file} is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OperatorFileError';
  }
}

const DEFAULT_CONSENT_RECORD_DAYS = 3 * 365;
const NETWORKS = ['facebook', 'twitter', 'instagram', 'youtube', 'soundcloud'] as const;
const KNOWN_KEYS = [
  'company',
  'address',
  'email',
  'registry',
  'vatId',
  'representedBy',
  'phone',
  'shipping',
  'dpo',
  'supervisoryAuthority',
  'vendors',
  'social',
  'tcf',
  'consentRecordDays',
  'timeZone',
  'country',
  'sellsTo',
  'vatRates',
  'bankAccount',
  'paymentTermDays',
  'paymentReminderDays',
  'carriers',
  'recipients',
  'demo',
  '$schema',
];

/**
 * The demo's made-up facts, recognised wherever they appear in a real operator file (a copied example left
 * half-edited). The supervisory authority is a real one and is not among them.
 */
function demoFacts(): Map<string, string> {
  const facts = new Map<string, string>([
    [demoOperator.company, 'company'],
    [demoOperator.email, 'email'],
    [demoOperator.registry, 'registry'],
    [demoOperator.vatId, 'vatId'],
    [demoOperator.phone, 'phone'],
    [demoOperator.dpo.name, 'dpo.name'],
    [demoOperator.dpo.email, 'dpo.email'],
    [demoOperator.address[0] as string, 'address'],
  ]);
  for (const v of demoOperator.vendors)
    for (const [k, value] of Object.entries(v.settings ?? {})) facts.set(value, `vendors (${v.id} ${k})`);
  for (const l of demoOperator.social) facts.set(l.url, `social (${l.network})`);
  facts.set(demoOperator.bankAccount.iban, 'bankAccount.iban');
  facts.set(demoOperator.bankAccount.bic, 'bankAccount.bic');
  for (const c of demoOperator.carriers) facts.set(c.trackingUrl, `carriers (${c.id})`);
  for (const [id, c] of Object.entries(demoOperator.recipients ?? {})) {
    facts.set(c.name, `recipients.${id}`);
    facts.set(c.address[0] as string, `recipients.${id}`);
    if (c.privacyPolicyUrl) facts.set(c.privacyPolicyUrl, `recipients.${id}`);
  }
  return facts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const lines = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(text);
const emailLike = (v: unknown): v is string => text(v) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
const phoneLike = (v: unknown): v is string => text(v) && /^\+?[0-9][0-9 ()/-]{5,30}[0-9]( \(demo\))?$/.test(v.trim());
const httpsUrl = (v: unknown): v is string => text(v) && /^https:\/\/[^\s"'<>]+$/.test(v);

/** What the rest of the configuration says about the operator file's duties (SMTP_URL set: a mail relay is used). */
export interface OperatorContext {
  mailRelay?: boolean;
}

/** Checks a parsed operator file whole; returns every problem, each naming its field. */
export function validateOperator(
  raw: unknown,
  context: OperatorContext = {},
): { operator?: Operator; problems: string[] } {
  if (!isRecord(raw)) return { problems: ['the file must hold one JSON object'] };
  const problems: string[] = [];
  const need = (value: unknown, ok: (v: unknown) => boolean, field: string, what: string) => {
    if (!ok(value)) problems.push(value === undefined ? `${field} is missing (${what})` : `${field} must be ${what}`);
  };
  for (const key of Object.keys(raw))
    if (!KNOWN_KEYS.includes(key))
      problems.push(`${key} is not a known field (known: ${KNOWN_KEYS.filter((k) => k !== '$schema').join(', ')})`);
  need(raw.company, text, 'company', 'the company name');
  need(raw.address, lines, 'address', 'a list of address lines, e.g. ["Street 1", "10115 Berlin", "Deutschland"]');
  need(raw.email, emailLike, 'email', 'the contact email address');
  need(
    raw.registry,
    text,
    'registry',
    'the commercial register and number, e.g. "Amtsgericht Charlottenburg, HRB 123456"',
  );
  need(raw.vatId, text, 'vatId', 'the VAT identification number');
  need(
    raw.representedBy,
    lines,
    'representedBy',
    'a list of the people who represent the company (managing directors or board), e.g. ["Erika Muster"]',
  );
  need(raw.phone, phoneLike, 'phone', 'a telephone number for quick contact, e.g. "+49 30 1234567" (§ 5 DDG)');
  const shipping = validateShipping(raw.shipping, problems);
  const dpo = raw.dpo;
  if (!isRecord(dpo))
    problems.push(
      dpo === undefined
        ? 'dpo is missing ({ "name": …, "email": … })'
        : 'dpo must be an object { "name": …, "email": … }',
    );
  else {
    need(dpo.name, text, 'dpo.name', 'the name of the data protection officer');
    need(dpo.email, emailLike, 'dpo.email', 'an email address');
    if (
      dpo.title !== undefined &&
      !(isRecord(dpo.title) && text(dpo.title.en) && germanDpoTitles.includes(dpo.title.de as DpoTitle['de']))
    )
      problems.push(
        `dpo.title must be { "en": "data protection officer", "de": ${germanDpoTitles.map((g) => `"${g}"`).join(' or ')} } (leave it out for "${defaultDpoTitle.de}")`,
      );
  }
  const sa = raw.supervisoryAuthority;
  if (!isRecord(sa))
    problems.push(
      sa === undefined
        ? 'supervisoryAuthority is missing ({ "name", "address", "url" })'
        : 'supervisoryAuthority must be an object { "name", "address", "url" }',
    );
  else {
    need(sa.name, text, 'supervisoryAuthority.name', 'the authority’s name');
    need(sa.address, lines, 'supervisoryAuthority.address', 'a list of address lines');
    need(sa.url, httpsUrl, 'supervisoryAuthority.url', 'an https:// address');
  }
  const vendors = raw.vendors ?? [];
  if (!Array.isArray(vendors)) problems.push('vendors must be a list (leave it out for none)');
  else
    vendors.forEach((v, i) => {
      if (!isRecord(v) || !text(v.id)) problems.push(`vendors[${i}] must be { "id": …, "settings": { … } }`);
      else if (
        v.settings !== undefined &&
        (!isRecord(v.settings) || !Object.values(v.settings).every((s) => typeof s === 'string'))
      )
        problems.push(`vendors[${i}].settings must map names to strings`);
    });
  const social = raw.social ?? [];
  if (!Array.isArray(social)) problems.push('social must be a list (leave it out for none)');
  else
    social.forEach((l, i) => {
      if (!isRecord(l) || !NETWORKS.includes(l.network as (typeof NETWORKS)[number]))
        problems.push(`social[${i}].network must be one of ${NETWORKS.join(', ')}`);
      else if (!httpsUrl(l.url)) problems.push(`social[${i}].url must be an https:// address`);
    });
  if (raw.tcf !== undefined) {
    const tcf = raw.tcf;
    if (
      !isRecord(tcf) ||
      !Number.isInteger(tcf.cmpId) ||
      !Number.isInteger(tcf.cmpVersion) ||
      !text(tcf.vendorListFile)
    )
      problems.push('tcf must be { "cmpId": number, "cmpVersion": number, "vendorListFile": "path" }');
  }
  const recipients = validateRecipients(raw.recipients, raw.demo === true, context, problems);
  const days = raw.consentRecordDays ?? DEFAULT_CONSENT_RECORD_DAYS;
  if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 36500)
    problems.push('consentRecordDays must be a whole number of days (default 1095)');
  const timeZone = raw.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone))
    problems.push(
      `timeZone must be a time zone name such as "Europe/Berlin" or "UTC" (default ${DEFAULT_TIME_ZONE}); "${String(timeZone)}" is not one`,
    );
  const { country, sellsTo, vatRates } = validateVat(raw, problems);
  const payments = validatePayments(raw, problems);
  if (raw.demo !== undefined && typeof raw.demo !== 'boolean') problems.push('demo must be true or false');
  const demo = raw.demo === true;
  if (!demo) {
    // Outside the demo, none of the demo's made-up facts may appear, wherever they were copied to.
    const facts = demoFacts();
    const seen = new Set<string>();
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        const field = facts.get(value.trim()) ?? (/\(demo\)/i.test(value) ? 'a value marked "(demo)"' : undefined);
        if (field && !seen.has(field)) {
          seen.add(field);
          problems.push(
            `${field} holds the fictional demo company's value "${value}"; enter your own (only a file with "demo": true may use the demo)`,
          );
        }
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (isRecord(value)) Object.values(value).forEach(walk);
    };
    walk(raw);
  }
  if (problems.length > 0) return { problems };
  const operator: Operator = {
    company: raw.company as string,
    address: raw.address as string[],
    email: raw.email as string,
    registry: raw.registry as string,
    vatId: raw.vatId as string,
    representedBy: raw.representedBy as string[],
    phone: raw.phone as string,
    ...(shipping ? { shipping } : {}),
    dpo: {
      name: (dpo as Record<string, string>).name as string,
      email: (dpo as Record<string, string>).email as string,
      ...(isRecord(dpo) && dpo.title !== undefined ? { title: dpo.title as DpoTitle } : {}),
    },
    supervisoryAuthority: sa as Operator['supervisoryAuthority'],
    vendors: vendors as Operator['vendors'],
    social: social as Operator['social'],
    consentRecordDays: days as number,
    timeZone: timeZone as string,
    country,
    sellsTo,
    vatRates,
    ...payments,
    ...(recipients ? { recipients } : {}),
    ...(raw.tcf !== undefined ? { tcf: raw.tcf as NonNullable<Operator['tcf']> } : {}),
    ...(demo ? { demo } : {}),
  };
  return { operator, problems };
}

const isCountryCode = (v: unknown): v is string => typeof v === 'string' && /^[A-Z]{2}$/.test(v);

/** `country`, `sellsTo` and `vatRates`: ISO codes, rates from 0 to 100; the home country is sold to and has a rate. */
function validateVat(
  raw: Record<string, unknown>,
  problems: string[],
): { country: string; sellsTo: string[]; vatRates: Record<string, number> } {
  const country = raw.country ?? DEFAULT_COUNTRY;
  if (!isCountryCode(country))
    problems.push(`country must be a two-letter ISO 3166-1 code in capitals such as "DE" (default ${DEFAULT_COUNTRY})`);
  const sellsTo = raw.sellsTo ?? DEFAULT_SELLS_TO;
  if (!Array.isArray(sellsTo) || sellsTo.length === 0 || !sellsTo.every(isCountryCode))
    problems.push('sellsTo must be a list of two-letter ISO 3166-1 codes in capitals such as ["DE", "AT"]');
  else if (isCountryCode(country) && !sellsTo.includes(country))
    problems.push(`sellsTo must include the operator's own country ${country}`);
  const vatRates = raw.vatRates ?? EU_STANDARD_VAT_RATES;
  if (
    !isRecord(vatRates) ||
    !Object.entries(vatRates).every(
      ([k, v]) => isCountryCode(k) && typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100,
    )
  )
    problems.push('vatRates must map two-letter EU country codes to rates in percent from 0 to 100, e.g. { "DE": 19 }');
  else if (isCountryCode(country) && vatRates[country] === undefined)
    problems.push(`vatRates must hold the rate of the operator's own country ${country}`);
  return {
    country: country as string,
    sellsTo: [...(sellsTo as string[])],
    vatRates: { ...(vatRates as Record<string, number>) },
  };
}

/** `shipping`, optional: the delivery time in both languages and the cost per order in cents (0 for free). */
function validateShipping(raw: unknown, problems: string[]): OperatorShipping | undefined {
  if (raw === undefined) return undefined;
  const shape =
    '{ "deliveryTime": { "en": "2 to 4 working days", "de": "2 bis 4 Werktage" }, "costCents": 0, "maxDeliveryDays": 10 (optional, 1 to 90) }';
  if (
    !isRecord(raw) ||
    !isRecord(raw.deliveryTime) ||
    !text(raw.deliveryTime.en) ||
    !text(raw.deliveryTime.de) ||
    !Number.isInteger(raw.costCents) ||
    (raw.costCents as number) < 0 ||
    (raw.maxDeliveryDays !== undefined &&
      (!Number.isInteger(raw.maxDeliveryDays) ||
        (raw.maxDeliveryDays as number) < 1 ||
        (raw.maxDeliveryDays as number) > 90))
  ) {
    problems.push(`shipping must be ${shape}`);
    return undefined;
  }
  return {
    deliveryTime: { en: raw.deliveryTime.en as string, de: raw.deliveryTime.de as string },
    costCents: raw.costCents as number,
    ...(raw.maxDeliveryDays !== undefined ? { maxDeliveryDays: raw.maxDeliveryDays as number } : {}),
  };
}

/** An IBAN: country, check digits and account, 15 to 34 characters, whose mod-97 check (ISO 13616) holds. */
export function isIban(value: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  const digits = (value.slice(4) + value.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
}

/**
 * `bankAccount` and `carriers` (required in a real file: every shop offers invoice and ships hardware; a demo file
 * inherits the demo's), `paymentTermDays` (default 14) and `paymentReminderDays` (default [7, 21]).
 */
function validatePayments(
  raw: Record<string, unknown>,
  problems: string[],
): Pick<Operator, 'bankAccount' | 'paymentTermDays' | 'paymentReminderDays' | 'carriers'> {
  const demo = raw.demo === true;
  const bank = raw.bankAccount ?? (demo ? demoOperator.bankAccount : undefined);
  const bankShape =
    '{ "accountHolder": "…", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX", "bank": "…" }';
  let bankAccount = demoOperator.bankAccount;
  if (!isRecord(bank))
    problems.push(
      bank === undefined
        ? `bankAccount is missing (customers who pay on invoice transfer to it): ${bankShape}`
        : `bankAccount must be ${bankShape}`,
    );
  else {
    const iban = typeof bank.iban === 'string' ? bank.iban.replace(/\s+/g, '').toUpperCase() : '';
    const bic = typeof bank.bic === 'string' ? bank.bic.trim().toUpperCase() : '';
    const before = problems.length;
    if (!text(bank.accountHolder)) problems.push('bankAccount.accountHolder must be the account holder’s name');
    if (!isIban(iban)) problems.push('bankAccount.iban must be a valid IBAN (its check digits are verified)');
    if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
      problems.push('bankAccount.bic must be a BIC of 8 or 11 characters, e.g. "COBADEFFXXX"');
    if (!text(bank.bank)) problems.push('bankAccount.bank must be the bank’s name');
    for (const key of Object.keys(bank))
      if (!['accountHolder', 'iban', 'bic', 'bank'].includes(key))
        problems.push(`bankAccount.${key} is not a known field (known: accountHolder, iban, bic, bank)`);
    if (problems.length === before)
      bankAccount = { accountHolder: bank.accountHolder as string, iban, bic, bank: bank.bank as string };
  }
  const term = raw.paymentTermDays ?? DEFAULT_PAYMENT_TERM_DAYS;
  if (!Number.isInteger(term) || (term as number) < 1 || (term as number) > 120)
    problems.push(
      `paymentTermDays must be a whole number of days from 1 to 120 (default ${DEFAULT_PAYMENT_TERM_DAYS})`,
    );
  const reminders = raw.paymentReminderDays ?? DEFAULT_REMINDER_DAYS;
  if (
    !Array.isArray(reminders) ||
    reminders.length > 5 ||
    !reminders.every((d, i) => Number.isInteger(d) && d >= 1 && d <= 365 && (i === 0 || d > reminders[i - 1]))
  )
    problems.push(
      'paymentReminderDays must be a list of at most 5 ascending whole numbers of days after the due date, e.g. [7, 21] ([] sends no reminders)',
    );
  const list = raw.carriers ?? (demo ? demoOperator.carriers : undefined);
  const carrierShape = '[{ "id": "dhl", "name": "DHL Paket", "trackingUrl": "https://…?piececode={tracking}" }]';
  const carriers: Carrier[] = [];
  if (!Array.isArray(list) || list.length === 0)
    problems.push(
      list === undefined
        ? `carriers is missing (the ship action offers them, with their tracking page): ${carrierShape}`
        : `carriers must be a list of at least one carrier: ${carrierShape}`,
    );
  else
    list.forEach((c, i) => {
      if (
        !isRecord(c) ||
        typeof c.id !== 'string' ||
        !/^[a-z0-9-]{1,40}$/.test(c.id) ||
        !text(c.name) ||
        !httpsUrl(c.trackingUrl) ||
        !c.trackingUrl.includes('{tracking}')
      )
        problems.push(
          `carriers[${i}] must be { "id": lower-case letters, digits, "-"; "name": …; "trackingUrl": an https:// address with {tracking} }`,
        );
      else if (carriers.some((k) => k.id === c.id)) problems.push(`carriers[${i}].id "${c.id}" is used twice`);
      else carriers.push({ id: c.id, name: c.name as string, trackingUrl: c.trackingUrl as string });
    });
  return {
    bankAccount,
    paymentTermDays: term as number,
    paymentReminderDays: Array.isArray(reminders) ? [...(reminders as number[])] : [...DEFAULT_REMINDER_DAYS],
    carriers,
  };
}

const RECIPIENT_EXAMPLES: Record<OperatorRecipientId, string> = {
  'delivery-company': 'the delivery company that receives the hand-off of every hardware order',
  'mail-provider': 'the mail relay of SMTP_URL, which receives every email the shop sends',
  'repair-workshop': 'the repair workshop that receives the return address, serial number and fault of every repair',
};

/**
 * `recipients`: the companies named for the delivery hand-off and the mail relay. A real file must name the
 * delivery company (hand-offs are always on: every hardware order makes one) and, when SMTP_URL is set, the mail
 * relay; without SMTP_URL no mail leaves the machine. The repair workshop is optional: repairs of registered hardware
 * are offered only when it is named (support.repairs.routes.ts). The demo has stand-ins.
 */
function validateRecipients(
  raw: unknown,
  demo: boolean,
  context: OperatorContext,
  problems: string[],
): Operator['recipients'] {
  const shape =
    '{ "name": "…", "address": ["Street 1", "12345 City", "Country"], "privacyPolicyUrl": "https://…" (optional) }';
  if (raw !== undefined && !isRecord(raw)) {
    problems.push(`recipients must be an object { ${OPERATOR_RECIPIENTS.map((id) => `"${id}": …`).join(', ')} }`);
    return undefined;
  }
  const given = (raw ?? {}) as Record<string, unknown>;
  const out: Partial<Record<OperatorRecipientId, Company>> = {};
  for (const [id, value] of Object.entries(given)) {
    if (!(OPERATOR_RECIPIENTS as readonly string[]).includes(id)) {
      problems.push(
        `recipients.${id} is not a recipient named here (known: ${OPERATOR_RECIPIENTS.join(', ')}; the payment provider and the credit agency are named by their adapters)`,
      );
      continue;
    }
    const field = `recipients.${id}`;
    if (!isRecord(value)) {
      problems.push(`${field} must be ${shape}`);
      continue;
    }
    const before = problems.length;
    if (!text(value.name)) problems.push(`${field}.name must be the company's name`);
    if (!lines(value.address)) problems.push(`${field}.address must be a list of address lines`);
    if (value.privacyPolicyUrl !== undefined && !httpsUrl(value.privacyPolicyUrl))
      problems.push(`${field}.privacyPolicyUrl must be an https:// address (or left out)`);
    for (const key of Object.keys(value))
      if (!['name', 'address', 'privacyPolicyUrl'].includes(key))
        problems.push(`${field}.${key} is not a known field (known: name, address, privacyPolicyUrl)`);
    if (problems.length === before)
      out[id as OperatorRecipientId] = {
        name: value.name as string,
        address: value.address as string[],
        ...(value.privacyPolicyUrl !== undefined ? { privacyPolicyUrl: value.privacyPolicyUrl as string } : {}),
      };
  }
  if (!demo) {
    const required: OperatorRecipientId[] = [
      'delivery-company',
      ...(context.mailRelay ? (['mail-provider'] as const) : []),
    ];
    for (const id of required)
      if (given[id] === undefined)
        problems.push(
          `recipients.${id} is missing: name ${RECIPIENT_EXAMPLES[id]}, as ${shape}; the policy must name every company that receives personal data`,
        );
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The operator file's facts, or the demo company when there is no file. Throws OperatorFileError naming every problem. */
export function loadOperator(file: string, context: OperatorContext = {}): Operator {
  if (!existsSync(file)) return demoOperator;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new OperatorFileError(file, ['it is not valid JSON']);
  }
  const { operator, problems } = validateOperator(parsed, context);
  if (!operator) throw new OperatorFileError(file, problems);
  return operator;
}
