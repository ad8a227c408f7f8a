// Demo downloads (each recorded), and the delivery of what was bought: product files staff upload (checked type,
// size limit, sanitised name, SHA-256), the customer's purchases with every item of a bundle, and signed links
// that expire (HMAC under CANDOR_SECRET over file, customer and expiry; nothing about a link is stored). A link
// works only while the customer still owns the product (a refund ends it), and each download is counted.
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { licenceRows, type LicenceRow } from '../licences/index.ts';
import { listPurchasesOfUser, listWithdrawalsOfOrder, type OrderLine, type WithdrawnLine } from '../orders/index.ts';
import * as q from './downloads.queries.ts';
import type { DownloadsTable, ProductFilesTable } from './downloads.tables.ts';

export async function recordDownload(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  productId: string,
): Promise<DownloadsTable> {
  const now = deps.clock.now();
  const row: DownloadsTable = { id: randomUUID(), user_id: userId, product_id: productId, downloaded_at: now };
  await q.insertDownload(deps.db, row);
  return row;
}

// ---- Product files -------------------------------------------------------------------------------------------

/**
 * The kinds of file a product may offer, by extension; the type served is ours, never the uploader's. Where a
 * format has a signature at its start, the content must carry it: a renamed file of another kind is refused.
 */
const FILE_TYPES: { ext: string; type: string; magic?: number[] }[] = [
  { ext: 'zip', type: 'application/zip', magic: [0x50, 0x4b, 0x03, 0x04] },
  { ext: 'pdf', type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { ext: 'tar.gz', type: 'application/gzip', magic: [0x1f, 0x8b] },
  { ext: 'tgz', type: 'application/gzip', magic: [0x1f, 0x8b] },
  { ext: 'exe', type: 'application/vnd.microsoft.portable-executable', magic: [0x4d, 0x5a] },
  { ext: 'msi', type: 'application/x-msi', magic: [0xd0, 0xcf, 0x11, 0xe0] },
  { ext: 'pkg', type: 'application/octet-stream', magic: [0x78, 0x61, 0x72, 0x21] },
  { ext: 'dmg', type: 'application/x-apple-diskimage' },
  { ext: 'txt', type: 'text/plain; charset=utf-8' },
];
export const ALLOWED_EXTENSIONS = FILE_TYPES.map((t) => `.${t.ext}`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Product ids become a directory name: only what ids are made of. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The directory of a product's files. */
export function productFileDir(dataDir: string, productId: string): string {
  if (!SAFE_ID.test(productId)) throw errors.notFound();
  return join(dataDir, 'downloads', productId);
}

export function productFilePath(dataDir: string, file: Pick<ProductFilesTable, 'id' | 'product_id'>): string {
  if (!UUID.test(file.id)) throw errors.notFound();
  return join(productFileDir(dataDir, file.product_id), file.id);
}

/**
 * The name a file is served under: the last path segment of what the browser sent, letters, digits, dot, dash and
 * underscore only (accents dropped, anything else a dash), no leading dot, at most 100 characters with its
 * extension kept; a name of no such characters at all becomes "download" with its extension.
 */
export function sanitiseFileName(raw: string): string {
  const base = raw.normalize('NFKC').split(/[/\\]/).pop() ?? '';
  let cleaned = base
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/-+\./g, '.')
    .replace(/^[.-]+/, '')
    .replace(/[-.]+$/, '');
  const type = typeOf(base);
  if (type && (cleaned.toLowerCase() === type.ext || !typeOf(cleaned))) cleaned = `download.${type.ext}`;
  if (cleaned.length <= 100) return cleaned;
  const ext = type ? `.${type.ext}` : '';
  return cleaned.slice(0, 100 - ext.length).replace(/[-.]+$/, '') + ext;
}

// eslint-disable-next-line no-control-regex
const NOT_IN_NAMES = /[\u0000-\u001f\u007f-\u009f"'\\/\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The name as uploaded, for `filename*`, when it holds letters outside ASCII (else null: the safe name says it all):
 * the last path segment, without control characters, quotes, slashes or direction marks (which could hide the real
 * extension), at most 100 characters, and ending in the extension of the safe name.
 */
export function originalFileName(raw: string, safeName: string): string | null {
  const base = (raw.normalize('NFC').split(/[/\\]/).pop() ?? '')
    .replace(NOT_IN_NAMES, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  // eslint-disable-next-line no-control-regex
  if (base === '' || /^[\u0000-\u007f]*$/.test(base)) return null;
  const type = typeOf(safeName);
  if (!type || !base.toLowerCase().endsWith(`.${type.ext}`)) return null;
  const chars = [...base];
  if (chars.length <= 100) return base;
  const ext = `.${type.ext}`;
  return (
    chars
      .slice(0, 100 - ext.length)
      .join('')
      .trimEnd() + ext
  );
}

/** RFC 5987 encoding of a value: UTF-8, percent-encoded except the attribute characters. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The Content-Disposition of a product file: the safe ASCII name, and the name as uploaded as `filename*`. */
export function contentDisposition(file: Pick<ProductFilesTable, 'file_name' | 'original_name'>): string {
  const ascii = `attachment; filename="${file.file_name}"`;
  return file.original_name ? `${ascii}; filename*=UTF-8''${encodeRfc5987(file.original_name)}` : ascii;
}

function typeOf(fileName: string) {
  const lower = fileName.toLowerCase();
  // Longest extension first: "tar.gz" before anything shorter.
  return [...FILE_TYPES].sort((a, b) => b.ext.length - a.ext.length).find((t) => lower.endsWith(`.${t.ext}`));
}

const uploadError = (status: number, code: string, text: Text) => new AppError(status, code, text);

export const uploadErrors = {
  type: () =>
    uploadError(415, 'file_type_not_allowed', {
      en: `This kind of file cannot be offered for download. Allowed: ${ALLOWED_EXTENSIONS.join(', ')}.`,
      de: `Diese Art von Datei kann nicht zum Download angeboten werden. Erlaubt: ${ALLOWED_EXTENSIONS.join(', ')}.`,
    }),
  content: () =>
    uploadError(415, 'file_content_mismatch', {
      en: 'The content of the file does not match its extension. Please upload the file as it was built.',
      de: 'Der Inhalt der Datei passt nicht zu ihrer Endung. Bitte laden Sie die Datei so hoch, wie sie erstellt wurde.',
    }),
  tooBig: (maxMb: number) =>
    uploadError(413, 'file_too_large', {
      en: `The file is larger than ${maxMb} MB, the most a product file may have.`,
      de: `Die Datei ist größer als ${maxMb} MB, das Höchstmaß für eine Produktdatei.`,
    }),
  missing: () =>
    uploadError(400, 'file_missing', {
      en: 'Please choose a file to upload.',
      de: 'Bitte wählen Sie eine Datei zum Hochladen.',
    }),
  empty: () => uploadError(400, 'file_empty', { en: 'The file is empty.', de: 'Die Datei ist leer.' }),
  incomplete: () =>
    errors.invalid({
      en: 'The upload was incomplete or had more than one file. Please choose one file and try again.',
      de: 'Der Upload war unvollständig oder enthielt mehr als eine Datei. Bitte wählen Sie eine Datei und versuchen Sie es erneut.',
    }),
  label: () =>
    errors.invalid({
      en: 'Please describe the file in 1 to 100 characters (for example "Installer for macOS").',
      de: 'Bitte beschreiben Sie die Datei in 1 bis 100 Zeichen (zum Beispiel „Installer für macOS“).',
    }),
  version: () =>
    errors.invalid({
      en: 'A version has at most 40 characters: letters, digits, spaces and . - + _',
      de: 'Eine Version hat höchstens 40 Zeichen: Buchstaben, Ziffern, Leerzeichen und . - + _',
    }),
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The label and version of an upload, checked; throws a 400 that says what is wrong. */
export function checkFileDescription(raw: { label: string; version: string }): { label: string; version: string } {
  const label = raw.label.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const version = raw.version.normalize('NFKC').trim();
  if (label === '' || [...label].length > 100 || CONTROL.test(label)) throw uploadErrors.label();
  if ([...version].length > 40 || !/^[\p{L}\p{N} .+_-]*$/u.test(version)) throw uploadErrors.version();
  return { label, version };
}

export interface UploadedFile {
  fileName: string;
  stream: Readable & { truncated?: boolean };
}

/** A product file written to disk but not yet offered: published once the whole upload was read and accepted. */
export interface PendingProductFile {
  row: ProductFilesTable;
  path: string;
}

/**
 * Writes an uploaded file of a product: checks its kind by name and signature, hashes it while writing it under
 * DATA_DIR/downloads/<product>/<id>, and refuses it (removing what was written) when it is empty or too big. The
 * file is not offered yet: publishProductFile does that, discardProductFile removes it.
 */
export async function writeProductFile(
  deps: Pick<Deps, 'clock' | 'config'>,
  productId: string,
  description: { label: string; version: string },
  upload: UploadedFile,
): Promise<PendingProductFile> {
  const fileName = sanitiseFileName(upload.fileName);
  const type = typeOf(fileName);
  if (fileName === '' || !type) {
    upload.stream.resume();
    throw uploadErrors.type();
  }
  // The parser ends a file's stream when the body breaks off inside or right after it (no closing boundary): such a
  // file is incomplete, and a stream already ended that way would never finish a pipeline.
  if (upload.stream.destroyed) throw uploadErrors.incomplete();
  const id = randomUUID();
  const path = productFilePath(deps.config.dataDir, { id, product_id: productId });
  mkdirSync(productFileDir(deps.config.dataDir, productId), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const head: number[] = [];
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      for (let i = 0; head.length < 8 && i < chunk.length; i++) head.push(chunk[i] as number);
      done(null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, tap, createWriteStream(path, { flags: 'wx', mode: 0o640 }));
    if (upload.stream.truncated) throw uploadErrors.tooBig(deps.config.downloadMaxMb);
    if (size === 0) throw uploadErrors.empty();
    if (type.magic && !type.magic.every((byte, i) => head[i] === byte)) throw uploadErrors.content();
  } catch (err) {
    rmSync(path, { force: true });
    // The upload's stream broke off (the body ended early): the sender's fault. A failing disk (a system call's
    // error) is ours.
    if (!(err instanceof AppError) && upload.stream.destroyed && !(err as { syscall?: string }).syscall)
      throw uploadErrors.incomplete();
    throw err;
  }
  const row: ProductFilesTable = {
    id,
    product_id: productId,
    label: description.label,
    version: description.version,
    file_name: fileName,
    original_name: originalFileName(upload.fileName, fileName),
    content_type: type.type,
    size_bytes: size,
    sha256: hash.digest('hex'),
    created_at: deps.clock.now(),
  };
  return { row, path };
}

/** Offers a written file to buyers (its row); if that fails, the file is removed. */
export async function publishProductFile(deps: Pick<Deps, 'db'>, pending: PendingProductFile): Promise<void> {
  try {
    await q.insertProductFile(deps.db, pending.row);
  } catch (err) {
    discardProductFile(pending);
    throw err;
  }
}

/** Removes a written file that is not to be offered (the rest of its upload was refused). */
export function discardProductFile(pending: PendingProductFile): void {
  rmSync(pending.path, { force: true });
}

/** Removes a file of a product: its row, then the file itself. */
export async function deleteProductFile(
  deps: Pick<Deps, 'db' | 'config'>,
  productId: string,
  fileId: string,
): Promise<void> {
  const file = await q.findProductFile(deps.db, fileId);
  if (!file || file.product_id !== productId) throw errors.notFound();
  await q.deleteProductFile(deps.db, productId, fileId);
  rmSync(productFilePath(deps.config.dataDir, file), { force: true });
}

export function listProductFiles(deps: Pick<Deps, 'db'>, productId: string): Promise<ProductFilesTable[]> {
  return q.listFilesOfProducts(deps.db, [productId]);
}

export const HOW_TO_MAX = 5000;

/** Saves a product's activation how-to (both languages; both empty removes it from "My products"). */
export async function saveInstructions(
  deps: Pick<Deps, 'db' | 'clock'>,
  productId: string,
  raw: { en: string; de: string },
): Promise<void> {
  const clean = (s: string) => s.replace(/\r\n?/g, '\n').trim();
  const en = clean(raw.en);
  const de = clean(raw.de);
  const fields: Record<string, Text> = {};
  const tooLong = {
    en: `At most ${HOW_TO_MAX} characters.`,
    de: `Höchstens ${HOW_TO_MAX} Zeichen.`,
  };
  if ([...en].length > HOW_TO_MAX) fields.how_to_en = tooLong;
  if ([...de].length > HOW_TO_MAX) fields.how_to_de = tooLong;
  if (Object.keys(fields).length > 0) {
    throw errors.invalid(
      {
        en: `An activation how-to has at most ${HOW_TO_MAX} characters.`,
        de: `Eine Aktivierungsanleitung hat höchstens ${HOW_TO_MAX} Zeichen.`,
      },
      fields,
    );
  }
  await q.upsertInstructions(deps.db, {
    product_id: productId,
    how_to_en: en,
    how_to_de: de,
    updated_at: deps.clock.now(),
  });
}

export async function findInstructions(deps: Pick<Deps, 'db'>, productId: string) {
  return (await q.listInstructions(deps.db, [productId]))[0];
}

// ---- Purchases and signed links -------------------------------------------------------------------------------

/** One thing the customer bought: a product of an order line, or an item inside a bought bundle. */
export interface PurchasedItem {
  orderId: string;
  orderNumber: string;
  productId: string;
  kind: string;
  title: string;
  /** Units bought (for an item of a bundle: units of the bundle). */
  quantity: number;
  /** For a bundle: every product it contained when it was bought. */
  contents: PurchasedItem[];
  /** When the customer withdrew from the line (for a bundle's item: from the bundle); null while it is theirs. */
  withdrawnAt: number | null;
}

/** When each line of an order was withdrawn from, by line number. */
async function withdrawnLinesOf(deps: Pick<Deps, 'db'>, orderId: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const w of await listWithdrawalsOfOrder(deps, orderId))
    for (const l of JSON.parse(w.lines) as WithdrawnLine[]) if (!out.has(l.lineNo)) out.set(l.lineNo, w.created_at);
  return out;
}

/**
 * Everything the customer bought (refunded and cancelled orders are not), oldest first; lines withdrawn from are
 * listed with the moment, and are no longer theirs (ownedProductIds leaves them out).
 */
export async function purchasedItems(deps: Pick<Deps, 'db'>, userId: string, lang: Lang): Promise<PurchasedItem[]> {
  const orders = await listPurchasesOfUser(deps.db, userId);
  const parsed = [];
  for (const o of orders)
    parsed.push({ order: o, lines: JSON.parse(o.lines) as OrderLine[], withdrawn: await withdrawnLinesOf(deps, o.id) });
  const ids = new Set<string>();
  for (const { lines } of parsed)
    for (const line of lines) {
      ids.add(line.productId);
      for (const c of line.contents ?? []) ids.add(c.productId);
    }
  const products = new Map((await findProductsByIds(deps.db, [...ids])).map((p) => [p.id, p]));
  const titleOf = (productId: string, fallback: string) => {
    const p = products.get(productId);
    return p ? productTitle(p, lang) : fallback;
  };
  return parsed.flatMap(({ order, lines, withdrawn }) =>
    lines.map((line, lineNo) => ({
      orderId: order.id,
      orderNumber: order.number,
      productId: line.productId,
      kind: line.kind,
      title: titleOf(line.productId, line.title),
      quantity: line.quantity,
      withdrawnAt: withdrawn.get(lineNo) ?? null,
      contents: (line.contents ?? []).map((c) => ({
        orderId: order.id,
        orderNumber: order.number,
        productId: c.productId,
        kind: c.kind,
        title: titleOf(c.productId, c.title),
        quantity: line.quantity,
        contents: [],
        withdrawnAt: withdrawn.get(lineNo) ?? null,
      })),
    })),
  );
}

/** Every product the customer owns, bought alone or inside a bundle, through a line not withdrawn from. */
export function ownedProductIds(items: PurchasedItem[]): Set<string> {
  return new Set(
    items.filter((i) => i.withdrawnAt === null).flatMap((i) => [i.productId, ...i.contents.map((c) => c.productId)]),
  );
}

/** How long a download link works after the page that showed it was rendered. */
export const LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

function linkSignature(secret: string, fileId: string, userId: string, expires: number): string {
  return createHmac('sha256', secret).update(`download-link:${fileId}:${userId}:${expires}`).digest('base64url');
}

/** A customer's link to a file, valid for LINK_LIFETIME_MS from now. */
export function downloadLink(
  deps: Pick<Deps, 'clock' | 'config'>,
  fileId: string,
  userId: string,
): { href: string; expires: number } {
  const expires = deps.clock.now() + LINK_LIFETIME_MS;
  const signature = linkSignature(deps.config.secret, fileId, userId, expires);
  return { href: `/downloads/${fileId}/${userId}/${expires}/${signature}`, expires };
}

export const linkErrors = {
  forged: () =>
    new AppError(403, 'download_link_invalid', {
      en: 'This download link is not valid. Please open "My products" in your account and use the link there.',
      de: 'Dieser Download-Link ist ungültig. Bitte öffnen Sie „Meine Produkte“ in Ihrem Konto und verwenden Sie den Link dort.',
    }),
  expired: () =>
    new AppError(410, 'download_link_expired', {
      en: 'This download link has expired. Please open "My products" in your account for a new one.',
      de: 'Dieser Download-Link ist abgelaufen. Bitte öffnen Sie „Meine Produkte“ in Ihrem Konto für einen neuen.',
    }),
  notOwned: () =>
    new AppError(403, 'download_not_owned', {
      en: 'This file belongs to a product that is not in your account (any more).',
      de: 'Diese Datei gehört zu einem Produkt, das nicht (mehr) in Ihrem Konto ist.',
    }),
  gone: () =>
    new AppError(410, 'download_file_gone', {
      en: 'This file is no longer offered. "My products" in your account lists the current files.',
      de: 'Diese Datei wird nicht mehr angeboten. „Meine Produkte“ in Ihrem Konto zeigt die aktuellen Dateien.',
    }),
};

/**
 * Checks a link: the signature first (a forged or altered link learns nothing more), then its expiry, then that the
 * file exists and the customer still owns its product. Answers the file; records nothing.
 */
export async function checkDownloadLink(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  link: { fileId: string; userId: string; expires: string; signature: string },
): Promise<ProductFilesTable> {
  // Only the form a link is made with: "0123" would be signed as 123, so one link would have many addresses.
  const expires = /^[1-9]\d{0,14}$/.test(link.expires) ? Number(link.expires) : NaN;
  if (!Number.isFinite(expires)) throw linkErrors.forged();
  const expected = Buffer.from(linkSignature(deps.config.secret, link.fileId, link.userId, expires));
  const given = Buffer.from(link.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw linkErrors.forged();
  if (deps.clock.now() > expires) throw linkErrors.expired();
  const file = await q.findProductFile(deps.db, link.fileId);
  if (!file) throw linkErrors.gone();
  const owned = ownedProductIds(await purchasedItems(deps, link.userId, 'en'));
  if (!owned.has(file.product_id)) throw linkErrors.notOwned();
  return file;
}

export async function recordFileDownload(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  fileId: string,
): Promise<void> {
  await q.insertFileDownload(deps.db, {
    id: randomUUID(),
    user_id: userId,
    file_id: fileId,
    downloaded_at: deps.clock.now(),
  });
}

/** What "My products" needs besides the licences: files (with fresh links and counts) and how-tos per product. */
export async function deliveriesOf(deps: Pick<Deps, 'db' | 'clock' | 'config'>, userId: string, productIds: string[]) {
  const files = await q.listFilesOfProducts(deps.db, productIds);
  const counts = await q.countFileDownloadsOfUser(deps.db, userId);
  const instructions = await q.listInstructions(deps.db, productIds);
  return {
    files: files.map((f) => ({ file: f, href: downloadLink(deps, f.id, userId).href, count: counts.get(f.id) ?? 0 })),
    instructions: new Map(instructions.map((i) => [i.product_id, i])),
  };
}

export interface MyProducts {
  items: PurchasedItem[];
  /** The licences issued for this item (as many as its units), each shown once. */
  licencesOf(item: PurchasedItem): LicenceRow[];
  filesOf(productId: string): { file: ProductFilesTable; href: string; count: number }[];
  howToOf(productId: string, lang: Lang): string;
  /** Licences of no listed purchase (an order kept restricted, say): still shown, so no key is ever hidden. */
  otherLicences: LicenceRow[];
}

/** Everything "My products" shows of purchases: items with bundle contents, their licences, files and how-tos. */
export async function myProducts(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  lang: Lang,
): Promise<MyProducts> {
  const items = await purchasedItems(deps, userId, lang);
  const licences = await licenceRows(deps, userId, lang);
  const { files, instructions } = await deliveriesOf(deps, userId, [...ownedProductIds(items)]);
  // A licence belongs to its order and product; an item takes as many as it has units.
  const pool = new Map<string, LicenceRow[]>();
  for (const row of licences) {
    const key = `${row.licence.order_id}:${row.licence.product_id}`;
    pool.set(key, [...(pool.get(key) ?? []), row]);
  }
  const assigned = new Map<PurchasedItem, LicenceRow[]>();
  for (const item of items.flatMap((i) => [i, ...i.contents])) {
    const rows = pool.get(`${item.orderId}:${item.productId}`);
    if (rows && rows.length > 0) assigned.set(item, rows.splice(0, Math.max(1, item.quantity)));
  }
  return {
    items,
    licencesOf: (item) => assigned.get(item) ?? [],
    filesOf: (productId) => files.filter((f) => f.file.product_id === productId),
    howToOf: (productId, l) => {
      const i = instructions.get(productId);
      return i ? (l === 'de' ? i.how_to_de || i.how_to_en : i.how_to_en || i.how_to_de) : '';
    },
    otherLicences: [...pool.values()].flat(),
  };
}
