// The data map: what personal data exists, why, on which legal basis, for how long and who receives it.
// Features declare their part beside their tables; the registry joins the parts and checks they are whole.
// Everything privacy-related (retention, export, erasure, the policy page, the Art. 30 record) is derived from it.
import type { Kysely } from 'kysely';
import { DAY } from '../platform/clock.ts';
import type { Text } from '../platform/i18n.ts';
import type { Config } from '../platform/config.ts';
import type { Company } from '../platform/operator.ts';
import { policyLinkProblems, type PolicyLinks } from './policy-links.ts';

export type { Text };

/** GDPR Art. 6(1) (a)-(f). */
export type LegalBasis =
  'consent' | 'contract' | 'legal-obligation' | 'vital-interests' | 'public-task' | 'legitimate-interests';

export const legalBasisArticle: Record<LegalBasis, string> = {
  consent: 'Art. 6(1)(a) GDPR',
  contract: 'Art. 6(1)(b) GDPR',
  'legal-obligation': 'Art. 6(1)(c) GDPR',
  'vital-interests': 'Art. 6(1)(d) GDPR',
  'public-task': 'Art. 6(1)(e) GDPR',
  'legitimate-interests': 'Art. 6(1)(f) GDPR',
};

/** Categories of personal data; `secret` columns (hashes of passwords and tokens) are never exported in clear. */
export type Category =
  | 'identity'
  | 'contact'
  | 'phone'
  | 'credentials'
  | 'secret'
  | 'account'
  | 'online-identifier'
  | 'ip-address'
  | 'ip-prefix'
  | 'usage'
  | 'device'
  | 'product-identifier'
  | 'machine-identifier'
  | 'language'
  | 'communication'
  | 'preferences'
  | 'purchases'
  | 'payment-method'
  | 'payment'
  | 'address'
  | 'country'
  | 'system-profile'
  | 'creditworthiness'
  | 'disclosure-record'
  | 'access-record';

export const categoryNames: Record<Category, Text> = {
  identity: { en: 'name', de: 'Name' },
  contact: { en: 'email address', de: 'E-Mail-Adresse' },
  phone: { en: 'telephone number', de: 'Telefonnummer' },
  credentials: { en: 'login credentials', de: 'Zugangsdaten' },
  secret: {
    en: 'security secrets (stored only as hashes or encrypted)',
    de: 'Sicherheitsgeheimnisse (nur als Hash oder verschlüsselt gespeichert)',
  },
  account: { en: 'account details and settings', de: 'Kontodaten und Einstellungen' },
  'online-identifier': {
    en: 'online identifiers (session and token IDs)',
    de: 'Online-Kennungen (Sitzungs- und Token-IDs)',
  },
  'ip-address': { en: 'IP address', de: 'IP-Adresse' },
  'ip-prefix': {
    en: 'shortened IP address (IPv4 without its last 8 bits, IPv6 only its first 48 bits)',
    de: 'gekürzte IP-Adresse (IPv4 ohne die letzten 8 Bit, bei IPv6 nur die ersten 48 Bit)',
  },
  // The request log names its own columns (policy.visit.ts); elsewhere usage data is what was used and when.
  usage: {
    en: 'usage data (what was requested or used, and when)',
    de: 'Nutzungsdaten (was wann aufgerufen oder genutzt wurde)',
  },
  device: { en: 'browser, browser language and operating system', de: 'Browser, Browsersprache und Betriebssystem' },
  'product-identifier': {
    en: 'serial numbers of hardware and licence keys of software',
    de: 'Seriennummern von Hardware und Lizenzschlüssel von Software',
  },
  'machine-identifier': {
    en: 'a hash of the fingerprint of a computer on which software is activated, and the name you gave that computer',
    de: 'ein Hash des Fingerabdrucks eines Rechners, auf dem Software aktiviert ist, und der Name, den Sie diesem Rechner gegeben haben',
  },
  language: { en: 'preferred language', de: 'bevorzugte Sprache' },
  // A customer's own statement (a request for review) is a message too, not only the mails we send.
  communication: { en: 'messages between you and us', de: 'Nachrichten zwischen Ihnen und uns' },
  preferences: { en: 'preferences and choices', de: 'Einstellungen und Auswahlentscheidungen' },
  purchases: { en: 'products you chose or bought', de: 'von Ihnen gewählte oder gekaufte Produkte' },
  'payment-method': { en: 'payment method', de: 'Zahlungsart' },
  payment: {
    en: 'payment details (card brand, last four digits, expiry, payment references and tokens, payment status)',
    de: 'Zahlungsdetails (Kartenmarke, letzte vier Ziffern, Ablaufdatum, Zahlungsreferenzen und -Token, Zahlungsstatus)',
  },
  // Billing and delivery addresses, hand-offs and credit checks hold the name the address is written to as well.
  address: { en: 'name and postal address', de: 'Name und Postanschrift' },
  // Only the country, without the rest of an address (a competition's entry).
  country: { en: 'country of residence', de: 'Wohnsitzland' },
  'system-profile': {
    en: 'details of your setup (operating system, host software, audio interface, product versions and serial numbers)',
    de: 'Angaben zu Ihrem System (Betriebssystem, Host-Software, Audio-Interface, Produktversionen und Seriennummern)',
  },
  creditworthiness: { en: 'result of a credit check', de: 'Ergebnis einer Bonitätsprüfung' },
  'disclosure-record': {
    en: 'records of which of your data we passed to whom, and when',
    de: 'Aufzeichnungen, welche Ihrer Daten wir wann an wen weitergegeben haben',
  },
  'access-record': {
    en: 'records of which staff member looked at which of your data, when and why',
    de: 'Aufzeichnungen, wer von unseren Beschäftigten wann und warum welche Ihrer Daten angesehen hat',
  },
};

