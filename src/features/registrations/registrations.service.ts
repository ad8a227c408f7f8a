// Registering hardware serial numbers: format checked, one owner at a time, released on resale. A unit this shop
// sold (its serial recorded on the order when it shipped) is registered by its buyer only; every disputed attempt
// goes to the staff review queue with one neutral answer, so an attempt tells nobody who owns a unit. The buyer
// claims a unit registered by someone else with the order number that holds its serial.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { fromBool, isUniqueViolation, toBool } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { findSaleOfSerial, isSerial, normaliseSerial, serialFormatText } from '../orders/index.ts';
import type { ConsolePerson, RegistrationRow, StaffRegistrationList, StaffReviewQueue } from './registrations.pages.ts';
import * as q from './registrations.queries.ts';
import type { HardwareRegistrationsTable, ReviewReason } from './registrations.tables.ts';

/** What registration draws on: the database and the clock. */
type RegistrationsDeps = Pick<Deps, 'db' | 'clock'>;

export type RegistrationOutcome =
  { status: 'registered'; registration: HardwareRegistrationsTable } | { status: 'under_review' };

/** Open reviews one account may have at a time: nobody can flood the staff queue. */
const MAX_OPEN_REVIEWS = 5;

export const underReviewText: Text = {
  en: 'Thank you. We are checking this registration and will add the device to your account if it is yours. If you bought it from us, enter your order number as proof.',
  de: 'Danke. Wir prüfen diese Registrierung und tragen das Gerät in Ihr Konto ein, wenn es Ihnen gehört. Haben Sie es bei uns gekauft, geben Sie Ihre Bestellnummer als Nachweis an.',
};

const tooManyReviews = () =>
  new AppError(429, 'too_many_registration_reviews', {
    en: 'Several of your registrations are still being checked. Please wait for our answer before you register more devices.',
    de: 'Mehrere Ihrer Registrierungen werden noch geprüft. Bitte warten Sie unsere Antwort ab, bevor Sie weitere Geräte registrieren.',
  });

const ORDER_NUMBER = /^[0-9A-Z-]{4,40}$/;

