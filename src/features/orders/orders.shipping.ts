// Shipping an order (issue 11, point 8): staff give the carrier (from the operator's list), the parcel's tracking
// number and the serial number of every hardware unit; in one transaction the order becomes shipped with its
// carrier and tracking number, the serials are recorded and the customer's shipping mail enters the outbox.
// Every problem of the form is answered in one pass; nothing changes unless all is right. An order with a line
// of goods the customer withdrew from is not shipped (409, decision 0035): staff settle the withdrawal first (refund
// the order, or cancel it), so no withdrawn unit leaves and no serial is asked for one.
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import type { Carrier, Operator } from '../../platform/operator.ts';
import { findUserById } from '../accounts/index.ts';
import { enqueueMail } from '../mail/index.ts';
import { statusNames } from './orders.emails.ts';
import * as q from './orders.queries.ts';
import { withHistory } from './orders.service.ts';
import { shippingMail } from './orders.shipping-emails.ts';
import type { OrderLine, OrdersTable } from './orders.tables.ts';
import { listWithdrawalsOfOrder, lockOrderRow } from './withdrawals.queries.ts';
import { withdrawnLineNos } from './withdrawals.service.ts';
import { checkOrderSerials, serialRecordedMeanwhile, storeOrderSerials } from './serials.service.ts';

export interface ShipInput {
  carrier: string;
  tracking: string;
  /** One serial number per hardware unit, `serials[i]` for unit i (as the serials form numbers them). */
  serials: string[];
}

/** A tracking number as carriers print it, without spaces: 6 to 40 letters, digits and inner hyphens. */
const TRACKING = /^[A-Z0-9][A-Z0-9-]{4,38}[A-Z0-9]$/;

export function normaliseTracking(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** The carrier's tracking page of this parcel. */
export function trackingUrl(carrier: Carrier, tracking: string): string {
  return carrier.trackingUrl.replace('{tracking}', encodeURIComponent(tracking));
}

/** What the customer's order page and mail show of a shipped parcel; null before it ships. */
export function trackingOf(
  operator: Pick<Operator, 'carriers'>,
  order: Pick<OrdersTable, 'carrier' | 'tracking_number'>,
): { carrier: string; number: string; url: string } | null {
  if (!order.carrier || !order.tracking_number) return null;
  const carrier = operator.carriers.find((c) => c.id === order.carrier);
  // A carrier the operator removed from the list since: the number is still shown, with no link to guess.
  if (!carrier) return { carrier: order.carrier, number: order.tracking_number, url: '' };
  return { carrier: carrier.name, number: order.tracking_number, url: trackingUrl(carrier, order.tracking_number) };
}

const notShippable = (order: OrdersTable) =>
  new AppError(409, 'not_shippable', {
    en: `Only a paid order can be shipped; this one is “${statusNames[order.status].en}”.`,
    de: `Nur eine bezahlte Bestellung kann versandt werden; diese ist „${statusNames[order.status].de}“.`,
  });

const withdrawnGoods = (titles: string[]) =>
  new AppError(409, 'withdrawn_goods', {
    en: `The customer withdrew from ${titles.map((t) => `“${t}”`).join(', ')}: this order is not shipped. Refund the withdrawn items and settle the order by hand (see Withdrawals).`,
    de: `Der Kunde hat ${titles.map((t) => `„${t}“`).join(', ')} widerrufen: Diese Bestellung wird nicht versandt. Erstatten Sie die widerrufenen Artikel und klären Sie die Bestellung von Hand (siehe Widerrufe).`,
  });

export async function shipOrder(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  orderId: string,
  input: ShipInput,
): Promise<OrdersTable> {
  const operator = deps.config.operator;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const order = await q.findOrderById(trx, orderId);
      if (!order || order.restricted_at !== null) throw errors.notFound();
      if (order.status !== 'paid') throw notShippable(order);
      // The row lock that withdrawals take too (withdrawals.service.ts): none slips in between this check and the update.
      await lockOrderRow(trx, order.id);
      const withdrawn = withdrawnLineNos(await listWithdrawalsOfOrder(trx, order.id));
      const withdrawnGoodsTitles = (JSON.parse(order.lines) as OrderLine[])
        .filter((l, i) => l.kind === 'hardware' && withdrawn.has(i))
        .map((l) => l.title);
      if (withdrawnGoodsTitles.length > 0) throw withdrawnGoods(withdrawnGoodsTitles);
      const fields: Record<string, Text> = {};
      const carrier = operator.carriers.find((c) => c.id === input.carrier);
      if (!carrier)
        fields.carrier = { en: 'Choose the carrier of the parcel.', de: 'Wählen Sie den Versanddienstleister.' };
      const tracking = normaliseTracking(input.tracking);
      if (tracking === '')
        fields.tracking = {
          en: 'Enter the tracking number of the parcel.',
          de: 'Geben Sie die Sendungsnummer des Pakets ein.',
        };
      else if (!TRACKING.test(tracking))
        fields.tracking = {
          en: 'Enter the tracking number as the carrier prints it: 6 to 40 letters and digits.',
          de: 'Geben Sie die Sendungsnummer so ein, wie der Versanddienstleister sie druckt: 6 bis 40 Buchstaben und Ziffern.',
        };
      const serials = await checkOrderSerials(trx, order, input.serials, fields);
      if (Object.keys(fields).length > 0 || !carrier) throw errors.invalidFields(fields);
      const now = deps.clock.now();
      await storeOrderSerials(trx, order, serials, now);
      const changes = { ...withHistory(order, 'shipped', now), carrier: carrier.id, tracking_number: tracking };
      if (!(await q.updateOrderIfStatus(trx, order.id, 'paid', changes)))
        throw new AppError(409, 'order_changed', {
          en: 'The order was changed meanwhile; reload and try again.',
          de: 'Die Bestellung wurde inzwischen geändert; bitte neu laden.',
        });
      const shipped: OrdersTable = { ...order, ...changes };
      const user = await findUserById(trx, order.user_id);
      if (user)
        await enqueueMail(
          trx,
          deps.clock,
          shippingMail(user.lang === 'de' ? 'de' : 'en', user.email, shipped, {
            carrier: carrier.name,
            number: tracking,
            url: trackingUrl(carrier, tracking),
            shippedAt: now,
            timeZone: operator.timeZone,
            baseUrl: deps.config.baseUrl,
            company: operator.company,
            contact: operator.email,
          }),
        );
      return shipped;
    });
  } catch (err) {
    throw serialRecordedMeanwhile(err);
  }
}