/**
 * How a recipient stands towards us: a processor acts only on our instructions under a contract (Art. 28 GDPR); an
 * independent controller decides for itself what it does with the data (a payment provider, a delivery company,
 * a credit agency); joint controllers decide the purposes and means together with us (Art. 26 GDPR).
 */
export type RecipientRole = 'processor' | 'independent-controller' | 'joint-controller';

/** One field a recipient may receive: its category and the name the policy gives it. */
export interface RecipientField {
  /** 'not-personal' for what says nothing about a person (a currency), listed all the same. */
  category: ColumnClass;
  label: Text;
}

export interface Recipient {
  id: string;
  name: Text;
  role: RecipientRole;
  /** For a joint controller: the essence of the arrangement (Art. 26(2) GDPR), which the policy publishes. */
  arrangement?: Text;
  /**
   * Who the recipient is: the company's name and address (Art. 13(1)(e), 15(1)(c) GDPR; CJEU C-154/21). Filled in
   * by the composition root from the adapter (payment provider, credit agency) or operator.json (delivery company,
   * mail relay); absent where none is used or configured (no mail relay without SMTP_URL).
   */
  company?: Company;
  /**
   * Every field this recipient may receive, by its path in what is sent (`items.title` is the field `title` in each
   * element of the array `items`). The outbound gate sends nothing else, and the policy lists exactly these.
   */
  fields: Record<string, RecipientField>;
}

/** The categories a recipient receives, from its fields, in first-seen order. */
export function recipientCategories(r: Recipient): Category[] {
  return [...new Set(Object.values(r.fields).flatMap((f) => (f.category === 'not-personal' ? [] : [f.category])))];
}

/**
 * Art. 13(2)(e) GDPR: whether the person must provide the data, why, and what happens if they do not; and what is
 * voluntary, with its purpose.
 */
export interface Requirement {
  required: Text;
  without: Text;
  voluntary?: Text;
}

