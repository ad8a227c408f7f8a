// Data-subject requests, driven by the data map: access/portability (every linked row with its purpose and
// legal basis) and erasure (each table's rule, all in one transaction). No table is named here.
import type { Kysely } from 'kysely';
import type { Deps } from '../deps.ts';
import { legalBasisArticle, type DataMap, type SubjectKeys, type TableMap } from './data-map.ts';
import { deleteRowsWhereIn, listPartitions, markRowsWhereIn, nullColumnsWhereIn, selectRowsWhereIn } from './retention.queries.ts';

export async function findSubjectKeys(deps: Pick<Deps, 'db' | 'dataMap'>, rawEmail: string): Promise<SubjectKeys> {
  const email = rawEmail.trim().toLowerCase();
  const keys: SubjectKeys = { email, userIds: [], ips: [] };
  for (const find of deps.dataMap.subjectKeyFinders) {
    const found = await find(deps.db, email);
    keys.userIds.push(...(found?.userIds ?? []));
    keys.ips.push(...(found?.ips ?? []));
  }
  keys.userIds = [...new Set(keys.userIds)];
  keys.ips = [...new Set(keys.ips)];
  return keys;
}

function linkValues(table: TableMap, keys: SubjectKeys): string[] {
  switch (table.subject?.via) {
    case 'user-id':
      return keys.userIds;
    case 'email':
      return [keys.email];
    case 'ip':
      return keys.ips;
    default:
      return [];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function physicalTables(db: Kysely<any>, deps: Pick<Deps, 'dbKind'>, table: TableMap): Promise<string[]> {
  return table.partitioned ? listPartitions(db, deps.dbKind, table.table) : [table.table];
}

export interface ExportRecord {
  table: string;
  activity: string;
  purpose: { en: string; de: string };
  legalBasis: string;
  legalBasisArticle: string;
  recipients: { name: string; kind: string }[];
  rows: Record<string, unknown>[];
}

export interface SubjectExport {
  format: 'candor-subject-export/1';
  generatedAt: string;
  subject: { email: string };
  controller: { company: string; dpo: { name: string; email: string } };
  records: ExportRecord[];
}

export async function exportSubjectData(deps: Deps, email: string): Promise<SubjectExport> {
  const keys = await findSubjectKeys(deps, email);
  const map: DataMap = deps.dataMap;
  const records: ExportRecord[] = [];
  for (const table of map.tables) {
    if (!table.subject) continue;
    const values = linkValues(table, keys);
    const rows: Record<string, unknown>[] = [];
    for (const physical of await physicalTables(deps.db, deps, table)) {
      for (const row of await selectRowsWhereIn(deps.db, physical, table.subject.column, values)) rows.push(exportRow(table, row));
    }
    if (rows.length === 0) continue;
    const activity = map.activity(table.activity);
    records.push({
      table: table.table,
      activity: activity.id,
      purpose: activity.purpose,
      legalBasis: activity.legalBasis,
      legalBasisArticle: legalBasisArticle[activity.legalBasis],
      recipients: activity.recipients.map((r) => ({ name: r.name.en, kind: r.kind })),
      rows,
    });
  }
  return {
    format: 'candor-subject-export/1',
    generatedAt: new Date(deps.clock.now()).toISOString(),
    subject: { email: keys.email },
    controller: { company: deps.config.operator.company, dpo: deps.config.operator.dpo },
    records,
  };
}

/** Hashes of passwords and tokens are withheld: useless to the person, useful to an attacker. */
function exportRow(table: TableMap, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const category = table.columns[column];
    out[column] = category === 'secret' ? '[withheld: security credential]' : typeof value === 'number' && /(_at)$/.test(column) ? new Date(value).toISOString() : value;
  }
  return out;
}

export interface ErasureOutcome {
  table: string;
  action: string;
  rows: number;
}

export async function eraseSubjectData(deps: Deps, email: string): Promise<ErasureOutcome[]> {
  const keys = await findSubjectKeys(deps, email);
  const tables = [...deps.dataMap.tables].reverse(); // dependants before the rows they point to
  return deps.db.transaction().execute(async (trx) => {
    const outcomes: ErasureOutcome[] = [];
    for (const table of tables) {
      if (!table.subject || !table.erasure) continue;
      const values = linkValues(table, keys);
      let rows = 0;
      for (const physical of await physicalTables(trx, deps, table)) {
        if (table.erasure.action === 'delete') rows += await deleteRowsWhereIn(trx, physical, table.subject.column, values);
        else if (table.erasure.action === 'anonymise') rows += await nullColumnsWhereIn(trx, physical, table.subject.column, values, table.erasure.columns);
        else rows += await markRowsWhereIn(trx, physical, table.subject.column, values, table.erasure.restrictColumn, deps.clock.now());
      }
      outcomes.push({ table: table.table, action: table.erasure.action === 'keep' ? 'kept (statutory retention)' : table.erasure.action, rows });
    }
    return outcomes;
  });
}
