// Product import from CSV: the file is checked whole in the request (UTF-8, a header with the known columns, at least
// one row, within the limits) and stored with its product_imports row; the job catalog.run-product-imports then saves
// its rows in chunks of 100 by the same rules as the staff product form (createProduct / editProduct: a known address
// name updates that product, a new one creates one), committing progress and the rejected rows (line, column, reason
// in both languages) after each chunk, so that any process resumes it from `done` after a restart (decision 0041).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import type { Deps } from '../../deps.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import * as q from './catalog.import.queries.ts';
import type { ProductImportsTable } from './catalog.images.tables.ts';
import { createProduct, editProduct, type ProductFormValues } from './catalog.service.ts';

export const IMPORT_MAX_MB = 5;
export const IMPORT_MAX_ROWS = 10_000;
export const IMPORT_CHUNK = 100;
/** A running import whose row has not advanced for this long belongs to a process that is gone. */
export const IMPORT_STALE_MS = 60_000;

export const REQUIRED_COLUMNS = ['slug', 'kind', 'title_en', 'title_de', 'summary_en', 'summary_de', 'price'] as const;
export const OPTIONAL_COLUMNS = ['stock', 'category', 'contents', 'status'] as const;
const KNOWN = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);

/** One rejected cell (or row, when `column` is empty): the file's line number and why, in both languages. */
export interface RejectedRow {
  line: number;
  column: string;
  reason: Text;
}

export interface ImportRow {
  line: number;
  values: Record<string, string>;
  /** The line that already names this row's slug: the row is refused (one product once per file). */
  sameSlugAsLine?: number;
}

const notCsv = (detail: Text) =>
  new AppError(415, 'import_not_csv', {
    en: `This file cannot be imported: ${detail.en}`,
    de: `Diese Datei kann nicht importiert werden: ${detail.de}`,
  });

export const importErrors = {
  tooBig: () =>
    new AppError(413, 'import_too_large', {
      en: `The file is larger than ${IMPORT_MAX_MB} MB. Please split it into several files.`,
      de: `Die Datei ist größer als ${IMPORT_MAX_MB} MB. Bitte teilen Sie sie in mehrere Dateien auf.`,
    }),
  missing: () =>
    new AppError(400, 'import_missing', {
      en: 'Please choose a CSV file to import.',
      de: 'Bitte wählen Sie eine CSV-Datei für den Import.',
    }),
  empty: () =>
    new AppError(400, 'import_empty', {
      en: 'The file holds no products: a header row and at least one row of a product are needed.',
      de: 'Die Datei enthält keine Produkte: Nötig sind eine Kopfzeile und mindestens eine Zeile mit einem Produkt.',
    }),
  tooManyRows: () =>
    new AppError(413, 'import_too_many_rows', {
      en: `The file has more than ${IMPORT_MAX_ROWS} products. Please split it into several files.`,
      de: `Die Datei enthält mehr als ${IMPORT_MAX_ROWS} Produkte. Bitte teilen Sie sie in mehrere Dateien auf.`,
    }),
  incomplete: () =>
    errors.invalid({
      en: 'The upload was incomplete or had more than one file. Please choose one CSV file and try again.',
      de: 'Der Upload war unvollständig oder enthielt mehr als eine Datei. Bitte wählen Sie eine CSV-Datei und versuchen Sie es erneut.',
    }),
};

/**
 * The rows of a CSV file of products, each with the line it starts on; throws a 4xx AppError that says what is
 * wrong with the file as a whole (not UTF-8 text, broken quoting, unknown or missing columns, no rows).
 */