/**
 * A decision based solely on automated processing that affects the person (Art. 22 GDPR), with the information
 * Art. 13(2)(f) asks for and the safeguards of Art. 22(3): what goes in, the criteria, what a refusal means, the
 * alternatives, and how to obtain a human review, state one's view and contest it.
 */
export interface AutomatedDecision {
  /**
   * Which exception of Art. 22(2) GDPR allows the decision: (a) necessary for entering into or performing a
   * contract with the person, (b) authorised by law, (c) the person's explicit consent. The policy names it.
   */
  exception?: 'contract' | 'law' | 'consent';
  inputs: Text;
  logic: Text;
  consequences: Text;
  alternatives: Text;
  humanReview: Text;
}

/** Data obtained from someone other than the person (Art. 14 GDPR): who provides it and which categories. */
export interface DataSource {
  from: Text;
  categories: Category[];
  /** Whether the source is publicly accessible (Art. 14(2)(f)). */
  publiclyAccessible: boolean;
}

export interface Activity {
  id: string;
  name: Text;
  purpose: Text;
  legalBasis: LegalBasis;
  /** Why the basis applies, e.g. the legitimate interest pursued. */
  basisDetail?: Text;
  subjects: Text;
  recipients: Recipient[];
  /**
   * The consent category a visitor decides on for this activity (privacy/consent). Absent means necessary:
   * the activity does not depend on the cookie choice. An activity based on consent must name another one.
   */
  consentCategory?: 'necessary' | 'preferences' | 'statistics' | 'marketing';
  /** A part the policy explains on its own: the record of every request, or the record of disclosures to authorities. */
  role?: ActivityRole;
  /**
   * A person can object to this activity or have it restricted one by one: `mayProcess` (privacy/objections.ts)
   * is asked before it runs, and the records of objections and restrictions are listed with it.
   */
  objectable?: boolean;
  /** What the person must provide for this activity, why, and what happens without it (Art. 13(2)(e)). */
  requirement?: Requirement;
  /** The activity ends in a decision by automated means alone (Art. 22). */
  automatedDecision?: AutomatedDecision;
  /** Data this activity obtains from others than the person (Art. 14). */
  sources?: DataSource[];
  /**
   * Columns of other activities' tables that this activity reads (an advertising mail reads the name and the
   * purchases): their classifications are among the activity's categories, as its own tables' columns are.
   */
  uses?: { table: string; columns: string[] }[];
}

export type ActivityRole = 'request-log' | 'disclosure-record';

/**
 * A period in days, in calendar months (aggregates kept "25 months"), or in whole years counted from the end of the
 * calendar year (German statutory periods).
 */
export type Duration = { days: number } | { months: number } | { years: number; fromEndOfYear: true };

/** Rows whose period-start column is below this have expired. For years from the end of the calendar year, a
 * row from year Y expires on 1 January of Y + years + 1. */
export function cutoffOf(after: Duration, now: number): number {
  if ('days' in after) return now - after.days * DAY;
  if ('months' in after) {
    const d = new Date(now);
    // Date.UTC rolls over a day the shorter month lacks (31 March less one month is 3 March): never earlier.
    return Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() - after.months,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    );
  }
  return Date.UTC(new Date(now).getUTCFullYear() - after.years, 0, 1);
}

export type ColumnClass = Category | 'not-personal';

/**
 * How a row is linked to the person it is about: through their account or their own address, never through a
 * shared attribute alone (an IP address or a device is shared by everyone behind one router: Art. 15(4) GDPR).
 */
export type SubjectLink =
  | { via: 'user-id'; column: string }
  | { via: 'email'; column: string }
  /** The column holds the account id of a registered person, or the normalised address of one without an account. */
  | { via: 'user-id-or-email'; column: string };

/**
 * What identifies one person's rows: their email and account ids. `email` is null for an account whose address is
 * not confirmed: rows found by that address may be someone else's (a guest's requests, tickets, mail), so only the
 * account's own rows are theirs.
 */
