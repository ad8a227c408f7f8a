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

/** A company outside ours that receives personal data, as the policy and the access export name it. */
export interface Company {
  name: string;
  /** Postal address lines, e.g. ["Paketweg 1", "53113 Bonn", "Deutschland"]. */
  address: string[];
  /** Where its own privacy information is, when it publishes one. */
  privacyPolicyUrl?: string;
}

/** The recipients whose company the operator names in operator.json (the data map's recipient ids). */
export const OPERATOR_RECIPIENTS = ['delivery-company', 'mail-provider'] as const;
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

export const demoOperator: Operator = {
  company: 'Tonfabrik Demo Audio GmbH',
  address: ['Beispielweg 12', '10115 Berlin', 'Deutschland'],
  email: 'hello@tonfabrik.example',
  registry: 'Amtsgericht Charlottenburg, HRB 000000 (demo)',
  vatId: 'DE000000000 (demo)',
  representedBy: ['Mara Muster (demo)'],
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
  'dpo',
  'supervisoryAuthority',
  'vendors',
  'social',
  'tcf',
  'consentRecordDays',
  'timeZone',
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
    [demoOperator.dpo.name, 'dpo.name'],
    [demoOperator.dpo.email, 'dpo.email'],
    [demoOperator.address[0] as string, 'address'],
  ]);
  for (const v of demoOperator.vendors)
    for (const [k, value] of Object.entries(v.settings ?? {})) facts.set(value, `vendors (${v.id} ${k})`);
  for (const l of demoOperator.social) facts.set(l.url, `social (${l.network})`);
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
    ...(recipients ? { recipients } : {}),
    ...(raw.tcf !== undefined ? { tcf: raw.tcf as NonNullable<Operator['tcf']> } : {}),
    ...(demo ? { demo } : {}),
  };
  return { operator, problems };
}

const RECIPIENT_EXAMPLES: Record<OperatorRecipientId, string> = {
  'delivery-company': 'the delivery company that receives the hand-off of every hardware order',
  'mail-provider': 'the mail relay of SMTP_URL, which receives every email the shop sends',
};

/**
 * `recipients`: the companies named for the delivery hand-off and the mail relay. A real file must name the
 * delivery company (hand-offs are always on: every hardware order makes one) and, when SMTP_URL is set, the mail
 * relay; without SMTP_URL no mail leaves the machine. The demo has stand-ins.
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
