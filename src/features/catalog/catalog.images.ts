// Product images: checked by content (JPEG, PNG, WebP, AVIF only), decoded and re-encoded with sharp (turned upright,
// every metadata block such as EXIF and GPS dropped, resized to fixed widths, never enlarged) as WebP under
// DATA_DIR/product-images/<product>/<image>-<width>.webp; the upload itself is never stored. Files go with their row.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { announceCatalogChange } from './catalog.cache.ts';
import * as q from './catalog.images.queries.ts';
import type { MainImage } from './catalog.images.queries.ts';
import type { ProductImagesTable } from './catalog.images.tables.ts';

/** The widths stored for each image (those below the upload's width, and the upload's own width up to the largest). */
export const IMAGE_WIDTHS = [320, 640, 1280] as const;
/** More pixels than this are refused before decoding (a small file can hold a huge, memory-eating picture). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** At most this many images per product. */
export const MAX_IMAGES_PER_PRODUCT = 20;
export const ALT_MAX = 200;

export type { MainImage };

const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Product ids become a directory name: only what ids are made of. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The widths stored for an image whose largest file is `width` wide, smallest first. */
export function imageWidths(width: number): number[] {
  return [...IMAGE_WIDTHS.filter((w) => w < width), width];
}

/** The address of one stored width of an image; the name changes whenever the image does (a new upload). */
export function productImageUrl(imageId: string, width: number): string {
  return `/media/products/${imageId}-${width}.webp`;
}

/** `srcset` of an image: every stored width. */
export function productImageSrcset(image: Pick<ProductImagesTable, 'id' | 'width'>): string {
  return imageWidths(image.width)
    .map((w) => `${productImageUrl(image.id, w)} ${w}w`)
    .join(', ');
}

/** The width that serves as `src` (browsers without srcset): 640 when stored, else the largest. */
export function fallbackWidth(image: Pick<ProductImagesTable, 'width'>): number {
  return imageWidths(image.width).find((w) => w >= 640) ?? image.width;
}

export function listProductImages(db: Deps['db'], productId: string): Promise<ProductImagesTable[]> {
  return q.listImagesOfProduct(db, productId);
}

// ---- Files ----------------------------------------------------------------------------------------------------

export function productImageDir(dataDir: string, productId: string): string {
  if (!SAFE_ID.test(productId)) throw errors.notFound();
  return join(dataDir, 'product-images', productId);
}

export function productImagePath(
  dataDir: string,
  image: Pick<ProductImagesTable, 'id' | 'product_id'>,
  width: number,
): string {
  if (!IMAGE_ID.test(image.id) || !Number.isInteger(width) || width < 1 || width > 10_000) throw errors.notFound();
  return join(productImageDir(dataDir, image.product_id), `${image.id}-${width}.webp`);
}

/** A served name, `<uuid>-<width>.webp`, as its parts; undefined for anything else. */
export function parseImageFileName(name: string): { id: string; width: number } | undefined {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([1-9][0-9]{0,4})\.webp$/.exec(name);
  if (!match) return undefined;
  return { id: match[1] as string, width: Number(match[2]) };
}

// ---- Errors ---------------------------------------------------------------------------------------------------