export interface SubjectKeys {
  email: string | null;
  userIds: string[];
}

export type Erasure =
  | { action: 'delete' }
  | { action: 'anonymise'; columns: string[] }
  /** Kept for a statutory period but restricted: `restrictColumn` gets the time of the erasure request. */
  | { action: 'keep'; until: Text; basis: Text; restrictColumn: string }
  /**
   * Row by row: a row whose `keptColumn` is set (a support ticket about an order, one held for a legal claim) is
   * kept and restricted as with 'keep'; every other row is deleted, and the files of the kept rows stay with them.
   */
  | { action: 'delete-unless-kept'; keptColumn: string; until: Text; basis: Text; restrictColumn: string };

export type RetentionAction =
  | { kind: 'delete' }
  /** Sets the columns to NULL. */
  | { kind: 'clear'; columns: string[] }
  /**
   * For daily-partitioned tables: drops whole days, whatever their size. Without `exact`, a day is dropped as
   * soon as its first rows expire (its other rows go up to a day early); with `exact`, the rows of the one partly
   * expired day are deleted as they expire (needs an index on `from`). Either way nothing outlives the period.
   */
  | { kind: 'drop-partition'; exact: boolean };

export interface RetentionRule {
  /** `<feature>.<verb>-<noun>`, as jobs are named. */
  id: string;
  what: Text;
  after: Duration;
  /** The time column the period runs from; for partitioned tables, the partition's day. */
  from: string;
  fromEvent: Text;
  /** Why the period is this long: the statute that requires it (§ 147 AO, § 14b UStG, § 257 HGB) or the reason. */
  basis: Text;
  action: RetentionAction;
}

export interface TableMap {
  table: string;
  /** 'daily': physical tables named `<table>_dYYYYMMDD`, one per UTC day. */
  partitioned?: 'daily';
  /** A table that exists on one database only (an index SQLite lacks, kept as a table); left out of the map on the other. */
  onlyOn?: 'sqlite' | 'postgres';
  activity: string;
  subject: SubjectLink | null;
  /** Personal columns without a subject link must say why no row can be tied to a person. */
  unlinkedBecause?: Text;
  columns: Record<string, ColumnClass>;
  erasure: Erasure | null;
  retention: RetentionRule[];
  /**
   * For rows no timed rule removes (or not all of them): until when they are kept, as a whole sentence the policy
   * publishes, naming the mechanism that ends them ("… deleted when you ask us to erase your account"). A table
   * holding personal data needs a retention rule or this.
   */
  keptUntil?: Text;
  /**
   * Columns the self-service data export leaves out, and why (shown in the export in their place). Only where
   * handing them out would adversely affect someone else (Art. 15(4) GDPR): a credit check's reason is about the
   * name and address entered at the checkout, which may be another person's.
   */
  withheldFromExport?: { columns: string[]; because: Text };
  /**
   * Rows the person may not be shown yet (Art. 23 GDPR; a disclosure an authority ordered kept confidential, § 101
   * StPO): a row whose `column` holds a time after now is left out of the export and the access report, and shown
   * once that time has passed. Erasure and retention treat it as any other row.
   */
  hiddenFromSubjectUntil?: { column: string };
  /** The rows are about the activities marked `objectable` (objections, restrictions): described with each of them too. */
  describesObjectable?: boolean;
  /**
   * Tables whose rows these rows point to (their foreign keys; a test compares them with the database). Erasure
   * handles a table before the tables it points to, whatever order the manifests come in.
   */
  refersTo?: string[];
  /**
   * A table whose rows serve more than one activity, told apart by a column (the subscriptions table holds the
   * newsletter, on consent, and the purchasers' product suggestions, on legitimate interest): a row whose `column`
   * holds one of the keys belongs to that activity, any other row to `activity`. The export names each row's own
   * activity and legal basis; the other activity should list the table in its `uses`.
   */
  rowActivity?: { column: string; activities: Record<string, string> };
}

