// The operator's facts that the privacy policy and imprint need: controller, DPO, supervisory authority.
// They come from a JSON file, validated whole; only without a file (or in a file marked `"demo": true`) is the
// fictional demo company used. A real file inherits nothing from the demo and may not reuse its made-up facts.
import { existsSync, readFileSync } from 'node:fs';

export interface Operator {
  company: string;
  address: string[];
  email: string;
  registry: string;
  vatId: string;
  /** Who may represent the company (managing directors, board): named in the imprint (§ 5 DDG). */
  representedBy: string[];
  dpo: { name: string; email: string };
  supervisoryAuthority: { name: string; address: string[]; url: string };
  /** Third-party vendors switched on, from the templates in privacy/consent/vendors.catalogue.ts. */
  vendors: { id: string; settings?: Record<string, string> }[];
  /** Links to the company's pages on social networks; they load nothing from those hosts until clicked. */
  social: { network: 'facebook' | 'twitter' | 'instagram' | 'youtube' | 'soundcloud'; url: string }[];
  /** IAB TCF v2.2, optional: the registered CMP id and version, and the Global Vendor List file to read. */
  tcf?: { cmpId: number; cmpVersion: number; vendorListFile: string };
  /** How long consent receipts are kept, in days (proof of consent, Art. 7(1) GDPR). */
  consentRecordDays: number;
  /** The fictional demo company: its made-up facts are allowed only here. */
  demo?: boolean;
}

export const demoOperator: Operator = {
  company: 'Tonfabrik Demo Audio GmbH',
  address: ['Beispielweg 12', '10115 Berlin', 'Deutschland'],
  email: 'hello@tonfabrik.example',
  registry: 'Amtsgericht Charlottenburg, HRB 000000 (demo)',
  vatId: 'DE000000000 (demo)',
  representedBy: ['Mara Muster (demo)'],
  dpo: { name: 'Dana Beispiel', email: 'privacy@tonfabrik.example' },
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
  return facts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const lines = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every(text);
const emailLike = (v: unknown): v is string => text(v) && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
const httpsUrl = (v: unknown): v is string => text(v) && /^https:\/\/[^\s"'<>]+$/.test(v);

/** Checks a parsed operator file whole; returns every problem, each naming its field. */
export function validateOperator(raw: unknown): { operator?: Operator; problems: string[] } {
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
  const days = raw.consentRecordDays ?? DEFAULT_CONSENT_RECORD_DAYS;
  if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 36500)
    problems.push('consentRecordDays must be a whole number of days (default 1095)');
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
    },
    supervisoryAuthority: sa as Operator['supervisoryAuthority'],
    vendors: vendors as Operator['vendors'],
    social: social as Operator['social'],
    consentRecordDays: days as number,
    ...(raw.tcf !== undefined ? { tcf: raw.tcf as NonNullable<Operator['tcf']> } : {}),
    ...(demo ? { demo } : {}),
  };
  return { operator, problems };
}

/** The operator file's facts, or the demo company when there is no file. Throws OperatorFileError naming every problem. */
export function loadOperator(file: string): Operator {
  if (!existsSync(file)) return demoOperator;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new OperatorFileError(file, ['it is not valid JSON']);
  }
  const { operator, problems } = validateOperator(parsed);
  if (!operator) throw new OperatorFileError(file, problems);
  return operator;
}
