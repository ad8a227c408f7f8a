// Registering hardware serial numbers: format checked, one owner at a time, released on resale. A unit this shop
// sold (its serial recorded on the order when it shipped) is registered by its buyer only; every disputed attempt
// goes to the staff review queue with one neutral answer, so an attempt tells nobody who owns a unit. The buyer
// claims a unit registered by someone else with the order number that holds its serial.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { fromBool, isUniqueViolation, toBool } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { findProductsByIds, productTitle } from '../catalog/index.ts';
import { findSaleOfSerial, isSerial, normaliseSerial, serialFormatText } from '../orders/index.ts';
import type { RegistrationRow, ReviewRow } from './registrations.pages.ts';
import * as q from './registrations.queries.ts';
import type { HardwareRegistrationsTable, RegistrationReviewsTable, ReviewReason } from './registrations.tables.ts';

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

/** One open review with what staff need to decide it: who holds the serial number now, and who bought it here. */
export interface ReviewCase {
  review: RegistrationReviewsTable;
  holderUserId: string | null;
  sale: { userId: string; orderNumber: string } | null;
}

export async function listReviewQueue(deps: Pick<Deps, 'db'>): Promise<ReviewCase[]> {
  const reviews = await q.listOpenReviews(deps.db);
  return Promise.all(
    reviews.map(async (review) => {
      const holder = await q.findActiveRegistrationBySerial(deps.db, review.serial);
      const sale = await findSaleOfSerial(deps.db, review.serial);
      return {
        review,
        holderUserId: holder?.user_id ?? null,
        sale: sale ? { userId: sale.userId, orderNumber: sale.orderNumber } : null,
      };
    }),
  );
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

/** The review queue as the staff page lists it. */
export async function reviewRows(deps: Pick<Deps, 'db'>, lang: Lang): Promise<ReviewRow[]> {
  const cases = await listReviewQueue(deps);
  const title = await productTitles(
    deps,
    cases.map((c) => c.review.product_id),
    lang,
  );
  return cases.map(({ review: r, holderUserId, sale }) => ({
    id: r.id,
    serial: r.serial,
    title: title(r.product_id),
    userId: r.user_id,
    reason: r.reason,
    orderNumber: r.order_number,
    createdAt: r.created_at,
    holderUserId,
    sale,
  }));
}
