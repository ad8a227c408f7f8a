// Data-subject requests, driven by the data map: access/portability (every linked row with its purpose and
// legal basis) and erasure (each table's rule, all in one transaction, then the person's files). No table is named here.
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Kysely } from 'kysely';
import type { Deps } from '../deps.ts';
import {
  erasureOrder,
  legalBasisArticle,
  shownToSubject,
  type DataMap,
  type SubjectKeys,
  type TableMap,
} from './data-map.ts';
import { normaliseEmail } from '../platform/email/address.ts';
import { hideSecrets } from '../platform/secret-links.ts';
import { classifyDataFile, deleteDataFiles, findFilesOfRows, listFilesUnder, type DataFile } from './files.ts';
import {
  deleteRowsWhereIn,
  listPartitions,
  markRowsWhereIn,
  nullColumnsWhereIn,
  selectColumnWhereIn,
  selectRowsWhereIn,
} from './retention.queries.ts';

export async function findSubjectKeys(
  deps: Pick<Deps, 'db' | 'dataMap'>,
  rawEmail: string,
): Promise<SubjectKeys & { email: string }> {
  const email = normaliseEmail(rawEmail); // as accounts store addresses (docs/decisions/0010)
  const keys: SubjectKeys & { email: string } = { email, userIds: [] };
  for (const find of deps.dataMap.subjectKeyFinders) {
    const found = await find(deps.db, email);
    keys.userIds.push(...(found?.userIds ?? []));
  }
  keys.userIds = [...new Set(keys.userIds)];
  return keys;
}