/** A retention rule of a file set: runs from the file's modification time, which writers set from the clock. */
export interface FileRetentionRule {
  id: string;
  what: Text;
  after: Duration;
  fromEvent: Text;
  /** The statute or the reason behind the period, as for tables. */
  basis: Text;
}

/**
 * Files Candor writes under the data directory, registered like tables: where they are, whom each is about,
 * how long it is kept and what erasure does. A file in no registered set is an error the tests look for.
 */
export interface FileSetMap {
  /** `<feature>.<noun>`. */
  id: string;
  /** Directory under the data directory, '/'-separated ('' is the directory itself); a '*' segment is any one directory. */
  directory: string;
  /** The set's file names; the first capture group (if any) is the key that links a file to its row. */
  names: RegExp;
  activity: string;
  /** What the files hold, as column categories do. */
  contents: ColumnClass[];
  /**
   * The row each file belongs to (`keyColumn` of `table` equals the file's key): the file is about whomever the
   * row is about, and it goes when the row goes (erasure, retention or any other delete).
   */
  subject: { table: string; keyColumn: string } | null;
  unlinkedBecause?: Text;
  /**
   * Why the person's files of this set are left out of their export: a copy of what the export holds already, in a
   * form that would hand out something it must not (mail as sent carries working access links; an earlier export
   * is the same data again).
   */
  notInExport?: Text;
  erasure: { action: 'delete' } | null;
  retention: FileRetentionRule[];
}

/** Finds the keys of a person's rows from their email address (e.g. the account id). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SubjectKeyFinder = (db: Kysely<any>, email: string) => Promise<Partial<Omit<SubjectKeys, 'email'>>>;

export interface DataMapPart {
  activities: Activity[];
  tables: TableMap[];
  /** Files the feature writes under the data directory. */
  files?: FileSetMap[];
  subjectKeys?: SubjectKeyFinder;
  onErasure?: ErasureHook;
  /** Like onErasure, but before any table's rule: for links the rules remove (a consent record's account). */
  beforeErasure?: ErasureHook;
}

/**
 * What a feature does, inside the erasure's transaction, beyond its tables' rules: e.g. the mail feature puts the
 * erased address's keyed hash on the suppression list. Runs after every table's rule.
 */
export type ErasureHook = (
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ctx: { db: Kysely<any>; config: Pick<Config, 'suppressionKey' | 'analyticsKey' | 'retention'>; now: number },
  keys: SubjectKeys,
) => Promise<void>;

export interface DataMap {
  activities: Activity[];
  tables: TableMap[];
  files: FileSetMap[];
  subjectKeyFinders: SubjectKeyFinder[];
  erasureHooks: ErasureHook[];
  beforeErasureHooks: ErasureHook[];
  /** The pages features declared for exercising rights (manifests' `policyLinks`), for the policy to link to. */
  links: PolicyLinks;
  activity(id: string): Activity;
  /** The recipient as declared by an activity, for the disclosure gate. */
  recipient(activityId: string, recipientId: string): Recipient | undefined;
  /** The map entry for a physical table name, resolving daily partitions. */
  tableFor(physical: string): TableMap | undefined;
}

/** Tables that belong to the platform itself and hold no personal data. */
const platformTables: TableMap[] = [
  {
    table: 'schema_migrations',
    activity: 'platform.operation',
    subject: null,
    columns: { id: 'not-personal', applied_at: 'not-personal' },
    erasure: null,
    retention: [],
  },
];

