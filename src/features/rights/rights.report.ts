// The access report of the privacy centre (Art. 15 GDPR): everything held about one person, grouped by processing
// activity, each with its purpose, legal basis, origin, recipients (with the recorded hand-offs to them), retention
// and storage place, and the person's rows made readable. Big tables are summarised (count and newest rows); the
// export holds everything. Driven by the data map: no feature's table is named here except the disclosure record.
import type { Deps } from '../../deps.ts';
import type { Text } from '../../platform/i18n.ts';
import { hideSecrets } from '../../platform/secret-links.ts';
import { readAccessAbout } from '../../privacy/access-audit.ts';
import { describeRule } from '../../privacy/policy.common.ts';
import { shownToSubject, type Activity, type LegalBasis, type TableMap } from '../../privacy/data-map.ts';
import { linkValues, physicalTables } from '../../privacy/subject.ts';
import { accountKeys } from './rights.service.ts';
import { selectRowsWhereIn } from '../../privacy/retention.queries.ts';
import { disclosuresShownTo, type AuthorityDisclosure } from './rights.disclosures.ts';

/** Rows shown per table on the page; the rest are counted (and are in the export). */
export const NEWEST_ROWS = 5;
/** The record of disclosures to authorities (rights.disclosures.ts): shown by its own rules, never row by row. */
const AUTHORITY_TABLE = 'authority_disclosures';

export interface ReportTable {
  table: string;
  count: number;
  /** The newest rows (at most NEWEST_ROWS), each as [readable column name, shown value] pairs. */
  rows: [string, string][][];
}

export interface ReportRecipient {
  name: Text;
  company: string | null;
  role: string;
  fields: Text[];
  /** Hand-offs recorded to this recipient for this activity about the person. */
  handoffs: number;
  lastHandoffAt: number | null;
}

export interface ReportActivity {
  id: string;
  name: Text;
  purpose: Text;
  basis: LegalBasis;
  basisDetail: Text | null;
  /** Null: from the person themselves; otherwise who else provides data for this activity. */
  sources: Text[];
  recipients: ReportRecipient[];
  /** Retention sentences as the policy words them (each a Text). */
  retention: Text[];
  tables: ReportTable[];
}

export interface StaffAccess {
  role: string;
  at: number;
  what: string;
  why: string;
}

export interface AccessReport {
  activities: ReportActivity[];
  authorities: AuthorityDisclosure[];
  accesses: StaffAccess[];
}