export async function registerHardware(
  deps: RegistrationsDeps,
  userId: string,
  productId: string,
  rawSerial: string,
  rawOrderNumber?: string,
): Promise<RegistrationOutcome> {
  const serial = normaliseSerial(rawSerial);
  const orderNumber = rawOrderNumber?.trim().toUpperCase() || undefined;
  const fields: Record<string, Text> = {};
  if (!isSerial(serial)) fields.serial = serialFormatText;
  if (orderNumber !== undefined && !ORDER_NUMBER.test(orderNumber))
    fields.orderNumber = {
      en: 'An order number looks like 2026-4F7E2C9A1B (in your order confirmation).',
      de: 'Eine Bestellnummer sieht aus wie 2026-4F7E2C9A1B (in Ihrer Bestellbestätigung).',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  const [product] = await findProductsByIds(deps.db, [productId]);
  if (!product || product.kind !== 'hardware')
    throw errors.invalidFields({
      productId: { en: 'Choose one of our hardware products.', de: 'Wählen Sie eines unserer Hardware-Produkte.' },
    });
  try {
    return await decide(deps, userId, productId, serial, orderNumber);
  } catch (err) {
    // Someone registered the same serial number at the same moment: decide again, now seeing their registration.
    if (isUniqueViolation(err)) return decide(deps, userId, productId, serial, orderNumber);
    throw err;
  }
}

async function decide(
  deps: RegistrationsDeps,
  userId: string,
  productId: string,
  serial: string,
  orderNumber: string | undefined,
): Promise<RegistrationOutcome> {
  const sale = await findSaleOfSerial(deps.db, serial);
  return deps.db.transaction().execute(async (trx): Promise<RegistrationOutcome> => {
    const now = deps.clock.now();
    const register = async (): Promise<RegistrationOutcome> => {
      const row: HardwareRegistrationsTable = {
        id: randomUUID(),
        user_id: userId,
        product_id: sale?.productId ?? productId,
        serial,
        registered_at: now,
        released_at: null,
        assigned_by_staff: fromBool(false),
      };
      await q.insertRegistration(trx, row);
      await q.deleteOpenReview(trx, userId, serial);
      return { status: 'registered', registration: row };
    };
    const review = async (reason: ReviewReason): Promise<RegistrationOutcome> => {
      if (!(await q.findOpenReview(trx, userId, serial))) {
        if ((await q.countOpenReviewsOfUser(trx, userId)) >= MAX_OPEN_REVIEWS) throw tooManyReviews();
        await q.insertReview(trx, {
          id: randomUUID(),
          user_id: userId,
          product_id: productId,
          serial,
          reason,
          order_number: orderNumber ?? null,
          created_at: now,
          resolved_at: null,
          resolution: null,
        });
      }
      return { status: 'under_review' };
    };

    const existing = await q.findActiveRegistrationBySerial(trx, serial);
    if (existing?.user_id === userId) return { status: 'registered', registration: existing };
    const soldToAnother = sale !== undefined && sale.userId !== userId;
    // A buyer who released their registration sold or gave the unit away: then it is free for the next owner.
    if (!existing)
      return soldToAnother && !(await q.hasReleasedRegistration(trx, sale.userId, serial))
        ? review('sold-to-another')
        : register();
    // Registered to someone else. The proof: this account's order, by its number, holds the serial number.
    const proven = sale !== undefined && sale.userId === userId && sale.orderNumber === orderNumber;
    // Not against a staff decision, and not by a buyer who released the unit (sold or gave it away) themselves.
    if (proven && !toBool(existing.assigned_by_staff) && !(await q.hasReleasedRegistration(trx, userId, serial))) {
      await q.releaseActiveRegistrationOfSerial(trx, serial, now);
      return register();
    }
    return review(soldToAnother ? 'sold-to-another' : 'registered-to-another');
  });
}

export async function releaseHardware(deps: RegistrationsDeps, userId: string, id: string): Promise<void> {
  if (!(await q.releaseRegistration(deps.db, userId, id, deps.clock.now()))) throw errors.notFound();
}

const alreadyDecided = () =>
  new AppError(409, 'review_resolved', {
    en: 'This review was decided meanwhile; reload the page.',
    de: 'Diese Prüfung wurde inzwischen entschieden; bitte laden Sie die Seite neu.',
  });

/** Staff decide a review: assign the serial number to the claimant (releasing whoever holds it) or reject the claim. */
export async function resolveReview(
  deps: RegistrationsDeps,
  reviewId: string,
  decision: 'assign' | 'reject',
): Promise<void> {
  const found = await q.findReviewById(deps.db, reviewId);
  if (!found) throw errors.notFound();
  // The unit's product as sold here, if it was: the claimant may have picked another one in the form.
  const sale = await findSaleOfSerial(deps.db, found.serial);
  await deps.db.transaction().execute(async (trx) => {
    const review = await q.findReviewById(trx, reviewId);
    if (!review) throw errors.notFound();
    const now = deps.clock.now();
    if (!(await q.resolveReviewIfOpen(trx, review.id, decision === 'assign' ? 'assigned' : 'rejected', now)))
      throw alreadyDecided();
    if (decision === 'reject') return;
    await q.releaseActiveRegistrationOfSerial(trx, review.serial, now);
    await q.insertRegistration(trx, {
      id: randomUUID(),
      user_id: review.user_id,
      product_id: sale?.productId ?? review.product_id,
      serial: review.serial,
      registered_at: now,
      released_at: null,
      assigned_by_staff: fromBool(true),
    });
  });
}

const productTitles = async (deps: Pick<Deps, 'db'>, ids: string[], lang: Lang) => {
  const products = await findProductsByIds(deps.db, [...new Set(ids)]);
  const titles = new Map(products.map((p) => [p.id, productTitle(p, lang)]));
  return (id: string) => titles.get(id) ?? id;
};

/** Registrations as the pages list them: with the product's title. */
export async function registrationRows(
  deps: Pick<Deps, 'db'>,
  lang: Lang,
  rows: HardwareRegistrationsTable[],
): Promise<(RegistrationRow & { userId: string })[]> {
  const title = await productTitles(
    deps,
    rows.map((r) => r.product_id),
    lang,
  );
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    title: title(r.product_id),
    registeredAt: r.registered_at,
    userId: r.user_id,
  }));
}

/** The console's keyset (web/keyset.ts): the time and id of the last row of the page before; bad ones are a 400. */
const readKeyset = (value: string | undefined) => {
  const cursor = parseNumberCursor(value);
  return cursor && { at: cursor.value, id: cursor.id };
};
const CONSOLE_PAGE = 50;
const DECIDED_WINDOW = 30 * 24 * 60 * 60 * 1000;

type Person = ConsolePerson;

const personOf = (people: Map<string, { name: string; email: string }>, id: string): Person => {
  const found = people.get(id);
  return { id, name: found?.name ?? null, email: found?.email ?? null };
};

/** The sale of each serial number (orders' findSaleOfSerial), once per serial. */
async function salesOf(deps: Pick<Deps, 'db'>, serials: string[]) {
  const sales = new Map<string, Awaited<ReturnType<typeof findSaleOfSerial>>>();
  for (const serial of new Set(serials)) sales.set(serial, await findSaleOfSerial(deps.db, serial));
  return sales;
}

/**
 * The staff list of registrations: active ones newest first; with a whole serial number, that unit's history (released
 * registrations too); with part of one, the active registrations whose serial contains it. Each with its holder and
 * the order that sold the unit here, if one did.
 */