/** Files of the platform itself: the SQLite database (its cells are mapped as tables), the secret and the operator file. */
const platformFiles: FileSetMap[] = [
  {
    id: 'platform.database',
    directory: '',
    names: /^candor\.sqlite(?:-wal|-shm|-journal)?$/,
    activity: 'platform.operation',
    // Every cell is classified by the tables of the data map; the file itself is the container.
    contents: ['not-personal'],
    subject: null,
    erasure: null,
    retention: [],
  },
  {
    id: 'platform.secrets',
    directory: '',
    // With a process's temporary copy while it makes the key (platform/key-file.ts; removed after, or at the next
    // start when the process died in between).
    names: /^(?:secret|suppression-key|analytics-key|licence-signing-key\.pem)(?:\.\d+-[0-9a-f]{8}\.tmp)?$/,
    activity: 'platform.operation',
    contents: ['not-personal'],
    subject: null,
    erasure: null,
    retention: [],
  },
  {
    id: 'platform.operator-file',
    directory: '',
    names: /^operator\.json$/,
    activity: 'platform.operation',
    contents: ['not-personal'],
    subject: null,
    erasure: null,
    retention: [],
  },
];

const platformActivity: Activity = {
  id: 'platform.operation',
  name: { en: 'Running the platform', de: 'Betrieb der Plattform' },
  purpose: {
    en: 'Technical bookkeeping that holds no personal data.',
    de: 'Technische Verwaltung ohne personenbezogene Daten.',
  },
  legalBasis: 'legitimate-interests',
  subjects: { en: 'none', de: 'keine' },
  recipients: [],
};

