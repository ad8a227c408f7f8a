// Use cases of the staff order page (issue 12, point 2): internal notes; cancelling an unpaid invoice order and
// refunding a paid order (full or per line), both irreversible and so confirmed on a page of their own; recording
// the bank transfer that paid an invoice order. Invariants: the refunds of an order never add up to more than its
// total (checked with the order row locked, a refund's amount reserved before the provider is asked, so two refunds
// at once cannot both pass); a refund the provider refuses leaves nothing behind; refunded and cancelled lines'
// licences no longer activate.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Viewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import type { RefundResult } from '../../shop/payment-provider.ts';
import { findUserById } from '../accounts/index.ts';
import { releaseStock } from '../catalog/index.ts';
import {
  findInvoiceByOrderId,
  invoicePaymentDetails,
  issueCorrection,
  type CorrectionLine,
} from '../invoices/index.ts';
import { listLicencesOfOrder, revokeWithdrawnLines } from '../licences/index.ts';
import type { OrderPageModel } from './order-page.pages.ts';
import * as cq from './order-page.queries.ts';
import type { OrderNotesTable, OrderRefundsTable, RefundedLine } from './order-page.tables.ts';
import { listOrderCorrections } from './orders.corrections.ts';
import * as q from './orders.queries.ts';
import { getOrderForStaff, withHistory } from './orders.service.ts';
import type { OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';

export const NOTE_MAX = 2000;
/** A SEPA remittance text has at most 140 characters. */
export const PAID_REFERENCE_MAX = 140;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const notFound = () => errors.notFound();

// ---------------------------------------------------------------------------------------------------------------
// Notes

/** Adds a note by `author` to an order; the text is trimmed, 1 to NOTE_MAX characters, no control characters. */
export async function addOrderNote(
  deps: Pick<Deps, 'db' | 'clock'>,
  author: Viewer,
  orderId: string,
  text: string,
): Promise<OrderNotesTable> {
  const order = await getOrderForStaff(deps, orderId);
  const body = text.replace(/\r\n?/g, '\n').trim();
  if (body === '')
    throw errors.invalidFields({ note: { en: 'Write the note first.', de: 'Schreiben Sie zuerst die Notiz.' } });
  if ([...body].length > NOTE_MAX)
    throw errors.invalidFields({
      note: {
        en: `A note has at most ${NOTE_MAX} characters; this one has ${[...body].length}.`,
        de: `Eine Notiz hat höchstens ${NOTE_MAX} Zeichen; diese hat ${[...body].length}.`,
      },
    });
  if (CONTROL.test(body))
    throw errors.invalidFields({
      note: {
        en: 'Remove the invisible control characters.',
        de: 'Bitte entfernen Sie die unsichtbaren Steuerzeichen.',
      },
    });
  const note: OrderNotesTable = {
    id: randomUUID(),
    order_id: order.id,
    user_id: order.user_id,
    author_id: author.userId,
    body,
    order_created_at: order.created_at,
    created_at: deps.clock.now(),
    restricted_at: null,
  };
  await cq.insertOrderNote(deps.db, note);
  return note;
}

// ---------------------------------------------------------------------------------------------------------------
// Cancel

const notCancellable = (order: OrdersTable) =>
  new AppError(409, 'not_cancellable', {
    en:
      order.status === 'paid' || order.status === 'shipped' || order.status === 'completed'
        ? 'This order is paid: refund it instead of cancelling it.'
        : 'Only an order on invoice that is not yet paid can be cancelled.',
    de:
      order.status === 'paid' || order.status === 'shipped' || order.status === 'completed'
        ? 'Diese Bestellung ist bezahlt: Erstatten Sie sie, statt sie zu stornieren.'
        : 'Storniert werden kann nur eine noch nicht bezahlte Bestellung auf Rechnung.',
  });

/** What cancelling would do; throws when the order cannot be cancelled. */
export async function previewCancel(
  deps: Pick<Deps, 'db'>,
  orderId: string,
): Promise<{ order: OrdersTable; lines: OrderLine[]; licenceCount: number }> {
  const order = await getOrderForStaff(deps, orderId);
  if (order.status !== 'invoiced') throw notCancellable(order);
  const licences = (await listLicencesOfOrder(deps.db, order.id)).filter((l) => l.revoked_at === null);
  return { order, lines: JSON.parse(order.lines) as OrderLine[], licenceCount: licences.length };
}

/** Cancels an unpaid invoice order: the status (with its history), the stock back, every licence of it revoked. */
export async function cancelOrder(deps: Pick<Deps, 'db' | 'clock'>, orderId: string): Promise<OrdersTable> {
  return deps.db.transaction().execute(async (trx) => {
    const order = await cq.lockOrder(trx, orderId);
    if (!order || order.restricted_at !== null) throw notFound();
    if (order.status !== 'invoiced') throw notCancellable(order);
    const now = deps.clock.now();
    const changes = withHistory(order, 'cancelled', now);
    if (!(await q.updateOrderIfStatus(trx, order.id, 'invoiced', changes))) throw notCancellable(order);
    const lines = JSON.parse(order.lines) as OrderLine[];
    for (const line of lines) await releaseStock(trx, line.productId, line.quantity);
    await revokeWithdrawnLines(trx, now, order.id, lines);
    // The invoice stays as issued; its cancellation invoice reverses all of it (decision 0048).
    await issueCorrection(trx, now, {
      orderId: order.id,
      refundId: null,
      lines: correctionLinesOf(
        order,
        lines.map((l, lineNo) => ({ lineNo, quantity: l.quantity, amountCents: l.lineCents })),
        shippingCentsOf(order),
      ),
    });
    return { ...order, ...changes };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Refunds

/** What staff asked to refund: everything still refundable, or quantities per line (and the shipping cost). */
export type RefundRequest = (
  { scope: 'full' } | { scope: 'lines'; quantities: Map<number, number>; shipping: boolean }
) & {
  /** The amount the confirmation page showed: when the order's refunds changed since, nothing happens. */
  expectedCents?: number | undefined;
};

export interface RefundPlan {
  /** As asked: `full` takes whatever is left when it is carried out. */
  scope: 'full' | 'lines';
  order: OrdersTable;
  lines: RefundedLine[];
  shippingCents: number;
  amountCents: number;
  /** After this refund nothing of the order is left to refund: the order becomes `refunded`. */
  completes: boolean;
  /** Licences this refund revokes, per product title. */
  licences: { title: string; count: number }[];
}

/** A line of an order with what is left to refund of it. */
export interface RefundableLine {
  lineNo: number;
  line: OrderLine;
  refundedQuantity: number;
  remainingQuantity: number;
}

export interface RefundState {
  refundable: boolean;
  /** Why not, when not. */
  reason?: Text;
  paidCents: number;
  refundedCents: number;
  remainingCents: number;
  lines: RefundableLine[];
  shippingCents: number;
  shippingRemainingCents: number;
}

const REFUNDABLE = new Set(['paid', 'shipped', 'completed']);

export function shippingCentsOf(order: Pick<OrdersTable, 'lines' | 'total_cents'>): number {
  const lines = JSON.parse(order.lines) as OrderLine[];
  return Math.max(0, order.total_cents - lines.reduce((s, l) => s + l.lineCents, 0));
}

/** What of an order can still be refunded, given its refunds (pending ones count: their money is reserved). */
export function refundStateOf(order: OrdersTable, refunds: OrderRefundsTable[]): RefundState {
  const lines = JSON.parse(order.lines) as OrderLine[];
  const refundedQty = new Map<number, number>();
  let refundedCents = 0;
  let shippingRefunded = 0;
  for (const r of refunds) {
    refundedCents += Number(r.amount_cents);
    shippingRefunded += Number(r.shipping_cents);
    for (const l of JSON.parse(r.lines) as RefundedLine[])
      refundedQty.set(l.lineNo, (refundedQty.get(l.lineNo) ?? 0) + l.quantity);
  }
  const shippingCents = shippingCentsOf(order);
  const reason: Text | undefined =
    order.status === 'invoiced'
      ? {
          en: 'This order on invoice is not paid yet: there is nothing to refund. Cancel it instead.',
          de: 'Diese Bestellung auf Rechnung ist noch nicht bezahlt: Es gibt nichts zu erstatten. Stornieren Sie sie stattdessen.',
        }
      : !REFUNDABLE.has(order.status)
        ? {
            en: 'Only a paid order can be refunded.',
            de: 'Erstattet werden kann nur eine bezahlte Bestellung.',
          }
        : refunds.some((r) => r.state !== 'refunded')
          ? {
              en: 'A refund of this order is still waiting for the payment provider’s answer; it is settled or released automatically. Until then no further refund can be made.',
              de: 'Eine Erstattung dieser Bestellung wartet noch auf die Antwort des Zahlungsdienstleisters; sie wird automatisch abgeschlossen oder freigegeben. Bis dahin ist keine weitere Erstattung möglich.',
            }
          : order.total_cents - refundedCents <= 0
            ? { en: 'Everything of this order is refunded.', de: 'Diese Bestellung ist vollständig erstattet.' }
            : undefined;
  return {
    refundable: reason === undefined,
    ...(reason ? { reason } : {}),
    paidCents: order.total_cents,
    refundedCents,
    remainingCents: Math.max(0, order.total_cents - refundedCents),
    lines: lines.map((line, lineNo) => {
      const refundedQuantity = refundedQty.get(lineNo) ?? 0;
      return { lineNo, line, refundedQuantity, remainingQuantity: Math.max(0, line.quantity - refundedQuantity) };
    }),
    shippingCents,
    shippingRemainingCents: Math.max(0, shippingCents - shippingRefunded),
  };
}

/** The amount of `quantity` units of a line: the whole line's amount when all of it (no rounding left over). */
function lineAmount(line: OrderLine, quantity: number): number {
  return quantity === line.quantity ? line.lineCents : Math.round((line.lineCents * quantity) / line.quantity);
}

const overRefund = (remaining: number) =>
  new AppError(409, 'refund_exceeds_payment', {
    en: `This would refund more than was paid: at most ${(remaining / 100).toFixed(2)} EUR of this order is left to refund.`,
    de: `Damit würde mehr erstattet als bezahlt wurde: Von dieser Bestellung sind höchstens ${(remaining / 100).toFixed(2).replace('.', ',')} EUR zu erstatten.`,
  });

/** Turns a request into a plan against the order and its refunds so far; every problem is a 4xx. */
export function planRefund(order: OrdersTable, refunds: OrderRefundsTable[], request: RefundRequest): RefundPlan {
  const state = refundStateOf(order, refunds);
  if (REFUNDABLE.has(order.status) && refunds.some((r) => r.state !== 'refunded'))
    throw new AppError(409, 'refund_in_progress', state.reason!);
  if (!state.refundable) {
    if (state.remainingCents <= 0 && REFUNDABLE.has(order.status)) throw overRefund(0);
    throw new AppError(409, 'not_refundable', state.reason!);
  }
  let lines: RefundedLine[];
  let shippingCents: number;
  if (request.scope === 'full') {
    lines = state.lines
      .filter((l) => l.remainingQuantity > 0)
      .map((l) => ({
        lineNo: l.lineNo,
        productId: l.line.productId,
        title: l.line.title,
        quantity: l.remainingQuantity,
        amountCents: 0,
      }));
    shippingCents = state.shippingRemainingCents;
    // Everything left, whatever rounding earlier partial refunds left over.
    const amount = state.remainingCents;
    const linesAmount = amount - shippingCents;
    let left = linesAmount;
    lines.forEach((l, i) => {
      const line = state.lines[l.lineNo]!.line;
      l.amountCents = i === lines.length - 1 ? left : Math.min(left, lineAmount(line, l.quantity));
      left -= l.amountCents;
    });
    return finish(request.scope, request.expectedCents, order, state, lines, shippingCents, amount);
  }
  const fields: Record<string, Text> = {};
  lines = [];
  for (const [lineNo, quantity] of request.quantities) {
    if (quantity === 0) continue;
    const l = state.lines[lineNo];
    if (!l || !Number.isInteger(quantity) || quantity < 0) {
      fields[`qty.${lineNo}`] = { en: 'Enter a whole number of units.', de: 'Geben Sie eine ganze Stückzahl ein.' };
      continue;
    }
    if (quantity > l.remainingQuantity) {
      fields[`qty.${lineNo}`] = {
        en: `At most ${l.remainingQuantity} of “${l.line.title}” can still be refunded.`,
        de: `Von „${l.line.title}“ können höchstens noch ${l.remainingQuantity} erstattet werden.`,
      };
      continue;
    }
    lines.push({
      lineNo,
      productId: l.line.productId,
      title: l.line.title,
      quantity,
      amountCents: lineAmount(l.line, quantity),
    });
  }
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  shippingCents = request.shipping ? state.shippingRemainingCents : 0;
  if (lines.length === 0 && shippingCents === 0)
    throw errors.invalid({
      en: 'Choose what to refund: a quantity of at least one line, or the shipping cost.',
      de: 'Wählen Sie, was erstattet werden soll: eine Menge von mindestens einer Position oder die Versandkosten.',
    });
  const amount = lines.reduce((s, l) => s + l.amountCents, 0) + shippingCents;
  if (amount > state.remainingCents) throw overRefund(state.remainingCents);
  return finish(request.scope, request.expectedCents, order, state, lines, shippingCents, amount);
}

function finish(
  scope: RefundPlan['scope'],
  expectedCents: number | undefined,
  order: OrdersTable,
  state: RefundState,
  lines: RefundedLine[],
  shippingCents: number,
  amountCents: number,
): RefundPlan {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const line = state.lines[l.lineNo]!.line;
    const software =
      line.kind === 'software'
        ? [line.title]
        : (line.contents ?? []).filter((c) => c.kind === 'software').map((c) => c.title);
    for (const title of software) counts.set(title, (counts.get(title) ?? 0) + l.quantity);
  }
  if (expectedCents !== undefined && expectedCents !== amountCents)
    throw new AppError(409, 'refund_changed', {
      en: 'The refunds of this order changed since the confirmation was shown; nothing was refunded. Check the order and start again.',
      de: 'Die Erstattungen dieser Bestellung haben sich seit der Bestätigungsseite geändert; nichts wurde erstattet. Prüfen Sie die Bestellung und beginnen Sie erneut.',
    });
  return {
    scope,
    order,
    lines,
    shippingCents,
    amountCents,
    completes: amountCents >= state.remainingCents,
    licences: [...counts].map(([title, count]) => ({ title, count })),
  };
}

/** What the confirmation page shows. */
export async function previewRefund(
  deps: Pick<Deps, 'db'>,
  orderId: string,
  request: RefundRequest,
): Promise<RefundPlan> {
  const order = await getOrderForStaff(deps, orderId);
  return planRefund(order, await cq.listRefundsOfOrder(deps.db, order.id), request);
}

export const refundFailed = () =>
  new AppError(502, 'refund_failed', {
    en: 'The payment provider did not refund this payment; nothing was changed. Try again later.',
    de: 'Der Zahlungsdienstleister hat diese Zahlung nicht erstattet; nichts wurde geändert. Versuchen Sie es später erneut.',
  });

export const refundUnknown = () =>
  new AppError(502, 'refund_unknown', {
    en: 'The payment provider did not answer, so it is not known yet whether the money went back. Do not pay it back another way: Candor asks the provider again under the same refund (never paying twice) and settles or releases it by itself. Until then this order cannot be refunded again.',
    de: 'Der Zahlungsdienstleister hat nicht geantwortet; ob das Geld zurückgezahlt wurde, steht noch nicht fest. Zahlen Sie es nicht auf anderem Weg zurück: Candor fragt unter derselben Erstattung erneut an (ohne doppelt zu zahlen) und schließt sie selbst ab oder gibt sie frei. Bis dahin kann diese Bestellung nicht erneut erstattet werden.',
  });

/**
 * Refunds: (1) with the order row locked, the plan is checked against the refunds so far (none may be open) and its
 * amount reserved (a pending row), so a second refund at the same moment sees it; (2) the provider refunds under the
 * row's id as idempotency key, outside any transaction (no lock held over a network call); a refusal deletes the
 * reservation and changes nothing; no answer (an exception) leaves the row `unknown` for orders.reconcile-refunds,
 * which asks again under the same key, so the money moves once; (3) with the row locked again, the refund is
 * settled, its lines' licences revoked, and the order becomes `refunded` once nothing is left. An invoice order paid
 * by bank transfer has no provider payment: its refund is recorded and paid back by transfer.
 */
export async function refundOrder(
  deps: Pick<Deps, 'db' | 'clock' | 'payments'>,
  author: Viewer,
  orderId: string,
  request: RefundRequest,
): Promise<{ refund: OrderRefundsTable; order: OrdersTable }> {
  const { plan, refund } = await deps.db.transaction().execute(async (trx) => {
    const order = await cq.lockOrder(trx, orderId);
    if (!order || order.restricted_at !== null) throw notFound();
    const plan = planRefund(order, await cq.listRefundsOfOrder(trx, order.id), request);
    const refund: OrderRefundsTable = {
      id: randomUUID(),
      order_id: order.id,
      user_id: order.user_id,
      author_id: author.userId,
      state: 'pending',
      amount_cents: plan.amountCents,
      lines: JSON.stringify(plan.lines),
      shipping_cents: plan.shippingCents,
      created_at: deps.clock.now(),
      settled_at: null,
      restricted_at: null,
    };
    await cq.insertRefund(trx, refund);
    return { plan, refund };
  });

  if (plan.order.payment_method !== 'invoice') {
    const reference = plan.order.payment_reference;
    if (!reference) {
      await cq.deletePendingRefund(deps.db, refund.id);
      throw refundFailed();
    }
    let answer: RefundResult;
    try {
      answer = await deps.payments.refund(reference, plan.amountCents, refund.id);
    } catch {
      await cq.markRefundUnknown(deps.db, refund.id);
      throw refundUnknown();
    }
    if (answer.status !== 'refunded') {
      await cq.deletePendingRefund(deps.db, refund.id);
      throw refundFailed();
    }
  }
  const order = await settleRefundRow(deps, refund);
  return { refund: { ...refund, state: 'refunded', settled_at: deps.clock.now() }, order };
}

/** Settles a refund the provider confirmed: its lines' licences revoked, the order `refunded` once nothing is left. */
async function settleRefundRow(deps: Pick<Deps, 'db' | 'clock'>, refund: OrderRefundsTable): Promise<OrdersTable> {
  return deps.db.transaction().execute(async (trx) => {
    const order = await cq.lockOrder(trx, refund.order_id);
    if (!order) throw notFound();
    const now = deps.clock.now();
    if (!(await cq.settleRefund(trx, refund.id, now))) return order; // settled (or released) meanwhile
    const lines = JSON.parse(order.lines) as OrderLine[];
    const refunded = JSON.parse(refund.lines) as RefundedLine[];
    await revokeWithdrawnLines(
      trx,
      now,
      order.id,
      refunded.map((l) => ({ ...lines[l.lineNo]!, quantity: l.quantity })),
    );
    // The cancellation invoice of exactly this refund, dated at settlement, once per refund (decision 0048).
    await issueCorrection(trx, now, {
      orderId: order.id,
      refundId: refund.id,
      lines: correctionLinesOf(order, refunded, Number(refund.shipping_cents)),
    });
    const state = refundStateOf(order, await cq.listRefundsOfOrder(trx, order.id));
    if (state.remainingCents > 0 || order.status === 'refunded' || !REFUNDABLE.has(order.status)) return order;
    const changes = withHistory(order, 'refunded', now);
    await q.updateOrderIfStatus(trx, order.id, order.status, changes);
    // Goods not yet shipped go back into stock (as a refund by status did).
    if (order.status === 'paid') for (const line of lines) await releaseStock(trx, line.productId, line.quantity);
    return { ...order, ...changes };
  });
}

/**
 * What a cancellation invoice reverses: the given lines of the order (quantity and amount) and the shipping cost,
 * which carries the VAT of the goods it ships (the country the parcel goes to).
 */
function correctionLinesOf(
  order: OrdersTable,
  reversed: { lineNo: number; quantity: number; amountCents: number }[],
  shippingCents: number,
): CorrectionLine[] {
  const lines = JSON.parse(order.lines) as OrderLine[];
  const result: CorrectionLine[] = [];
  for (const r of reversed) {
    const line = lines[r.lineNo];
    if (!line) continue;
    result.push({
      title: line.title,
      kind: line.kind,
      quantity: r.quantity,
      unitCents: line.unitCents,
      lineCents: Number(r.amountCents),
      vatRate: line.vatRate,
      ...(line.vatCountry ? { vatCountry: line.vatCountry } : {}),
    });
  }
  if (shippingCents > 0) {
    const goods = lines.find((l) => l.kind === 'hardware') ?? lines[0];
    const country = goods?.vatCountry ?? (JSON.parse(order.shipping) as { country?: string }).country;
    result.push({
      title: '',
      kind: 'shipping',
      quantity: 1,
      unitCents: shippingCents,
      lineCents: shippingCents,
      vatRate: goods?.vatRate ?? 0,
      ...(country ? { vatCountry: country } : {}),
    });
  }
  return result;
}

/** A pending refund this old was left by a crash between the provider's answer and the settling. */
export const REFUND_PENDING_GRACE_MS = 10 * 60 * 1000;

/**
 * orders.reconcile-refunds: every refund whose outcome is open (unknown, or pending past the grace) is asked again
 * under its own id as key: refunded → settled (licences revoked); refused → released; no answer → next run.
 * Idempotent: the provider moves the money once per key, and settling happens once per row.
 */
export async function reconcileRefunds(
  deps: Pick<Deps, 'db' | 'clock' | 'payments'>,
): Promise<{ settled: number; released: number; open: number }> {
  const result = { settled: 0, released: 0, open: 0 };
  for (const refund of await cq.listOpenRefunds(deps.db, deps.clock.now() - REFUND_PENDING_GRACE_MS, 200)) {
    const order = await q.findOrderById(deps.db, refund.order_id);
    // An invoice refund never waits for a provider: one left pending was never confirmed to staff; release it.
    if (!order || order.payment_method === 'invoice' || !order.payment_reference) {
      await cq.deletePendingRefund(deps.db, refund.id);
      result.released++;
      continue;
    }
    let answer: RefundResult;
    try {
      answer = await deps.payments.refund(order.payment_reference, Number(refund.amount_cents), refund.id);
    } catch {
      result.open++;
      continue;
    }
    if (answer.status === 'refunded') {
      await settleRefundRow(deps, refund);
      result.settled++;
    } else {
      await cq.deletePendingRefund(deps.db, refund.id);
      result.released++;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// An invoice order's payment

/** YYYY-MM-DD of an instant in a time zone. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

const validDay = (day: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
};

/**
 * Records the bank transfer that paid an invoice order: the day (not in the future, not before the order, both in
 * the operator's calendar) and the statement's text. The order becomes `paid` (history), so reminders and the
 * figures of unpaid invoices stop. The row is locked against a reminder going out at the same moment.
 */
export async function markInvoicePaid(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  orderId: string,
  input: { paidOn: string; reference: string },
): Promise<OrdersTable> {
  const timeZone = deps.config.operator.timeZone;
  const paidOn = input.paidOn.trim();
  const reference = input.reference.replace(/\s+/g, ' ').trim();
  return deps.db.transaction().execute(async (trx) => {
    const order = await cq.lockOrder(trx, orderId);
    if (!order || order.restricted_at !== null) throw notFound();
    if (order.payment_method !== 'invoice' || order.status !== 'invoiced')
      throw new AppError(409, 'not_awaiting_transfer', {
        en: 'Only an order on invoice that is waiting for its payment can be marked paid.',
        de: 'Als bezahlt markiert werden kann nur eine Bestellung auf Rechnung, die auf ihre Zahlung wartet.',
      });
    const now = deps.clock.now();
    const fields: Record<string, Text> = {};
    if (!validDay(paidOn))
      fields.paidOn = {
        en: 'Enter the day of payment (YYYY-MM-DD).',
        de: 'Geben Sie das Zahlungsdatum ein (JJJJ-MM-TT).',
      };
    else if (paidOn > dayIn(timeZone, now))
      fields.paidOn = {
        en: 'The day of payment cannot be in the future.',
        de: 'Das Zahlungsdatum darf nicht in der Zukunft liegen.',
      };
    else if (paidOn < dayIn(timeZone, order.created_at))
      fields.paidOn = {
        en: 'The day of payment cannot be before the order.',
        de: 'Das Zahlungsdatum darf nicht vor der Bestellung liegen.',
      };
    if (reference === '')
      fields.reference = {
        en: 'Enter the reference of the bank statement.',
        de: 'Geben Sie den Verwendungszweck laut Kontoauszug ein.',
      };
    else if ([...reference].length > PAID_REFERENCE_MAX)
      fields.reference = {
        en: `At most ${PAID_REFERENCE_MAX} characters.`,
        de: `Höchstens ${PAID_REFERENCE_MAX} Zeichen.`,
      };
    else if (CONTROL.test(reference))
      fields.reference = {
        en: 'Remove the invisible control characters.',
        de: 'Bitte entfernen Sie die unsichtbaren Steuerzeichen.',
      };
    if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
    const changes = {
      ...withHistory(order, 'paid', now),
      invoice_paid_on: paidOn,
      invoice_paid_reference: reference,
    };
    if (!(await q.updateOrderIfStatus(trx, order.id, 'invoiced', changes)))
      throw new AppError(409, 'order_changed', {
        en: 'The order was changed meanwhile; reload and try again.',
        de: 'Die Bestellung wurde inzwischen geändert; bitte neu laden.',
      });
    return { ...order, ...changes };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The page

/** Steps that cannot be undone: only through their confirmation pages, never the plain status change. */
export const IRREVERSIBLE: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['cancelled', 'refunded']);

/** An invoice order becomes paid only with the day and reference of the transfer (the mark-paid form). */
export const steppedElsewhere = (order: Pick<OrdersTable, 'payment_method'>, to: OrderStatus): boolean =>
  to === 'paid' && order.payment_method === 'invoice';

export const notHere = (to: OrderStatus) =>
  errors.invalid(
    to === 'paid'
      ? {
          en: 'Record the bank transfer with its day and reference in the “Record the bank transfer” form.',
          de: 'Erfassen Sie die Überweisung mit Datum und Verwendungszweck im Formular „Überweisung erfassen“.',
        }
      : {
          en: 'Cancelling and refunding cannot be undone: use “Cancel this order…” or the refund form, which ask for a confirmation.',
          de: 'Stornieren und Erstatten können nicht rückgängig gemacht werden: Verwenden Sie „Diese Bestellung stornieren …“ oder das Erstattungsformular, die eine Bestätigung verlangen.',
        },
  );

/** What the staff order page shows beyond the row: customer, licences, refunds, notes, the invoice's state. */
export async function orderPageModel(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  order: OrdersTable,
  form?: OrderPageModel['form'],
): Promise<OrderPageModel> {
  const user = await findUserById(deps.db, order.user_id);
  const refunds = await cq.listRefundsOfOrder(deps.db, order.id);
  const payment = invoicePaymentDetails(deps.config.operator, order);
  const now = deps.clock.now();
  return {
    customer: user ? { id: user.id, name: user.name, email: user.email } : null,
    licences: await listLicencesOfOrder(deps.db, order.id),
    refunds,
    refundState: refundStateOf(order, refunds),
    notes: await cq.listNotesOfOrder(deps.db, order.id),
    invoice: payment ? { dueAt: payment.dueAt, overdue: order.status === 'invoiced' && now > payment.dueAt } : null,
    hasInvoice: (await findInvoiceByOrderId(deps.db, order.id)) !== undefined,
    corrections: await listOrderCorrections(deps, order.id),
    today: dayIn(deps.config.operator.timeZone, now),
    ...(form ? { form } : {}),
  };
}