/** "created_at" → "Created at". */
export function humanise(column: string): string {
  const words = column.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const WITHHELD: Text = { en: '[withheld: security credential]', de: '[zurückgehalten: Sicherheitsmerkmal]' };

/** A cell as text, secrets withheld as in the export (subject.ts exportRow); times as ISO strings. */
function showValue(table: TableMap, column: string, value: unknown, lang: 'en' | 'de'): string {
  if (value === null || value === undefined) return '—';
  if (table.columns[column] === 'secret') return WITHHELD[lang];
  const withheld = table.withheldFromExport;
  if (withheld?.columns.includes(column))
    return `[${lang === 'de' ? 'zurückgehalten' : 'withheld'}: ${withheld.because[lang]}]`;
  if (typeof value === 'number' && /_at$/.test(column)) return new Date(value).toISOString().replace('.000Z', 'Z');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const shown = hideSecrets(
    text,
    lang === 'de' ? '[Zugangslink, nur in der E-Mail]' : '[access link, only in the email as sent]',
  );
  return shown.length > 300 ? `${shown.slice(0, 300)}…` : shown;
}

/** The newest first, by the first time column of the table (rows without one keep their order). */
function newestFirst(rows: Record<string, unknown>[], table: TableMap): Record<string, unknown>[] {
  const timeColumn = Object.keys(table.columns).find((c) => /_at$/.test(c));
  if (!timeColumn) return rows;
  return [...rows].sort((a, b) => Number(b[timeColumn] ?? 0) - Number(a[timeColumn] ?? 0));
}

function activityOfRow(table: TableMap, row: Record<string, unknown>): string {
  if (!table.rowActivity) return table.activity;
  return table.rowActivity.activities[String(row[table.rowActivity.column])] ?? table.activity;
}

/** Texts of both languages for the retention of an activity's tables (timed rules, and keptUntil sentences). */
function retentionOf(map: Deps['dataMap'], activity: Activity, tables: TableMap[]): Text[] {
  const out: Text[] = [];
  const seen = new Set<string>();
  const all = [
    ...tables,
    ...map.tables.filter((t) => t.activity === activity.id && !tables.includes(t) && t.subject !== null),
  ];
  for (const t of all) {
    for (const rule of t.retention) {
      if (seen.has(rule.id)) continue;
      seen.add(rule.id);
      out.push({ en: describeRule('en', rule), de: describeRule('de', rule) });
    }
    if (t.keptUntil && !seen.has(t.keptUntil.en)) {
      seen.add(t.keptUntil.en);
      out.push(t.keptUntil);
    }
  }
  return out;
}

/**
 * The report for the signed-in person `userId`, in both languages (the page picks one): their account's rows, and
 * those found by its address once the address is confirmed (accountKeys).
 */
export async function buildAccessReport(
  deps: Pick<Deps, 'db' | 'dbKind' | 'dataMap' | 'clock'>,
  userId: string,
  lang: 'en' | 'de',
): Promise<AccessReport> {
  const keys = await accountKeys(deps, userId);
  const map = deps.dataMap;
  // activity id → tables with the person's rows
  const byActivity = new Map<string, Map<string, { table: TableMap; rows: Record<string, unknown>[] }>>();
  // hand-offs: activity|recipient → count and newest time (disclosure records hold field names, never values)
  const handoffs = new Map<string, { n: number; last: number }>();
  for (const table of map.tables) {
    // Disclosures to authorities are shown once, through disclosuresShownTo, rather than also as raw rows.
    if (!table.subject || table.table === AUTHORITY_TABLE) continue;
    const values = linkValues(table, keys);
    if (values.length === 0) continue;
    for (const physical of await physicalTables(deps.db, deps, table)) {
      for (const row of await selectRowsWhereIn(deps.db, physical, table.subject.column, values)) {
        if (!shownToSubject(table, row, deps.clock.now())) continue;
        if (table.table === 'disclosures' || table.table === 'address_disclosures') {
          const key = `${String(row.activity)}|${String(row.recipient)}`;
          const at = Number(row.disclosed_at ?? 0);
          const h = handoffs.get(key) ?? { n: 0, last: 0 };
          handoffs.set(key, { n: h.n + 1, last: Math.max(h.last, at) });
        }
        const id = activityOfRow(table, row);
        const tables = byActivity.get(id) ?? new Map();
        byActivity.set(id, tables);
        const entry = tables.get(table.table) ?? { table, rows: [] };
        tables.set(table.table, entry);
        entry.rows.push(row);
      }
    }
  }
  const activities: ReportActivity[] = [];
  for (const activity of map.activities) {
    const tables = byActivity.get(activity.id);
    if (!tables) continue;
    const tableMaps = [...tables.values()].map((t) => t.table);
    activities.push({
      id: activity.id,
      name: activity.name,
      purpose: activity.purpose,
      basis: activity.legalBasis,
      basisDetail: activity.basisDetail ?? null,
      sources: (activity.sources ?? []).map((s) => s.from),
      recipients: activity.recipients.map((r) => {
        const h = handoffs.get(`${activity.id}|${r.id}`);
        return {
          name: r.name,
          company: r.company ? [r.company.name, ...r.company.address].join(', ') : null,
          role: r.role,
          fields: Object.values(r.fields).map((f) => f.label),
          handoffs: h?.n ?? 0,
          lastHandoffAt: h ? h.last : null,
        };
      }),
      retention: retentionOf(map, activity, tableMaps),
      tables: [...tables.values()].map(({ table, rows }) => ({
        table: table.table,
        count: rows.length,
        rows: newestFirst(rows, table)
          .slice(0, NEWEST_ROWS)
          .map((row) =>
            Object.entries(row)
              .filter(([column]) => table.columns[column] !== 'not-personal' || column === 'id')
              .map(([column, value]) => [humanise(column), showValue(table, column, value, lang)]),
          ),
      })),
    });
  }
  const accesses = (await readAccessAbout(deps, userId, 200)).map((a) => ({
    role: a.actor_role,
    at: a.at,
    what: a.what,
    why: a.why,
  }));
  return { activities, authorities: await disclosuresShownTo(deps, userId, keys.email), accesses };
}