export function buildDataMap(parts: DataMapPart[], links: PolicyLinks = []): DataMap {
  const activities = [platformActivity, ...parts.flatMap((p) => p.activities)];
  const tables = [...platformTables, ...parts.flatMap((p) => p.tables)];
  const byId = new Map(activities.map((a) => [a.id, a]));
  const problems: string[] = [];
  if (byId.size !== activities.length) problems.push('two activities share an id');
  for (const role of new Set(activities.flatMap((a) => (a.role ? [a.role] : [])))) {
    if (activities.filter((a) => a.role === role).length > 1) problems.push(`two activities have the role ${role}`);
  }
  for (const a of activities) {
    if (a.legalBasis === 'consent' && (a.consentCategory ?? 'necessary') === 'necessary')
      problems.push(`activity ${a.id} is based on consent but names no consent category`);
  }
  // One company, one role: a recipient declared under several activities is the same recipient everywhere.
  const recipientById = new Map<string, Recipient>();
  for (const a of activities) {
    for (const r of a.recipients) {
      const first = recipientById.get(r.id) ?? r;
      recipientById.set(r.id, first);
      if (first.role !== r.role || first.name.en !== r.name.en)
        problems.push(`recipient ${r.id} has another name or role in activity ${a.id}`);
      if (r.role === 'joint-controller' && !r.arrangement)
        problems.push(`recipient ${r.id} is a joint controller without the essence of the arrangement`);
      if (Object.keys(r.fields).length === 0) problems.push(`recipient ${r.id} of ${a.id} declares no field`);
    }
  }
  const tableNames = new Set(tables.map((t) => t.table));
  for (const a of activities) {
    for (const use of a.uses ?? []) {
      const used = tables.find((t) => t.table === use.table);
      if (!used) problems.push(`activity ${a.id} uses unknown table ${use.table}`);
      else
        for (const c of use.columns)
          if (!(c in used.columns)) problems.push(`activity ${a.id} uses unknown column ${use.table}.${c}`);
    }
  }
  for (const t of tables) {
    if (!byId.has(t.activity)) problems.push(`table ${t.table} names unknown activity ${t.activity}`);
    if (t.rowActivity) {
      if (!(t.rowActivity.column in t.columns))
        problems.push(`table ${t.table} tells its rows' activities apart by unknown column ${t.rowActivity.column}`);
      for (const id of Object.values(t.rowActivity.activities))
        if (!byId.has(id)) problems.push(`table ${t.table} gives rows the unknown activity ${id}`);
    }
    for (const target of t.refersTo ?? [])
      if (!tableNames.has(target)) problems.push(`table ${t.table} refers to unknown table ${target}`);
    const personal = Object.values(t.columns).some((c) => c !== 'not-personal');
    if (personal && !t.subject && !t.unlinkedBecause)
      problems.push(`table ${t.table} holds personal data but says not whom it is about`);
    if (t.subject && !t.erasure) problems.push(`table ${t.table} holds personal data but has no erasure rule`);
    if (t.subject && !(t.subject.column in t.columns))
      problems.push(`table ${t.table} links by unknown column ${t.subject.column}`);
    for (const c of t.withheldFromExport?.columns ?? [])
      if (!(c in t.columns)) problems.push(`table ${t.table} withholds unknown column ${c} from the export`);
    if (
      (t.erasure?.action === 'keep' || t.erasure?.action === 'delete-unless-kept') &&
      !(t.erasure.restrictColumn in t.columns)
    )
      problems.push(`table ${t.table} restricts through unknown column ${t.erasure.restrictColumn}`);
    if (t.erasure?.action === 'delete-unless-kept' && !(t.erasure.keptColumn in t.columns))
      problems.push(`table ${t.table} keeps rows by unknown column ${t.erasure.keptColumn}`);
    if (t.erasure?.action === 'anonymise') {
      for (const c of t.erasure.columns)
        if (!(c in t.columns)) problems.push(`table ${t.table} anonymises unknown column ${c}`);
    }
    if (personal && t.retention.length === 0 && !t.keptUntil)
      problems.push(
        `table ${t.table} holds personal data but has no retention rule and says not until when it is kept`,
      );
    if (t.keptUntil && !hasText(t.keptUntil))
      problems.push(`table ${t.table} says in empty words until when it is kept`);
    for (const r of t.retention) {
      if (!hasText(r.basis)) problems.push(`rule ${r.id} names no statute or reason for its period`);
      if (r.action.kind === 'drop-partition' && t.partitioned !== 'daily')
        problems.push(`rule ${r.id} drops partitions of unpartitioned ${t.table}`);
      if (r.action.kind !== 'drop-partition' && !(r.from in t.columns))
        problems.push(`rule ${r.id} runs from unknown column ${r.from}`);
    }
  }
  const files = [...platformFiles, ...parts.flatMap((p) => p.files ?? [])];
  const tableByName = new Map(tables.map((t) => [t.table, t]));
  if (new Set(files.map((f) => f.id)).size !== files.length) problems.push('two file sets share an id');
  for (const f of files) {
    if (!byId.has(f.activity)) problems.push(`file set ${f.id} names unknown activity ${f.activity}`);
    const personal = f.contents.some((c) => c !== 'not-personal');
    if (personal && !f.subject && !f.unlinkedBecause)
      problems.push(`file set ${f.id} holds personal data but says not whom it is about`);
    if (f.subject) {
      const row = tableByName.get(f.subject.table);
      if (!row?.subject)
        problems.push(`file set ${f.id} links to ${f.subject.table}, which is not a table linked to a person`);
      else if (!(f.subject.keyColumn in row.columns))
        problems.push(`file set ${f.id} links by unknown column ${f.subject.table}.${f.subject.keyColumn}`);
      if (!f.erasure) problems.push(`file set ${f.id} holds personal data but has no erasure rule`);
    }
    if (personal && f.retention.length === 0)
      problems.push(`file set ${f.id} holds personal data but has no retention rule`);
    for (const r of f.retention)
      if (!hasText(r.basis)) problems.push(`rule ${r.id} names no statute or reason for its period`);
  }
  problems.push(...policyLinkProblems(links, new Set(byId.keys())));
  if (problems.length > 0) throw new Error(`The data map is inconsistent:\n${problems.join('\n')}`);

  const partitioned = tables.filter((t) => t.partitioned === 'daily');
  const exact = new Map(tables.map((t) => [t.table, t]));
  return {
    activities,
    tables,
    files,
    subjectKeyFinders: parts.flatMap((p) => (p.subjectKeys ? [p.subjectKeys] : [])),
    erasureHooks: parts.flatMap((p) => (p.onErasure ? [p.onErasure] : [])),
    beforeErasureHooks: parts.flatMap((p) => (p.beforeErasure ? [p.beforeErasure] : [])),
    links,
    activity: (id) => byId.get(id) as Activity,
    recipient: (activityId, recipientId) => byId.get(activityId)?.recipients.find((r) => r.id === recipientId),
    tableFor(physical) {
      return exact.get(physical) ?? partitioned.find((t) => partitionDay(t.table, physical) !== undefined);
    },
  };
}