export function parseProductCsv(content: Buffer): ImportRow[] {
  if (content.length === 0) throw importErrors.empty();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw notCsv({ en: 'it is not UTF-8 text.', de: 'Sie ist kein UTF-8-Text.' });
  }
  if (text.includes('\u0000')) throw notCsv({ en: 'it is not a text file.', de: 'Sie ist keine Textdatei.' });
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Spreadsheets set to German separate columns with semicolons (the comma being the decimal sign).
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    const where = line ? { en: ` (line ${line})`, de: ` (Zeile ${line})` } : { en: '', de: '' };
    throw notCsv({
      en: `it is not a well-formed CSV file${where.en}: every row needs as many columns as the header, and a quoted value must end with a quote.`,
      de: `Sie ist keine gültige CSV-Datei${where.de}: Jede Zeile braucht so viele Spalten wie die Kopfzeile, und ein Wert in Anführungszeichen muss mit einem Anführungszeichen enden.`,
    });
  }
  const [header, ...rows] = records;
  if (!header) throw importErrors.empty();
  const names = header.record.map((n) => n.trim().toLowerCase());
  const unknown = names.filter((n) => !KNOWN.has(n));
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length > 0 || missing.length > 0 || twice.length > 0) {
    const list = (xs: readonly string[]) => xs.map((x) => `“${x.slice(0, 40)}”`).join(', ');
    const parts: Text[] = [];
    if (missing.length > 0) parts.push({ en: `missing ${list(missing)}`, de: `es fehlen ${list(missing)}` });
    if (unknown.length > 0) parts.push({ en: `unknown ${list(unknown)}`, de: `unbekannt: ${list(unknown)}` });
    if (twice.length > 0) parts.push({ en: `twice ${list(twice)}`, de: `doppelt: ${list(twice)}` });
    throw notCsv({
      en: `its header row does not name the expected columns (${parts.map((p) => p.en).join('; ')}). Columns: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}.`,
      de: `Ihre Kopfzeile nennt nicht die erwarteten Spalten (${parts.map((p) => p.de).join('; ')}). Spalten: ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(', ')}.`,
    });
  }
  if (rows.length === 0) throw importErrors.empty();
  if (rows.length > IMPORT_MAX_ROWS) throw importErrors.tooManyRows();
  const firstLineOf = new Map<string, number>();
  return rows.map(({ record, info }) => {
    const values = Object.fromEntries(names.map((n, i) => [n, record[i] ?? '']));
    // info.lines is where the row ends; a quoted value may span lines.
    const inner = record.reduce((sum, v) => sum + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const line = info.lines - inner;
    const slug = (values.slug ?? '').trim();
    const first = slug === '' ? undefined : firstLineOf.get(slug);
    if (slug !== '' && first === undefined) firstLineOf.set(slug, line);
    return first === undefined ? { line, values } : { line, values, sameSlugAsLine: first };
  });
}

/** The form field a message of the product form is about, as the CSV column staff know it. */
const columnOfField = (field: string) => (field === 'category_id' ? 'category' : field);

/** Saves one row as the staff form would; returns what it did or the reasons it was refused. */
async function importRow(
  deps: Pick<Deps, 'db' | 'clock' | 'dbKind'>,
  row: ImportRow,
  categories: Map<string, string>,
  existing: Map<string, string>,
): Promise<'created' | 'updated' | RejectedRow[]> {
  const v = row.values;
  if (row.sameSlugAsLine !== undefined)
    return [
      {
        line: row.line,
        column: 'slug',
        reason: {
          en: `Line ${row.sameSlugAsLine} already names this product; each product appears once per file.`,
          de: `Zeile ${row.sameSlugAsLine} nennt dieses Produkt bereits; jedes Produkt darf nur einmal in der Datei stehen.`,
        },
      },
    ];
  const categorySlug = (v.category ?? '').trim();
  const categoryId = categorySlug === '' ? '' : categories.get(categorySlug);
  if (categoryId === undefined)
    return [
      {
        line: row.line,
        column: 'category',
        reason: {
          en: `There is no category “${categorySlug.slice(0, 60)}”.`,
          de: `Es gibt keine Kategorie „${categorySlug.slice(0, 60)}“.`,
        },
      },
    ];
  const values: ProductFormValues = {
    slug: v.slug,
    kind: (v.kind ?? '').trim().toLowerCase(),
    title_en: v.title_en,
    title_de: v.title_de,
    summary_en: v.summary_en,
    summary_de: v.summary_de,
    price: v.price,
    stock: v.stock ?? '',
    category_id: categoryId,
    contents: v.contents ?? '',
    // Without a status column a new product is active and an updated one keeps its status (parseProductForm).
    status: v.status === undefined ? undefined : v.status.trim().toLowerCase(),
  };
  const slug = (v.slug ?? '').trim();
  try {
    const id = existing.get(slug);
    if (id) {
      await editProduct(deps, id, values);
      return 'updated';
    }
    existing.set(slug, await createProduct(deps, values));
    return 'created';
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const fields = Object.entries(err.fields ?? {});
    if (fields.length === 0) return [{ line: row.line, column: '', reason: err.text }];
    return fields.map(([field, reason]) => ({ line: row.line, column: columnOfField(field), reason }));
  }
}

