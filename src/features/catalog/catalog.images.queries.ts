// SQL of product images.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../database.ts';
import { dbKindOf } from '../../platform/db/dialect.ts';
import type { ProductImagesTable } from './catalog.images.tables.ts';

type Db = Kysely<Database>;

/** What a product card shows of its main (first) image. */
export type MainImage = Pick<ProductImagesTable, 'id' | 'alt_en' | 'alt_de' | 'width' | 'height'>;

/**
 * A column of a product's main image (lowest position, then id) as one JSON array `[id, alt_en, alt_de, width,
 * height]`, null without one; `productId` names the column holding the product's id. A listing reads it with its
 * cards in the same statement, one seek of product_images_main per card, outside the page's own query so that only
 * the page's rows are looked up and the page's plan stays as it is (decision 0063).
 */
export function mainImageColumn(db: Db, productId: string): RawBuilder<string | unknown[] | null> {
  const array = dbKindOf(db) === 'postgres' ? sql.raw('json_build_array') : sql.raw('json_array');
  return sql<
    string | unknown[] | null
  >`(select ${array}(i.id, i.alt_en, i.alt_de, i.width, i.height) from product_images i where i.product_id = ${sql.ref(productId)} order by i.position, i.id limit 1)`;
}

/** The value of mainImageColumn as a MainImage (SQLite gives the JSON as text, PostgreSQL's driver parses it). */
export function mainImageFrom(value: string | unknown[] | null | undefined): MainImage | null {
  if (value === null || value === undefined) return null;
  const [id, altEn, altDe, width, height] = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[];
  return { id: String(id), alt_en: String(altEn), alt_de: String(altDe), width: Number(width), height: Number(height) };
}

export function listImagesOfProduct(db: Db, productId: string): Promise<ProductImagesTable[]> {
  return db
    .selectFrom('product_images')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function findProductImage(db: Db, id: string): Promise<ProductImagesTable | undefined> {
  return db.selectFrom('product_images').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An image with the status of its product (a draft's images are not public). */
export function findProductImageWithStatus(
  db: Db,
  id: string,
): Promise<(ProductImagesTable & { product_status: string }) | undefined> {
  return db
    .selectFrom('product_images')
    .innerJoin('products', 'products.id', 'product_images.product_id')
    .selectAll('product_images')
    .select('products.status as product_status')
    .where('product_images.id', '=', id)
    .executeTakeFirst();
}

export async function nextImagePosition(db: Db, productId: string): Promise<number> {
  const row = await db
    .selectFrom('product_images')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export async function insertProductImage(db: Db, row: ProductImagesTable): Promise<void> {
  await db.insertInto('product_images').values(row).execute();
}

export async function updateImageAlt(db: Db, id: string, alt: { alt_en: string; alt_de: string }): Promise<void> {
  await db.updateTable('product_images').set(alt).where('id', '=', id).execute();
}

export async function setImagePositions(db: Db, ordered: string[]): Promise<void> {
  for (const [position, id] of ordered.entries())
    await db.updateTable('product_images').set({ position }).where('id', '=', id).execute();
}

export async function deleteProductImageRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('product_images').where('id', '=', id).execute();
}

export async function deleteImagesOfProductRows(db: Db, productId: string): Promise<void> {
  await db.deleteFrom('product_images').where('product_id', '=', productId).execute();
}

/** Every image id that still has a row, among the given ones (for removing files whose row is gone). */
export async function existingImageIds(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('product_images')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}
