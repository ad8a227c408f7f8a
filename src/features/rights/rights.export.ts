// The export (Art. 15 and 20 GDPR) as steps: the ZIP is built in the background, then the person is told.
// `build-archive` writes DATA_DIR/exports/<id>.zip.part (streamed: the person's files are read from disk while the
// ZIP is written, never held in memory), renames it to <id>.zip, and records the step with the expiry and size;
// killed before the record, the next run starts the file again. `notify` queues the mail with the download link,
// committed with its step record. Registered for both `export` and `access` in rights.steps.ts.
import { mkdirSync, rmSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { secretPlaceholder } from '../../platform/secret-links.ts';
import { formatDay, formatTime, type Lang } from '../../platform/i18n.ts';
import { stampFileTime } from '../../privacy/files.ts';
import { collectRecordsOfKeys, type SubjectRecords } from '../../privacy/subject.ts';
import { enqueueMail } from '../mail/index.ts';
import { entryBytes, writeZipFile, type ArchiveEntry } from './rights.archive.ts';
import type { RequestStep } from './rights.engine.ts';
import { requestKeys } from './rights.service.ts';
import { exportReadyMail } from './rights.export.emails.ts';
import { selectRequest, updateRequest } from './rights.queries.ts';
import type { PrivacyRequestsTable } from './rights.tables.ts';

/** The purpose of a guest's download link (secret-links.ts): a token derived from the request id. */
export const EXPORT_LINK_PURPOSE = 'privacy-export';
export const EXPORTS_DIRECTORY = 'exports';
const DAY_MS = 24 * 60 * 60 * 1000;

export function exportFilePath(dataDir: string, requestId: string): string {
  return join(dataDir, EXPORTS_DIRECTORY, `${requestId}.zip`);
}

/** The days an export can be downloaded (PRIVACY_EXPORT_DAYS; the data map's file set deletes it after them). */
export function exportDaysOf(deps: Pick<Deps, 'config'>): number {
  return deps.config.retention.exportDays ?? 7;
}

const keysOf = (deps: Deps, request: PrivacyRequestsTable) => requestKeys(deps, request);

/** A name safe inside a ZIP and on any file system: no path, no control or reserved characters, not too long. */
export function safeFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  return cleaned === '' ? 'file' : cleaned;
}

/**
 * `dir/name`, or `dir/name (2).ext` and so on when taken (case-insensitively: some file systems ignore case).
 */