export const imageErrors = {
  type: () =>
    new AppError(415, 'image_type_not_allowed', {
      en: 'This file is not a JPEG, PNG, WebP or AVIF image. Please upload a picture in one of these formats.',
      de: 'Diese Datei ist kein Bild im Format JPEG, PNG, WebP oder AVIF. Bitte laden Sie ein Bild in einem dieser Formate hoch.',
    }),
  tooBig: (maxMb: number) =>
    new AppError(413, 'image_too_large', {
      en: `The image is larger than ${maxMb} MB, the most an image may have.`,
      de: `Das Bild ist größer als ${maxMb} MB, das Höchstmaß für ein Bild.`,
    }),
  tooManyPixels: () =>
    new AppError(413, 'image_too_many_pixels', {
      en: `The image has more than ${MAX_IMAGE_PIXELS / 1_000_000} million pixels. Please scale it down first.`,
      de: `Das Bild hat mehr als ${MAX_IMAGE_PIXELS / 1_000_000} Millionen Pixel. Bitte verkleinern Sie es zuerst.`,
    }),
  tooMany: () =>
    errors.invalid({
      en: `A product has at most ${MAX_IMAGES_PER_PRODUCT} images. Delete one before adding another.`,
      de: `Ein Produkt hat höchstens ${MAX_IMAGES_PER_PRODUCT} Bilder. Löschen Sie eines, bevor Sie ein weiteres hinzufügen.`,
    }),
  missing: () =>
    new AppError(400, 'image_missing', {
      en: 'Please choose an image to upload.',
      de: 'Bitte wählen Sie ein Bild zum Hochladen.',
    }),
  incomplete: () =>
    errors.invalid({
      en: 'The upload was incomplete or had more than one file. Please choose one image and try again.',
      de: 'Der Upload war unvollständig oder enthielt mehr als eine Datei. Bitte wählen Sie ein Bild und versuchen Sie es erneut.',
    }),
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The alt texts of an image, checked: both languages, 1 to ALT_MAX characters; else a 400 naming the fields. */
export function checkAltTexts(raw: { alt_en?: string | undefined; alt_de?: string | undefined }): {
  alt_en: string;
  alt_de: string;
} {
  const clean = (v: string | undefined) => (v ?? '').normalize('NFC').trim().replace(/\s+/g, ' ');
  const alt_en = clean(raw.alt_en);
  const alt_de = clean(raw.alt_de);
  const fields: Record<string, Text> = {};
  const wrong: Text = {
    en: `Describe what the image shows in 1 to ${ALT_MAX} characters.`,
    de: `Beschreiben Sie in 1 bis ${ALT_MAX} Zeichen, was das Bild zeigt.`,
  };
  for (const [name, value] of [
    ['alt_en', alt_en],
    ['alt_de', alt_de],
  ] as const)
    if (value === '' || [...value].length > ALT_MAX || CONTROL.test(value)) fields[name] = wrong;
  if (Object.keys(fields).length > 0)
    throw errors.invalid(
      {
        en: 'Please describe the image in English and German (the text blind visitors hear instead of the image).',
        de: 'Bitte beschreiben Sie das Bild auf Englisch und Deutsch (der Text, den blinde Besucher statt des Bildes hören).',
      },
      fields,
    );
  return { alt_en, alt_de };
}

// ---- Checking and storing an upload --------------------------------------------------------------------------

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (buf: Buffer, from: number, to: number) => buf.subarray(from, to).toString('latin1');

/** The format the first bytes announce, among those accepted; undefined for anything else (text, SVG, GIF...). */
export function imageFormatBySignature(buf: Buffer): 'jpeg' | 'png' | 'webp' | 'avif' | undefined {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  if (ascii(buf, 4, 8) === 'ftyp') {
    const size = buf.readUInt32BE(0);
    const brands = ascii(buf, 8, Math.min(buf.length, Math.max(16, size)));
    if (/avi[fs]/.test(brands)) return 'avif';
  }
  return undefined;
}

/** What sharp reports for each accepted format (AVIF is HEIF with AV1 compression). */
function sharpAgrees(signature: string, meta: Metadata): boolean {
  if (signature === 'avif') return meta.format === 'heif' && meta.compression === 'av1';
  return meta.format === signature;
}

/** An image written to disk but not yet offered (its row): published once the whole upload was accepted. */
export interface PendingImage {
  row: ProductImagesTable;
  paths: string[];
}

/**
 * Decoding a picture of up to 40 million pixels takes hundreds of megabytes: a process decodes one upload at a
 * time, and the others wait their turn, so that parallel uploads cannot exhaust its memory.
 */
let decoding: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = decoding.then(work, work);
  decoding = turn.catch(() => undefined);
  return turn;
}

/**
 * Checks an uploaded image by content, and writes its resized WebP files for product `productId`. Throws a 4xx
 * AppError (nothing left on disk) for a file that is no accepted image or has too many pixels.
 */