/**
 * Checks the file whole (throws a 4xx AppError as parseProductCsv) and stores it as a pending import for the job;
 * returns its id at once. The file is product data, no one's personal data, kept until the import has finished.
 */
export async function startProductImport(
  deps: Pick<Deps, 'db' | 'clock'>,
  staffId: string,
  content: Buffer,
): Promise<string> {
  const rows = parseProductCsv(content);
  const id = randomUUID();
  const now = deps.clock.now();
  await q.insertProductImport(deps.db, {
    id,
    state: 'running',
    total: rows.length,
    done: 0,
    created_count: 0,
    updated_count: 0,
    rejected: '[]',
    source: content.toString('utf8'),
    created_by: staffId,
    created_at: now,
    updated_at: now,
  });
  return id;
}

export interface ImportRunLimits {
  /** Stop after this many chunks (all imports together); tests use 1 to stop a run "mid-import". */
  maxChunks?: number;
  /** Start no further chunk after this many milliseconds of work, so that the scheduler's other jobs run too. */
  budgetMs?: number;
}

/**
 * The job's work: advances the running imports, oldest first, chunk by chunk from their committed `done`. Each
 * chunk's progress is written only if `done` is still what this run read (another process that got ahead wins).
 * Each row commits on its own (the product services open their own transaction): a process that dies inside a chunk
 * saves that chunk's rows again on resumption, where a row it had created is then counted as updated. Returns the
 * number of chunks saved.
 */
export async function runProductImports(
  deps: Pick<Deps, 'db' | 'clock' | 'dbKind' | 'log'>,
  limits: ImportRunLimits = {},
): Promise<number> {
  const maxChunks = limits.maxChunks ?? Number.POSITIVE_INFINITY;
  const budgetMs = limits.budgetMs ?? 2000;
  const started = performance.now();
  let chunks = 0;
  for (const pending of await q.listRunningProductImports(deps.db)) {
    const row = await q.findProductImportToRun(deps.db, pending.id);
    if (!row || row.state !== 'running') continue;
    let rows: ImportRow[];
    try {
      rows = parseProductCsv(Buffer.from(row.source ?? '', 'utf8'));
    } catch (err) {
      // Checked when it was uploaded: a stored file that no longer parses (or is gone) cannot be resumed.
      if (!(err instanceof AppError)) throw err;
      deps.log.error({ importId: row.id }, 'product import: the stored file cannot be read');
      await q.advanceProductImport(deps.db, row.id, row.done, {
        state: 'failed',
        source: null,
        updated_at: deps.clock.now(),
      });
      continue;
    }
    const categories = new Map(
      (await q.findCategoriesBySlugs(deps.db, allCategorySlugs(rows))).map((c) => [c.slug, c.id]),
    );
    let progress = {
      done: row.done,
      created: row.created_count,
      updated: row.updated_count,
      rejected: parseRejected(row.rejected),
    };
    while (progress.done < rows.length) {
      if (chunks >= maxChunks || performance.now() - started > budgetMs) return chunks;
      const next = await saveChunk(deps, rows, progress, categories);
      const finished = next.done >= rows.length;
      const advanced = await q.advanceProductImport(deps.db, row.id, progress.done, {
        done: next.done,
        created_count: next.created,
        updated_count: next.updated,
        rejected: JSON.stringify(next.rejected),
        state: finished ? 'finished' : 'running',
        // The file is of no more use once every row was saved.
        ...(finished ? { source: null } : {}),
        updated_at: deps.clock.now(),
      });
      chunks++;
      if (!advanced) break;
      progress = next;
    }
  }
  return chunks;
}

