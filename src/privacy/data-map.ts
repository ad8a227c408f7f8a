// The data map: what personal data exists, why, on which legal basis, for how long and who receives it.
// Features declare their part beside their tables; the registry joins the parts and checks they are whole.
// Everything privacy-related (retention, export, erasure, the policy page, the Art. 30 record) is derived from it.
import type { Kysely } from 'kysely';
import { DAY } from '../platform/clock.ts';
import type { Text } from '../platform/i18n.ts';
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
  | 'credentials'
  | 'secret'
  | 'account'
  | 'online-identifier'
  | 'ip-address'
  | 'usage'
  | 'device'
  | 'communication'
  | 'preferences'
  | 'purchases'
  | 'payment'
  | 'address'
  | 'creditworthiness';

export const categoryNames: Record<Category, Text> = {
  identity: { en: 'name', de: 'Name' },
  contact: { en: 'contact details (email address, phone)', de: 'Kontaktdaten (E-Mail-Adresse, Telefon)' },
  credentials: { en: 'login credentials', de: 'Zugangsdaten' },
  secret: { en: 'security secrets (stored only as hashes)', de: 'Sicherheitsgeheimnisse (nur als Hash gespeichert)' },
  account: { en: 'account details and settings', de: 'Kontodaten und Einstellungen' },
  'online-identifier': {
    en: 'online identifiers (session and token IDs)',
    de: 'Online-Kennungen (Sitzungs- und Token-IDs)',
  },
  'ip-address': { en: 'IP address', de: 'IP-Adresse' },
  usage: {
    en: 'usage data (pages requested, time, status, data volume, referrer)',
    de: 'Nutzungsdaten (aufgerufene Seiten, Zeit, Status, Datenmenge, Referrer)',
  },
  device: { en: 'browser, browser language and operating system', de: 'Browser, Browsersprache und Betriebssystem' },
  communication: { en: 'messages we send you', de: 'Nachrichten, die wir Ihnen senden' },
  preferences: { en: 'preferences', de: 'Einstellungen' },
  purchases: { en: 'products you chose or bought', de: 'von Ihnen gewählte oder gekaufte Produkte' },
  payment: {
    en: 'payment data (method, card brand, last four digits, expiry, payment token)',
    de: 'Zahlungsdaten (Methode, Kartenmarke, letzte vier Ziffern, Ablaufdatum, Zahlungs-Token)',
  },
  address: { en: 'postal address', de: 'Postanschrift' },
  creditworthiness: { en: 'result of a credit check', de: 'Ergebnis einer Bonitätsprüfung' },
};

export interface Recipient {
  id: string;
  name: Text;
  /** A processor acts on our behalf (Art. 28); a third party decides for itself. */
  kind: 'processor' | 'third-party';
  receives: Category[];
  /**
   * For hand-offs through the disclosure gate: the only payload fields this recipient may receive.
   * `items.title` allows the field `title` inside each element of the array `items`.
   */
  fields?: string[];
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
}

export type ActivityRole = 'request-log' | 'disclosure-record';

/** A period in days, or in whole years counted from the end of the calendar year (German statutory periods). */
export type Duration = { days: number } | { years: number; fromEndOfYear: true };

/** Rows whose period-start column is below this have expired. For years from the end of the calendar year, a
 * row from year Y expires on 1 January of Y + years + 1. */
export function cutoffOf(after: Duration, now: number): number {
  if ('days' in after) return now - after.days * DAY;
  return Date.UTC(new Date(now).getUTCFullYear() - after.years, 0, 1);
}

export type ColumnClass = Category | 'not-personal';

/**
 * How a row is linked to the person it is about: through their account or their own address, never through a
 * shared attribute alone (an IP address or a device is shared by everyone behind one router: Art. 15(4) GDPR).
 */
export type SubjectLink = { via: 'user-id'; column: string } | { via: 'email'; column: string };

/** What identifies one person's rows: their email and account ids. */
export interface SubjectKeys {
  email: string;
  userIds: string[];
}

export type Erasure =
  | { action: 'delete' }
  | { action: 'anonymise'; columns: string[] }
  /** Kept for a statutory period but restricted: `restrictColumn` gets the time of the erasure request. */
  | { action: 'keep'; until: Text; basis: Text; restrictColumn: string };

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
  action: RetentionAction;
}

export interface TableMap {
  table: string;
  /** 'daily': physical tables named `<table>_dYYYYMMDD`, one per UTC day. */
  partitioned?: 'daily';
  activity: string;
  subject: SubjectLink | null;
  /** Personal columns without a subject link must say why no row can be tied to a person. */
  unlinkedBecause?: Text;
  columns: Record<string, ColumnClass>;
  erasure: Erasure | null;
  retention: RetentionRule[];
  /** The rows are about the activities marked `objectable` (objections, restrictions): described with each of them too. */
  describesObjectable?: boolean;
  /**
   * Tables whose rows these rows point to (their foreign keys; a test compares them with the database). Erasure
   * handles a table before the tables it points to, whatever order the manifests come in.
   */
  refersTo?: string[];
}

/** A retention rule of a file set: runs from the file's modification time, which writers set from the clock. */
export interface FileRetentionRule {
  id: string;
  what: Text;
  after: Duration;
  fromEvent: Text;
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
}

export interface DataMap {
  activities: Activity[];
  tables: TableMap[];
  files: FileSetMap[];
  subjectKeyFinders: SubjectKeyFinder[];
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
    names: /^(?:secret|licence-signing-key\.pem)$/,
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
  const tableNames = new Set(tables.map((t) => t.table));
  for (const t of tables) {
    if (!byId.has(t.activity)) problems.push(`table ${t.table} names unknown activity ${t.activity}`);
    for (const target of t.refersTo ?? [])
      if (!tableNames.has(target)) problems.push(`table ${t.table} refers to unknown table ${target}`);
    const personal = Object.values(t.columns).some((c) => c !== 'not-personal');
    if (personal && !t.subject && !t.unlinkedBecause)
      problems.push(`table ${t.table} holds personal data but says not whom it is about`);
    if (t.subject && !t.erasure) problems.push(`table ${t.table} holds personal data but has no erasure rule`);
    if (t.subject && !(t.subject.column in t.columns))
      problems.push(`table ${t.table} links by unknown column ${t.subject.column}`);
    if (t.erasure?.action === 'keep' && !(t.erasure.restrictColumn in t.columns))
      problems.push(`table ${t.table} restricts through unknown column ${t.erasure.restrictColumn}`);
    if (t.erasure?.action === 'anonymise') {
      for (const c of t.erasure.columns)
        if (!(c in t.columns)) problems.push(`table ${t.table} anonymises unknown column ${c}`);
    }
    for (const r of t.retention) {
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
    links,
    activity: (id) => byId.get(id) as Activity,
    recipient: (activityId, recipientId) => byId.get(activityId)?.recipients.find((r) => r.id === recipientId),
    tableFor(physical) {
      return exact.get(physical) ?? partitioned.find((t) => partitionDay(t.table, physical) !== undefined);
    },
  };
}

/** `usage_log_d20261129` → '20261129' when it is a partition of `usage_log`. */
export function partitionDay(base: string, physical: string): string | undefined {
  const match = /^(.*)_d(\d{8})$/.exec(physical);
  return match && match[1] === base ? match[2] : undefined;
}

export function partitionName(base: string, epochMs: number): string {
  const d = new Date(epochMs);
  const day = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${base}_d${day}`;
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
  for (const t of tables)
    for (const target of t.refersTo ?? []) referredBy.set(target, [...(referredBy.get(target) ?? []), t]);
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