export async function writeProductImage(
  deps: Pick<Deps, 'clock' | 'config'>,
  productId: string,
  alt: { alt_en: string; alt_de: string },
  upload: Buffer,
): Promise<PendingImage> {
  const signature = imageFormatBySignature(upload);
  if (!signature) throw imageErrors.type();
  let meta: Metadata;
  try {
    // The header alone (no pixel is decoded here): the pixel count is checked below, with its own message.
    meta = await sharp(upload, { limitInputPixels: false }).metadata();
  } catch {
    throw imageErrors.type();
  }
  if (!sharpAgrees(signature, meta) || !meta.width || !meta.height) throw imageErrors.type();
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw imageErrors.tooManyPixels();
  // EXIF orientations 5 to 8 turn the picture a quarter: its upright width is the stored height.
  const turned = (meta.orientation ?? 1) >= 5;
  const uprightWidth = turned ? meta.height : meta.width;
  const largest = Math.min(uprightWidth, Math.max(...IMAGE_WIDTHS));
  const id = randomUUID();
  const dir = productImageDir(deps.config.dataDir, productId);
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  let height = 0;
  try {
    await inTurn(async () => {
      // Decoded once; each width from the same upright picture. sharp writes no metadata unless asked to.
      const upright = sharp(upload, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
      for (const width of imageWidths(largest)) {
        const path = productImagePath(deps.config.dataDir, { id, product_id: productId }, width);
        paths.push(path);
        const info = await upright
          .clone()
          .resize({ width, withoutEnlargement: true })
          .webp({ quality: 82, effort: 4 })
          .toFile(path);
        if (width === largest) height = info.height;
        // The file's age follows the injected clock, as for every file Candor writes (removeOrphanImageFiles).
        utimesSync(path, deps.clock.now() / 1000, deps.clock.now() / 1000);
      }
    });
  } catch (err) {
    for (const path of paths) rmSync(path, { force: true });
    if (err instanceof AppError) throw err;
    // A picture whose header was fine but whose data is broken: the sender's file, not a fault of the shop.
    if (!(err as { syscall?: string }).syscall) throw imageErrors.type();
    throw err;
  }
  const row: ProductImagesTable = {
    id,
    product_id: productId,
    position: 0,
    ...alt,
    width: largest,
    height,
    created_at: deps.clock.now(),
  };
  return { row, paths };
}

/** Offers a written image (its row, placed last); if that fails, its files are removed. */
export async function publishProductImage(deps: Pick<Deps, 'db' | 'shared'>, pending: PendingImage): Promise<void> {
  try {
    await deps.db.transaction().execute(async (trx) => {
      const position = await q.nextImagePosition(trx, pending.row.product_id);
      await q.insertProductImage(trx, { ...pending.row, position });
    });
  } catch (err) {
    discardProductImage(pending);
    throw err;
  }
  // Listings show each card's main image: the cached ones must not keep the old one.
  announceCatalogChange(deps);
}

export function discardProductImage(pending: PendingImage): void {
  for (const path of pending.paths) rmSync(path, { force: true });
}

export async function countProductImages(deps: Pick<Deps, 'db'>, productId: string): Promise<number> {
  return (await q.listImagesOfProduct(deps.db, productId)).length;
}

async function imageOfProduct(deps: Pick<Deps, 'db'>, productId: string, imageId: string) {
  const image = IMAGE_ID.test(imageId) ? await q.findProductImage(deps.db, imageId) : undefined;
  if (!image || image.product_id !== productId) throw errors.notFound();
  return image;
}

function removeImageFiles(dataDir: string, image: Pick<ProductImagesTable, 'id' | 'product_id' | 'width'>): void {
  for (const width of imageWidths(image.width)) rmSync(productImagePath(dataDir, image, width), { force: true });
}

/** Deletes an image of a product: its row, then its files. */
export async function deleteProductImage(
  deps: Pick<Deps, 'db' | 'config' | 'shared'>,
  productId: string,
  imageId: string,
): Promise<void> {
  const image = await imageOfProduct(deps, productId, imageId);
  await q.deleteProductImageRow(deps.db, image.id);
  announceCatalogChange(deps);
  removeImageFiles(deps.config.dataDir, image);
}

/** Deletes every image of a product (rows and the product's image directory): call it where a product is deleted. */
export async function deleteImagesOfProduct(
  deps: Pick<Deps, 'db' | 'config' | 'shared'>,
  productId: string,
): Promise<void> {
  await q.deleteImagesOfProductRows(deps.db, productId);
  announceCatalogChange(deps);
  rmSync(productImageDir(deps.config.dataDir, productId), { recursive: true, force: true });
}

/** Files younger than this may belong to an upload being checked right now (written, row not yet inserted). */
const ORPHAN_GRACE_MS = 60 * 60_000;

/**
 * Removes image files whose row is gone: a product deleted in the database directly (its rows went by cascade), or
 * a process that died between writing an upload's files and inserting its row (after an hour's grace). Idempotent;
 * returns how many files it removed.
 */
export async function removeOrphanImageFiles(deps: Pick<Deps, 'db' | 'config' | 'clock'>): Promise<number> {
  const root = join(deps.config.dataDir, 'product-images');
  let products: string[];
  try {
    products = readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const product of products) {
    const dir = join(root, product);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const parsed = names.map((name) => ({ name, parts: parseImageFileName(name) }));
    const ids = [...new Set(parsed.flatMap((p) => (p.parts ? [p.parts.id] : [])))];
    const existing = await q.existingImageIds(deps.db, ids);
    for (const { name, parts } of parsed) {
      if (parts && existing.has(parts.id)) continue;
      const modified = statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs;
      if (modified === undefined || modified > deps.clock.now() - ORPHAN_GRACE_MS) continue;
      rmSync(join(dir, name), { force: true });
      removed++;
    }
    try {
      if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another process: nothing left to do.
    }
  }
  return removed;
}

/** Saves the alt texts of an image (both languages, checked). */
export async function saveImageAlt(
  deps: Pick<Deps, 'db' | 'shared'>,
  productId: string,
  imageId: string,
  raw: { alt_en?: string | undefined; alt_de?: string | undefined },
): Promise<void> {
  const image = await imageOfProduct(deps, productId, imageId);
  await q.updateImageAlt(deps.db, image.id, checkAltTexts(raw));
  announceCatalogChange(deps);
}

/** Moves an image one place up or down, or to the front ("main"); positions are renumbered 0, 1, 2... */
export async function moveProductImage(
  deps: Pick<Deps, 'db' | 'shared'>,
  productId: string,
  imageId: string,
  move: 'up' | 'down' | 'first',
): Promise<void> {
  await imageOfProduct(deps, productId, imageId);
  await deps.db.transaction().execute(async (trx) => {
    const ids = (await q.listImagesOfProduct(trx, productId)).map((i) => i.id);
    const at = ids.indexOf(imageId);
    const to = move === 'first' ? 0 : move === 'up' ? Math.max(0, at - 1) : Math.min(ids.length - 1, at + 1);
    ids.splice(at, 1);
    ids.splice(to, 0, imageId);
    await q.setImagePositions(trx, ids);
  });
  announceCatalogChange(deps);
}

/**
 * The image a served name stands for, if that width of it is stored; undefined otherwise (answered 404). `draft`:
 * its product is a draft, not in the shop yet, so the file is for staff only and never cached publicly.
 */
export async function findServedImage(
  deps: Pick<Deps, 'db' | 'config'>,
  name: string,
): Promise<{ path: string; draft: boolean } | undefined> {
  const parts = parseImageFileName(name);
  if (!parts) return undefined;
  const image = await q.findProductImageWithStatus(deps.db, parts.id);
  if (!image || !imageWidths(image.width).includes(parts.width)) return undefined;
  return {
    path: productImagePath(deps.config.dataDir, image, parts.width),
    draft: image.product_status === 'draft',
  };
}
