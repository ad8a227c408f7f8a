// Bulk edit of the staff product list: a new absolute price and/or stock figure per selected product. Every row is
// checked before anything is written, and all changes are saved in one transaction, so a wrong value in one row
// changes nothing at all (decision 0042: absolute euros, no percentages).
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import { updatePriceAndStock } from './catalog.console.queries.ts';
import { findProductsByIds } from './catalog.queries.ts';
import type { ProductsTable } from './catalog.tables.ts';

/** The most rows one bulk edit takes (one page of the list). */
export const BULK_MAX = 100;

/** What staff typed for one selected product; an empty value leaves that figure as it is. */
export interface BulkRow {
  id: string;
  price: string;
  stock: string;
}

export interface BulkChange {
  product: ProductsTable;
  price?: { from: number; to: number };
  stock?: { from: number | null; to: number };
}

/** A refusal of the whole edit: a message per row id and field (`price.<id>`, `stock.<id>`), nothing saved. */
export class BulkEditRefused extends AppError {
  constructor(
    readonly rowErrors: Record<string, Text>,
    readonly products: ProductsTable[],
  ) {
    super(
      400,
      'bulk_edit_refused',
      {
        en: 'Nothing was changed: please correct the marked values.',
        de: 'Es wurde nichts geändert: Bitte korrigieren Sie die markierten Werte.',
      },
      rowErrors,
    );
  }
}

const priceProblem: Text = {
  en: 'Enter a price such as 199.00, from 0.01 to 999,999.99.',
  de: 'Geben Sie einen Preis wie 199,00 ein, von 0,01 bis 999.999,99.',
};

/** Euro text ("199", "199.5", "199,50") as cents; NaN when it is not a price from 0.01 to 999,999.99. */
function centsOf(text: string): number {
  const value = text.trim().replace(',', '.');
  const cents = /^\d{1,6}(\.\d{1,2})?$/.test(value) ? Math.round(Number(value) * 100) : Number.NaN;
  return cents > 0 ? cents : Number.NaN;
}

/**
 * Applies the rows (each product at most once) all or nothing, and answers what changed, value by value. A row
 * whose values equal the current ones changes nothing and is not listed.
 */
export async function bulkEditProducts(deps: Pick<Deps, 'db' | 'dbKind'>, rows: BulkRow[]): Promise<BulkChange[]> {
  const noneSelected: Text = {
    en: 'Select at least one product and enter a new price or stock figure.',
    de: 'Wählen Sie mindestens ein Produkt und geben Sie einen neuen Preis oder Bestand ein.',
  };
  if (rows.length === 0) throw new AppError(400, 'nothing_selected', noneSelected);
  if (rows.length > BULK_MAX) {
    throw new AppError(400, 'too_many_rows', {
      en: `Edit at most ${BULK_MAX} products at once.`,
      de: `Bearbeiten Sie höchstens ${BULK_MAX} Produkte auf einmal.`,
    });
  }
  const products = await findProductsByIds(
    deps.db,
    rows.map((r) => r.id),
  );
  const byId = new Map(products.map((p) => [p.id, p]));
  const errors: Record<string, Text> = {};
  const changes: BulkChange[] = [];
  for (const row of rows) {
    const product = byId.get(row.id);
    if (!product) {
      errors[`price.${row.id}`] = { en: 'This product no longer exists.', de: 'Dieses Produkt gibt es nicht mehr.' };
      continue;
    }
    const change: BulkChange = { product };
    if (row.price.trim() !== '') {
      const cents = centsOf(row.price);
      if (Number.isNaN(cents)) errors[`price.${row.id}`] = priceProblem;
      else if (cents !== product.price_cents) change.price = { from: product.price_cents, to: cents };
    }
    if (row.stock.trim() !== '') {
      const stockText = row.stock.trim();
      if (product.kind !== 'hardware') {
        errors[`stock.${row.id}`] = {
          en: 'Only hardware has a stock figure; leave this empty.',
          de: 'Nur Hardware hat einen Bestand; lassen Sie das Feld leer.',
        };
      } else if (!/^\d{1,6}$/.test(stockText)) {
        errors[`stock.${row.id}`] = {
          en: 'Enter a whole number from 0 to 999,999.',
          de: 'Geben Sie eine ganze Zahl von 0 bis 999.999 ein.',
        };
      } else if (Number(stockText) !== product.stock) {
        change.stock = { from: product.stock, to: Number(stockText) };
      }
    }
    if (change.price || change.stock) changes.push(change);
  }
  if (Object.keys(errors).length > 0) throw new BulkEditRefused(errors, products);
  if (changes.length === 0) {
    throw new AppError(400, 'nothing_changed', {
      en: 'The values entered are the current ones: nothing to change.',
      de: 'Die eingegebenen Werte sind die aktuellen: Es gibt nichts zu ändern.',
    });
  }
  await deps.db.transaction().execute(async (trx) => {
    for (const c of changes) {
      // Only over the values read above: an order that took stock meanwhile makes the whole edit stop, not vanish.
      const saved = await updatePriceAndStock(
        trx,
        c.product.id,
        {
          ...(c.price ? { price_cents: c.price.to } : {}),
          ...(c.stock ? { stock: c.stock.to } : {}),
        },
        { price_cents: c.product.price_cents, stock: c.product.stock },
      );
      if (!saved) {
        throw new AppError(409, 'changed_meanwhile', {
          en: 'A product was changed (or sold) while you were editing; nothing was saved. Please check the values again.',
          de: 'Ein Produkt wurde während Ihrer Bearbeitung geändert (oder verkauft); nichts wurde gespeichert. Bitte prüfen Sie die Werte erneut.',
        });
      }
    }
  });
  return changes;
}