interface ImportProgress {
  done: number;
  created: number;
  updated: number;
  rejected: RejectedRow[];
}

/** Saves the IMPORT_CHUNK rows after `progress.done`; returns the progress after them. */
async function saveChunk(
  deps: Pick<Deps, 'db' | 'clock' | 'dbKind'>,
  rows: ImportRow[],
  progress: ImportProgress,
  categories: Map<string, string>,
): Promise<ImportProgress> {
  const chunk = rows.slice(progress.done, progress.done + IMPORT_CHUNK);
  const slugs = [...new Set(chunk.map((r) => (r.values.slug ?? '').trim()).filter(Boolean))];
  const existing = new Map((await q.findProductIdsBySlugs(deps.db, slugs)).map((p) => [p.slug, p.id]));
  const next = { ...progress, rejected: [...progress.rejected] };
  for (const row of chunk) {
    // Saving a row is synchronous work on SQLite: give waiting requests their turn between rows.
    await setImmediate();
    const outcome = await importRow(deps, row, categories, existing);
    if (outcome === 'created') next.created++;
    else if (outcome === 'updated') next.updated++;
    else next.rejected.push(...outcome);
  }
  next.done = progress.done + chunk.length;
  return next;
}

function parseRejected(json: string): RejectedRow[] {
  try {
    return JSON.parse(json) as RejectedRow[];
  } catch {
    return [];
  }
}

function allCategorySlugs(rows: ImportRow[]): string[] {
  return [...new Set(rows.map((r) => (r.values.category ?? '').trim()).filter(Boolean))].slice(0, 1000);
}

export type ImportView = Omit<ProductImportsTable, 'rejected' | 'state' | 'source'> & {
  /** `waiting`: still running, but not advanced for IMPORT_STALE_MS (no worker runs the job right now). */
  state: 'running' | 'finished' | 'failed' | 'waiting';
  rejected: RejectedRow[];
};

function viewOf(row: q.ProductImportSummary, now: number): ImportView {
  const stale = row.state === 'running' && row.updated_at < now - IMPORT_STALE_MS;
  return { ...row, state: stale ? 'waiting' : row.state, rejected: parseRejected(row.rejected) };
}

export async function findImport(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<ImportView | undefined> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await q.findProductImport(deps.db, id) : undefined;
  return row ? viewOf(row, deps.clock.now()) : undefined;
}

export const IMPORTS_PER_PAGE = 20;

/** Imports newest first; `before` is the cursor `<created_at>.<id>` of the last one on the previous page. */
export async function listImports(
  deps: Pick<Deps, 'db' | 'clock'>,
  before: string | undefined,
): Promise<{ imports: ImportView[]; next: string | undefined }> {
  const cursor = parseNumberCursor(before);
  const rows = await q.listProductImports(
    deps.db,
    IMPORTS_PER_PAGE + 1,
    cursor ? { createdAt: cursor.value, id: cursor.id } : undefined,
  );
  const page = rows.slice(0, IMPORTS_PER_PAGE);
  const last = page[page.length - 1];
  return {
    imports: page.map((r) => viewOf(r, deps.clock.now())),
    next: rows.length > IMPORTS_PER_PAGE && last ? encodeCursor(last.created_at, last.id) : undefined,
  };
}