/** The values that link rows of this table to the person (their account ids, their address, or both). */
export function linkValues(table: TableMap, keys: SubjectKeys): string[] {
  switch (table.subject?.via) {
    case 'user-id':
      return keys.userIds;
    case 'email':
      return keys.email === null ? [] : [keys.email];
    case 'user-id-or-email':
      return keys.email === null ? keys.userIds : [...keys.userIds, keys.email];
    default:
      return [];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function physicalTables(db: Kysely<any>, deps: Pick<Deps, 'dbKind'>, table: TableMap): Promise<string[]> {
  return table.partitioned ? listPartitions(db, deps.dbKind, table.table) : [table.table];
}

export interface ExportRecord {
  table: string;
  activity: string;
  purpose: { en: string; de: string };
  legalBasis: string;
  legalBasisArticle: string;
  /**
   * Each recipient with its role, the company it is ("name, address": the identity Art. 15(1)(c) GDPR asks for,
   * CJEU C-154/21) and the names of the fields it receives.
   */
  recipients: { id: string; name: string; company?: string; role: string; fields: string[] }[];
  rows: Record<string, unknown>[];
}

/** Personal data we hold that no row of can be tied to one person, so none of it is in the export (Art. 11 GDPR). */
export interface UnlinkedRecord {
  table: string;
  activity: string;
  purpose: { en: string; de: string };
  reason: { en: string; de: string };
}

export interface SubjectExport {
  format: 'candor-subject-export/1';
  generatedAt: string;
  /** Null for an account whose address is not confirmed (only its own rows are in the export). */
  subject: { email: string | null };
  controller: { company: string; dpo: { name: string; email: string } };
  records: ExportRecord[];
  /** E.g. the request records: kept without a link to any person, so another's requests never enter an export. */
  unlinked: UnlinkedRecord[];
  /** The person's files (attachments, hand-off files): those of every file set whose row is linked to them. */
  files: ExportFile[];
}

export interface ExportFile {
  /** The file set (data map) and the row the file belongs to. */
  set: string;
  key: string;
  /** The name and type the row records (`file_name`, `content_type`) where it has them; otherwise the stored name. */
  name: string;
  contentType: string;
  /** The content, base64. */
  content: string;
}

/** The person's data without the contents of their files (the export ZIP streams those from the data directory). */
export interface SubjectRecords extends Omit<SubjectExport, 'files'> {
  files: ExportFileRef[];
}

/** A file of the person, listed but not read: where it lies and how big it is. */
export interface ExportFileRef extends Omit<ExportFile, 'content'> {
  /** '/'-separated, relative to the data directory. */
  path: string;
  size: number;
}

type ExportDeps = Pick<Deps, 'db' | 'dbKind' | 'dataMap' | 'clock' | 'config'>;

/** Everything held about the person as in `exportSubjectData`, with their files listed but not read. */
export async function collectSubjectRecords(deps: ExportDeps, email: string): Promise<SubjectRecords> {
  const keys = await findSubjectKeys(deps, email);
  return collectRecordsOfKeys(deps, keys);
}

/**
 * As `collectSubjectRecords`, for keys already found (a request adds the account id it was made under). File sets
 * the data map marks `notInExport` are left out (mail as sent, earlier exports).
 */
export async function collectRecordsOfKeys(deps: ExportDeps, keys: SubjectKeys): Promise<SubjectRecords> {
  const map: DataMap = deps.dataMap;
  const records: ExportRecord[] = [];
  for (const table of map.tables) {
    if (!table.subject) continue;
    const values = linkValues(table, keys);
    // Rows by the activity they serve: the table's own, or the one its rowActivity column names.
    const byActivity = new Map<string, Record<string, unknown>[]>();
    for (const physical of await physicalTables(deps.db, deps, table)) {
      for (const row of await selectRowsWhereIn(deps.db, physical, table.subject.column, values)) {
        if (!shownToSubject(table, row, deps.clock.now())) continue;
        const id = activityOfRow(table, row);
        let rows = byActivity.get(id);
        if (!rows) byActivity.set(id, (rows = []));
        rows.push(exportRow(table, row));
      }
    }
    for (const [id, rows] of byActivity) {
      const activity = map.activity(id);
      records.push({
        table: table.table,
        activity: activity.id,
        purpose: activity.purpose,
        legalBasis: activity.legalBasis,
        legalBasisArticle: legalBasisArticle[activity.legalBasis],
        recipients: activity.recipients.map((r) => ({
          id: r.id,
          name: r.name.en,
          ...(r.company ? { company: [r.company.name, ...r.company.address].join(', ') } : {}),
          role: r.role,
          fields: Object.values(r.fields).map((f) => f.label.en),
        })),
        rows,
      });
    }
  }
  return {
    format: 'candor-subject-export/1',
    generatedAt: new Date(deps.clock.now()).toISOString(),
    subject: { email: keys.email },
    controller: { company: deps.config.operator.company, dpo: deps.config.operator.dpo },
    records,
    unlinked: map.tables
      .filter((t) => !t.subject && t.unlinkedBecause && Object.values(t.columns).some((c) => c !== 'not-personal'))
      .map((t) => ({
        table: t.table,
        activity: t.activity,
        purpose: map.activity(t.activity).purpose,
        reason: t.unlinkedBecause as { en: string; de: string },
      })),
    files: await listExportFiles(deps, keys),
  };
}

export async function exportSubjectData(deps: ExportDeps, email: string): Promise<SubjectExport> {
  const collected = await collectSubjectRecords(deps, email);
  const files: ExportFile[] = [];
  for (const { path, size: _size, ...f } of collected.files) {
    let content: Buffer;
    try {
      content = readFileSync(join(deps.config.dataDir, path));
    } catch {
      continue; // deleted since the listing (retention or erasure running at the same time)
    }
    files.push({ ...f, content: content.toString('base64') });
  }
  return { ...collected, files };
}

/** The files of the person's rows, for every file set with a subject link (generic: no set is named here). */
async function listExportFiles(
  deps: Pick<Deps, 'db' | 'dataMap' | 'config'>,
  keys: SubjectKeys,
): Promise<ExportFileRef[]> {
  const out: ExportFileRef[] = [];
  const all = listFilesUnder(deps.config.dataDir).map((p) => classifyDataFile(deps.dataMap, p));
  for (const set of deps.dataMap.files) {
    if (set.notInExport) continue;
    if (!set.subject) continue;
    const table = deps.dataMap.tableFor(set.subject.table);
    if (!table?.subject) continue;
    const rows = new Map<string, Record<string, unknown>>();
    for (const row of await selectRowsWhereIn(deps.db, table.table, table.subject.column, linkValues(table, keys)))
      rows.set(String(row[set.subject.keyColumn]), row);
    for (const f of all) {
      if (f.set !== set || f.key === undefined) continue;
      const row = rows.get(f.key);
      if (!row) continue;
      let size: number;
      try {
        size = statSync(join(deps.config.dataDir, f.path)).size;
      } catch {
        continue; // deleted since the listing (retention or erasure running at the same time)
      }
      out.push({
        set: set.id,
        key: f.key,
        name: typeof row.file_name === 'string' ? row.file_name : posix.basename(f.path),
        contentType:
          typeof row.content_type === 'string'
            ? row.content_type
            : f.path.endsWith('.json')
              ? 'application/json'
              : 'application/octet-stream',
        path: f.path,
        size,
      });
    }
  }
  return out;
}

function activityOfRow(table: TableMap, row: Record<string, unknown>): string {
  if (!table.rowActivity) return table.activity;
  return table.rowActivity.activities[String(row[table.rowActivity.column])] ?? table.activity;
}

/**
 * Hashes of passwords and tokens are withheld: useless to the person, useful to an attacker. Stored mail shows its
 * access links as hidden, as the mail console does (the link itself was only ever in the message as sent).
 */
function exportRow(table: TableMap, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const category = table.columns[column];
    const withheld = table.withheldFromExport;
    out[column] =
      category === 'secret'
        ? '[withheld: security credential]'
        : withheld?.columns.includes(column) && value !== null
          ? `[withheld: ${withheld.because.en}]`
          : typeof value === 'number' && /(_at)$/.test(column)
            ? new Date(value).toISOString()
            : typeof value === 'string'
              ? value.includes('{{secret:')
                ? hideSecrets(value, '[access link, only in the email as sent]')
                : value
              : value;
  }
  return out;
}

export interface ErasureOutcome {
  table: string;
  action: string;
  rows: number;
}

/**
 * What an erasure keeps for a statutory period (restricted), per table with rows kept: the end and the legal basis
 * the data map gives, for the person's confirmation and the privacy centre. No personal value.
 */
export interface KeptRecord {
  table: string;
  activity: string;
  rows: number;
  until: { en: string; de: string };
  basis: { en: string; de: string };
}

/** The records an erasure outcome kept, with their period and basis from the data map. */
export function keptRecordsOf(map: DataMap, outcomes: readonly ErasureOutcome[]): KeptRecord[] {
  const out: KeptRecord[] = [];
  for (const o of outcomes) {
    if (o.rows === 0 || !o.action.startsWith('kept')) continue;
    const table = map.tableFor(o.table);
    const erasure = table?.erasure;
    if (!table || !erasure || (erasure.action !== 'keep' && erasure.action !== 'delete-unless-kept')) continue;
    out.push({
      table: table.table,
      activity: table.activity,
      rows: o.rows,
      until: erasure.until,
      basis: erasure.basis,
    });
  }
  return out;
}

type ErasureDeps = Pick<Deps, 'db' | 'dbKind' | 'dataMap' | 'clock' | 'config'>;

/**
 * The person's files (those of their rows), found before the rows go; delete them with `deleteDataFiles` once the
 * rows are gone. The files of rows an erasure keeps are left out: they stay with their rows.
 */
export async function findSubjectFiles(deps: ErasureDeps, keys: SubjectKeys): Promise<DataFile[]> {
  return findFilesOfRows(deps.dataMap, deps.config.dataDir, async (set) => {
    const table = deps.dataMap.tableFor(set.subject!.table);
    if (!table?.subject) return [];
    return (
      await selectColumnWhereIn(
        deps.db,
        table.table,
        set.subject!.keyColumn,
        table.subject.column,
        linkValues(table, keys),
        table.erasure?.action === 'delete-unless-kept' ? table.erasure.keptColumn : undefined,
      )
    ).map(String);
  });
}

/**
 * Every table's erasure rule for the person, in one transaction, with the features' hooks. `alsoInTransaction`
 * runs last inside the same transaction (a request runner records its step there, so the erasure and the record
 * that it happened commit together).
 */
export async function eraseSubjectRows(
  deps: ErasureDeps,
  keys: SubjectKeys,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  alsoInTransaction?: (trx: Kysely<any>, outcomes: ErasureOutcome[]) => Promise<void>,
): Promise<ErasureOutcome[]> {
  const tables = erasureOrder(deps.dataMap.tables); // dependants before the rows they point to
  return deps.db.transaction().execute(async (trx) => {
    const outcomes: ErasureOutcome[] = [];
    for (const hook of deps.dataMap.beforeErasureHooks)
      await hook({ db: trx, config: deps.config, now: deps.clock.now() }, keys);
    for (const table of tables) {
      if (!table.subject || !table.erasure) continue;
      const values = linkValues(table, keys);
      let rows = 0;
      let kept = 0;
      const erasure = table.erasure;
      for (const physical of await physicalTables(trx, deps, table)) {
        if (erasure.action === 'delete') rows += await deleteRowsWhereIn(trx, physical, table.subject.column, values);
        else if (erasure.action === 'anonymise')
          rows += await nullColumnsWhereIn(trx, physical, table.subject.column, values, erasure.columns);
        else {
          const onlyKept = erasure.action === 'delete-unless-kept' ? erasure.keptColumn : undefined;
          const marked = await markRowsWhereIn(
            trx,
            physical,
            table.subject.column,
            values,
            erasure.restrictColumn,
            deps.clock.now(),
            onlyKept,
          );
          if (onlyKept === undefined) rows += marked;
          else {
            kept += marked;
            rows += await deleteRowsWhereIn(trx, physical, table.subject.column, values, onlyKept);
          }
        }
      }
      if (erasure.action === 'delete-unless-kept') {
        outcomes.push({ table: table.table, action: 'delete', rows });
        outcomes.push({ table: table.table, action: 'kept (restricted)', rows: kept });
      } else
        outcomes.push({
          table: table.table,
          action: erasure.action === 'keep' ? 'kept (statutory retention)' : erasure.action,
          rows,
        });
    }
    for (const hook of deps.dataMap.erasureHooks)
      await hook({ db: trx, config: deps.config, now: deps.clock.now() }, keys);
    if (alsoInTransaction) await alsoInTransaction(trx, outcomes);
    return outcomes;
  });
}

/** The person's files after their rows, one outcome per file set. */
export function deleteSubjectFiles(deps: Pick<Deps, 'dataMap' | 'config'>, files: DataFile[]): ErasureOutcome[] {
  return deps.dataMap.files
    .filter((f) => f.subject && f.erasure)
    .map((set) => ({
      table: `${set.id} (files)`,
      action: 'delete',
      rows: deleteDataFiles(
        deps.config.dataDir,
        files.filter((f) => f.set === set),
      ),
    }));
}

/** Erasure in one call (the command line): files found, rows erased, then the files deleted. */
export async function eraseSubjectData(deps: ErasureDeps, email: string): Promise<ErasureOutcome[]> {
  const keys = await findSubjectKeys(deps, email);
  const files = await findSubjectFiles(deps, keys);
  const outcomes = await eraseSubjectRows(deps, keys);
  // A file left behind by a failure here has lost its row; the retention job removes it on its next run.
  return [...outcomes, ...deleteSubjectFiles(deps, files)];
}