/** Both languages say something (a period's basis, a statement of how long). */
function hasText(text: Text | undefined): boolean {
  return !!text && text.en.trim() !== '' && text.de.trim() !== '';
}

/** `usage_log_d20261129` → '20261129' when it is a partition of `usage_log`. */
export function partitionDay(base: string, physical: string): string | undefined {
  const match = /^(.*)_d(\d{8})$/.exec(physical);
  return match && match[1] === base ? match[2] : undefined;
}

export function partitionName(base: string, epochMs: number): string {
  return `${base}_d${daySuffix(epochMs)}`;
}

// Every usage-log row and page view asks for its day: the last day's suffix is kept (a UTC day is 86,400,000 ms).
let lastDay = NaN;
let lastSuffix = '';
function daySuffix(epochMs: number): string {
  const dayNumber = Math.floor(epochMs / 86_400_000);
  if (dayNumber === lastDay) return lastSuffix;
  const d = new Date(epochMs);
  lastSuffix = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  lastDay = dayNumber;
  return lastSuffix;
}

/** Start of the UTC day named by a partition suffix, in epoch ms. */
export function partitionStart(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
}

/** Columns of physical tables that the map does not classify: must be empty. */
export function findUnclassified(map: DataMap, schema: { table: string; columns: string[] }[]): string[] {
  const missing: string[] = [];
  for (const { table, columns } of schema) {
    const entry = map.tableFor(table);
    if (!entry) {
      missing.push(`${table} (whole table)`);
      continue;
    }
    for (const c of columns) if (!(c in entry.columns)) missing.push(`${table}.${c}`);
  }
  return missing;
}

/**
 * The order erasure goes through the tables: every table before the tables it refers to (dependants before the
 * rows they point to); otherwise the later a table's feature comes, the earlier. Refuses a cycle of references.
 */
export function erasureOrder(tables: readonly TableMap[]): TableMap[] {
  const byName = new Map(tables.map((t) => [t.table, t]));
  const referredBy = new Map<string, TableMap[]>();
  // A table that refers to itself (a product that requires another) is no cycle: its own rows come in one go.
  for (const t of tables)
    for (const target of t.refersTo ?? [])
      if (target !== t.table) referredBy.set(target, [...(referredBy.get(target) ?? []), t]);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: TableMap[] = [];
  // A table goes after every table that refers to it.
  const visit = (t: TableMap) => {
    if (done.has(t.table)) return;
    if (visiting.has(t.table))
      throw new Error(`the data map's tables refer to each other in a cycle through ${t.table}`);
    visiting.add(t.table);
    for (const dependant of referredBy.get(t.table) ?? []) visit(dependant);
    visiting.delete(t.table);
    done.add(t.table);
    order.push(t);
  };
  for (const t of [...tables].reverse()) if (byName.get(t.table) === t) visit(t);
  return order;
}

/** Whether the person may be shown this row now (see `hiddenFromSubjectUntil`). */
export function shownToSubject(table: TableMap, row: Record<string, unknown>, now: number): boolean {
  const column = table.hiddenFromSubjectUntil?.column;
  if (!column) return true;
  const until = row[column];
  return until === null || until === undefined || Number(until) <= now;
}