export async function staffRegistrationList(
  deps: Pick<Deps, 'db'>,
  lang: Lang,
  query: { serial?: string | undefined; after?: string | undefined },
): Promise<StaffRegistrationList> {
  const term = query.serial ? normaliseSerial(query.serial).replace(/\s+/g, '') : '';
  const rows = await q.searchRegistrations(deps.db, {
    ...(term && isSerial(term) ? { serial: term } : term ? { serialPart: term } : {}),
    ...(readKeyset(query.after) ? { after: readKeyset(query.after)! } : {}),
    limit: CONSOLE_PAGE,
  });
  const page = rows.slice(0, CONSOLE_PAGE);
  const last = page.at(-1);
  const sales = await salesOf(
    deps,
    page.map((r) => r.serial),
  );
  const people = await q.findPeople(
    deps.db,
    [...sales.values()].flatMap((s) => (s ? [s.userId] : [])),
  );
  const title = await productTitles(
    deps,
    page.map((r) => r.product_id),
    lang,
  );
  return {
    term,
    open: Object.values((await q.countReviews(deps.db, 0)).open).reduce<number>((a, b) => a + (b ?? 0), 0),
    next: rows.length > CONSOLE_PAGE && last ? encodeCursor(last.registered_at, last.id) : null,
    rows: page.map((r) => {
      const sale = sales.get(r.serial);
      return {
        id: r.id,
        serial: r.serial,
        title: title(r.product_id),
        registeredAt: r.registered_at,
        releasedAt: r.released_at,
        byStaff: toBool(r.assigned_by_staff),
        holder: { id: r.user_id, name: r.holder_name, email: r.holder_email },
        sale: sale
          ? { orderId: sale.orderId, orderNumber: sale.orderNumber, buyer: personOf(people, sale.userId) }
          : null,
      };
    }),
  };
}

/**
 * The review queue: open reviews oldest first, with who claims, who holds the unit now and who bought it here; the
 * counts by reason and of recent decisions; and units registered to someone other than their buyer without a
 * review (registered before the shop recorded the serial number, not yet claimed by the buyer).
 */
export async function staffReviewQueue(
  deps: Pick<Deps, 'db' | 'clock'>,
  lang: Lang,
  query: { after?: string | undefined; heldAfter?: string | undefined },
): Promise<StaffReviewQueue> {
  const reviews = await q.listOpenReviewsPage(deps.db, CONSOLE_PAGE, readKeyset(query.after));
  const page = reviews.slice(0, CONSOLE_PAGE);
  const held = await q.listRegistrationsHeldByOthers(deps.db, CONSOLE_PAGE, readKeyset(query.heldAfter));
  const heldPage = held.slice(0, CONSOLE_PAGE);
  const holders = new Map<string, HardwareRegistrationsTable>();
  for (const r of page) {
    const holder = await q.findActiveRegistrationBySerial(deps.db, r.serial);
    if (holder) holders.set(r.serial, holder);
  }
  const sales = await salesOf(deps, [...page.map((r) => r.serial), ...heldPage.map((r) => r.serial)]);
  const people = await q.findPeople(deps.db, [
    ...page.map((r) => r.user_id),
    ...[...holders.values()].map((r) => r.user_id),
    ...[...sales.values()].flatMap((s) => (s ? [s.userId] : [])),
  ]);
  const title = await productTitles(
    deps,
    [...page.map((r) => r.product_id), ...heldPage.map((r) => r.product_id)],
    lang,
  );
  const counts = await q.countReviews(deps.db, deps.clock.now() - DECIDED_WINDOW);
  const lastReview = page.at(-1);
  const lastHeld = heldPage.at(-1);
  const saleOf = (serial: string) => {
    const sale = sales.get(serial);
    return sale ? { orderId: sale.orderId, orderNumber: sale.orderNumber, buyer: personOf(people, sale.userId) } : null;
  };
  return {
    counts: {
      soldToAnother: counts.open['sold-to-another'] ?? 0,
      registeredToAnother: counts.open['registered-to-another'] ?? 0,
      decidedRecently: counts.decidedSince,
    },
    reviews: page.map((r) => {
      const holder = holders.get(r.serial);
      return {
        id: r.id,
        serial: r.serial,
        title: title(r.product_id),
        claimant: personOf(people, r.user_id),
        reason: r.reason,
        orderNumber: r.order_number,
        createdAt: r.created_at,
        holder: holder ? personOf(people, holder.user_id) : null,
        sale: saleOf(r.serial),
      };
    }),
    next: reviews.length > CONSOLE_PAGE && lastReview ? encodeCursor(lastReview.created_at, lastReview.id) : null,
    // Only units whose order still counts as a sale (orders decides: not cancelled, refunded or restricted).
    held: heldPage.flatMap((r) => {
      const sale = saleOf(r.serial);
      if (!sale || sale.buyer.id === r.user_id) return [];
      return [
        {
          id: r.id,
          serial: r.serial,
          title: title(r.product_id),
          registeredAt: r.registered_at,
          releasedAt: r.released_at,
          byStaff: false,
          holder: { id: r.user_id, name: r.holder_name, email: r.holder_email },
          sale,
        },
      ];
    }),
    heldNext: held.length > CONSOLE_PAGE && lastHeld ? encodeCursor(lastHeld.registered_at, lastHeld.id) : null,
  };
}