function uniquePath(dir: string, name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = `${dir}/${name}`;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${dir}/${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** A cell of the CSV (RFC 4180): objects as JSON, nothing for null; a formula's start defused with a quote. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The rows as CSV with a header row of every column that occurs. A value a spreadsheet would run as a formula
 * (starting with =, +, -, @) gets a ' in front, as csv-stringify's escape_formulas does; the JSON keeps it as it is.
 */
export function rowsCsv(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows)
    for (const c of Object.keys(row))
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
  const lines = [columns.map(cell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return `\ufeff${lines.join('\n')}\n`;
}

const readme: Record<Lang, (o: { company: string; generatedAt: string; days: number }) => string> = {
  en: (o) => `Your data at ${o.company}
========================

This ZIP file is the copy of your personal data that you asked for (Art. 15 and 20 GDPR), made on ${o.generatedAt}.

What each file is:

export.json
    Everything together, in one machine-readable file: for each kind of data the purpose, the legal basis, who
    receives it, and your records; the data we hold but cannot link to you; and a list of your files.

data/<table>.json and data/<table>.csv
    One kind of data each (a table of our database), once as JSON and once as CSV for a spreadsheet. The CSV has a
    header row with the names of the columns. Where a table serves more than one purpose, each purpose has its own
    files (data/<table>.<purpose>.json). In the CSV a value that starts with =, +, - or @ has a ' in front, so that
    a spreadsheet shows it instead of running it as a formula; the JSON has it unchanged.

files/<kind>/<name>
    Your files, such as attachments you sent us, under the names they had (made safe for your computer).

Passwords and security keys are not included, even as hashes: they are of no use to you and could help an attacker.

We delete this file from our server ${o.days} days after we made it. Questions: write to our data protection officer
(see export.json, "controller").
`,
  de: (o) => `Ihre Daten bei ${o.company}
========================

Diese ZIP-Datei ist die Kopie Ihrer personenbezogenen Daten, die Sie angefordert haben (Art. 15 und 20 DSGVO),
erstellt am ${o.generatedAt}.

Was die einzelnen Dateien enthalten:

export.json
    Alles zusammen in einer maschinenlesbaren Datei: für jede Datenart der Zweck, die Rechtsgrundlage, wer sie
    erhält, und Ihre Datensätze; die Daten, die wir haben, aber Ihnen nicht zuordnen können; und eine Liste Ihrer
    Dateien.

data/<Tabelle>.json und data/<Tabelle>.csv
    Je eine Datenart (eine Tabelle unserer Datenbank), einmal als JSON und einmal als CSV für eine Tabellenkalkulation.
    Die CSV-Datei hat eine Kopfzeile mit den Namen der Spalten. Dient eine Tabelle mehreren Zwecken, hat jeder Zweck
    eigene Dateien (data/<Tabelle>.<Zweck>.json). In der CSV-Datei steht vor einem Wert, der mit =, +, - oder @
    beginnt, ein ', damit eine Tabellenkalkulation ihn anzeigt statt als Formel auszuführen; im JSON steht er unverändert.

files/<Art>/<Name>
    Ihre Dateien, etwa Anhänge, die Sie uns geschickt haben, unter ihrem ursprünglichen Namen (für Ihren Computer
    unbedenklich gemacht).

Passwörter und Sicherheitsschlüssel sind nicht enthalten, auch nicht als Hash: Sie nützen Ihnen nichts und könnten
einem Angreifer helfen.

Wir löschen diese Datei ${o.days} Tage nach ihrer Erstellung von unserem Server. Fragen beantwortet unser
Datenschutzbeauftragter (siehe export.json, „controller“).
`,
};

/** The ZIP's entries: README, export.json (files listed, not embedded), JSON and CSV per data set, the files. */
export function archiveEntries(
  deps: Pick<Deps, 'config'>,
  lang: Lang,
  collected: SubjectRecords,
  mtime: Date,
): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  const perTable = new Map<string, number>();
  for (const r of collected.records) perTable.set(r.table, (perTable.get(r.table) ?? 0) + 1);
  const dataSets = collected.records.map((r) => {
    const base = safeFileName(perTable.get(r.table)! > 1 ? `${r.table}.${r.activity}` : r.table);
    return { record: r, base };
  });
  const taken = new Set<string>();
  const files = collected.files.map((f) => ({
    ref: f,
    zipPath: uniquePath(`files/${safeFileName(f.set)}`, safeFileName(f.name), taken),
  }));
  const json = {
    ...collected,
    files: files.map(({ ref, zipPath }) => ({
      set: ref.set,
      key: ref.key,
      name: ref.name,
      contentType: ref.contentType,
      size: ref.size,
      path: zipPath,
    })),
  };
  entries.push({
    name: 'README.txt',
    text: readme[lang]({
      company: deps.config.operator.company,
      generatedAt: formatDay(lang, mtime.getTime(), deps.config.operator.timeZone),
      days: exportDaysOf(deps),
    }),
    mtime,
  });
  entries.push({ name: 'export.json', text: JSON.stringify(json), mtime });
  for (const { record, base } of dataSets) {
    entries.push({ name: `data/${base}.json`, text: JSON.stringify(record), mtime });
    entries.push({ name: `data/${base}.csv`, text: rowsCsv(record.rows), mtime });
  }
  for (const { ref, zipPath } of files)
    entries.push({
      name: zipPath,
      file: join(deps.config.dataDir, ...ref.path.split('/')),
      size: ref.size,
      mtime,
    });
  return entries;
}

export const exportSteps: readonly RequestStep[] = [
  {
    name: 'build-archive',
    async run({ deps, request, commit, progress }) {
      const dir = join(deps.config.dataDir, EXPORTS_DIRECTORY);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = exportFilePath(deps.config.dataDir, request.id);
      const part = `${target}.part`;
      rmSync(part, { force: true }); // a run killed while writing left it
      const lang: Lang = request.lang === 'de' ? 'de' : 'en';
      await progress(1);
      // Earlier exports (and this one's earlier attempt) are copies of the same data: not exported again.
      const collected = await collectRecordsOfKeys(deps, await keysOf(deps, request));
      await progress(5);
      const entries = archiveEntries(deps, lang, collected, new Date(deps.clock.now()));
      const total = Math.max(
        1,
        entries.reduce((sum, e) => sum + entryBytes(e), 0),
      );
      let reported = 5;
      const { size } = await writeZipFile(part, entries, async (bytes) => {
        const percent = 5 + Math.floor((bytes / total) * 90);
        if (percent >= reported + 5) {
          reported = percent;
          await progress(percent);
        }
      });
      stampFileTime(part, deps.clock);
      renameSync(part, target);
      const done = deps.clock.now();
      await commit(async (trx) => {
        await updateRequest(trx, request.id, {
          export_expires_at: done + exportDaysOf(deps) * DAY_MS,
          export_size: size,
          progress: 99,
        });
      });
    },
  },
  {
    name: 'notify',
    async run({ deps, request, commit }) {
      const lang: Lang = request.lang === 'de' ? 'de' : 'en';
      const base = deps.config.baseUrl.replace(/\/$/, '');
      const viaAccount = !request.subject.includes('@');
      const href = viaAccount
        ? `${base}/account/privacy`
        : `${base}/privacy/exports/${request.id}?token=${secretPlaceholder(deps.config.secret, EXPORT_LINK_PURPOSE, request.id, request.email)}`;
      // The expiry as recorded by build-archive (read back: this run may be a later one than the build's).
      const current = await selectRequest(deps.db, request.id);
      const expires = current?.export_expires_at ?? deps.clock.now() + exportDaysOf(deps) * DAY_MS;
      const mail = exportReadyMail(lang, {
        to: request.email,
        company: deps.config.operator.company,
        href,
        viaAccount,
        until: formatTime(lang, expires, deps.config.operator.timeZone),
      });
      await commit((trx) => enqueueMail(trx, deps.clock, mail));
    },
  },
];
