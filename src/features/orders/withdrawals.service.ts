// The withdrawal function (Art. 11a Consumer Rights Directive, § 356a BGB): which lines of an order may still be
// withdrawn from and why not, the declaration (recorded with its time) and its confirmation on a durable medium
// (a mail kept as a business letter, in the same transaction). Goods: 14 days from receipt (§ 356(2) no. 1 BGB);
// the delivery day is not recorded, so the period counts from shipping plus the operator's longest delivery time
// (never shorter than the law's). Digital content: 14 days from the contract, unless the customer gave the
// § 356(5) BGB consent. Every period ends at the end of its last day in the operator's zone (§§ 187(1), 188(1) BGB).
// The order row is locked while a withdrawal is recorded, so a double submit records one.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { composeMail } from '../../platform/email/compose.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Viewer } from '../../platform/http/context.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { findUserById } from '../accounts/index.ts';
import { isDigitalKind } from '../legal/index.ts';
import { DEFAULT_MAX_DELIVERY_DAYS, type Operator } from '../../platform/operator.ts';
import { endOfDayAfter } from '../invoices/index.ts';
import { revokeWithdrawnLines } from '../licences/index.ts';
import { enqueueBusinessLetter } from '../mail/index.ts';
import * as cq from './order-page.queries.ts';
import type { OrderRefundsTable, RefundedLine } from './order-page.tables.ts';
import * as q from './orders.queries.ts';
import type { OrderLine, OrdersTable, OrderStatus } from './orders.tables.ts';
import * as wq from './withdrawals.queries.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import type { OrderWithdrawalsTable, WithdrawnLine } from './withdrawals.tables.ts';

/** The withdrawal period in days (§ 355(2) BGB); the refund, too, is due within 14 days of the withdrawal (§ 357(1)). */
export const WITHDRAWAL_PERIOD_DAYS = 14;
export const REFUND_PERIOD_DAYS = 14;
/** The kind of the kept business letter confirming a withdrawal (see the mail feature's data map). */
export const WITHDRAWAL_CONFIRMATION = 'withdrawal-confirmation';

/** What the periods depend on: the operator's zone and longest delivery time. */
export type WithdrawalRules = Pick<Operator, 'timeZone' | 'shipping'>;

/** The last moment to withdraw from goods shipped at `shippedAt`: receipt at the latest possible day, + 14 days. */
export function goodsDeadline(rules: WithdrawalRules, shippedAt: number): number {
  const delivery = rules.shipping?.maxDeliveryDays ?? DEFAULT_MAX_DELIVERY_DAYS;
  return endOfDayAfter(shippedAt, delivery + WITHDRAWAL_PERIOD_DAYS, rules.timeZone);
}

/** The last moment to withdraw from digital content (without the § 356(5) consent): 14 days after the contract. */
export function digitalDeadline(rules: WithdrawalRules, concluded: number): number {
  return endOfDayAfter(concluded, WITHDRAWAL_PERIOD_DAYS, rules.timeZone);
}

/** When the refund of a withdrawal is due at the latest (§ 357(1) BGB): the end of the 14th day after it. */
export function refundDueAt(rules: Pick<Operator, 'timeZone'>, withdrawnAt: number): number {
  return endOfDayAfter(withdrawnAt, REFUND_PERIOD_DAYS, rules.timeZone);
}
/** Orders a customer may still withdraw from: concluded contracts, not cancelled or refunded. */
const OPEN_STATUSES: OrderStatus[] = ['invoiced', 'paid', 'shipped', 'completed'];
export const STATEMENT_MAX = 2000;

export type LineState =
  | { kind: 'open'; deadline: number | null }
  | { kind: 'withdrawn'; at: number }
  /** Refunded from the console (all its units): nothing left to withdraw from. */
  | { kind: 'refunded'; at: number }
  | { kind: 'consented'; at: number }
  | { kind: 'expired'; deadline: number };

export interface WithdrawalLineView {
  lineNo: number;
  line: OrderLine;
  state: LineState;
}

export interface WithdrawalView {
  order: OrdersTable;
  /** Why the order as a whole cannot be withdrawn from (cancelled, refunded); undefined when its lines decide. */
  closed?: Text;
  lines: WithdrawalLineView[];
  withdrawals: OrderWithdrawalsTable[];
}

/** When the order's goods left: the last time it became `shipped`; null while not shipped. */
function shippedAt(order: OrdersTable): number | null {
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  const shipped = history.filter((h) => h.status === 'shipped');
  return shipped.length > 0 ? (shipped[shipped.length - 1] as { at: number }).at : null;
}

/** The contract was concluded when the order was confirmed (paid or invoiced), else when it was placed. */
function concludedAt(order: OrdersTable): number {
  const history = JSON.parse(order.history) as { status: OrderStatus; at: number }[];
  return history.find((h) => h.status === 'paid' || h.status === 'invoiced')?.at ?? order.created_at;
}

/** The line numbers of an order withdrawn from by any of its withdrawals. */
export function withdrawnLineNos(withdrawals: Pick<OrderWithdrawalsTable, 'lines'>[]): Set<number> {
  const out = new Set<number>();
  for (const w of withdrawals) for (const l of JSON.parse(w.lines) as WithdrawnLine[]) out.add(l.lineNo);
  return out;
}

/**
 * What the customer still owes of an order after their withdrawals: the total less the withdrawn lines, and less
 * the shipping cost once every line of goods is withdrawn (the standard delivery is refunded, § 357(2) BGB).
 */
export function amountOwedAfterWithdrawals(
  order: Pick<OrdersTable, 'lines' | 'total_cents'>,
  withdrawals: Pick<OrderWithdrawalsTable, 'lines'>[],
): number {
  const withdrawn = withdrawnLineNos(withdrawals);
  if (withdrawn.size === 0) return order.total_cents;
  const lines = JSON.parse(order.lines) as OrderLine[];
  const shippingCents = order.total_cents - lines.reduce((sum, l) => sum + l.lineCents, 0);
  const goods = lines.map((l, i) => ({ l, i })).filter(({ l }) => !isDigitalKind(l.kind));
  const allGoodsWithdrawn = goods.length > 0 && goods.every(({ i }) => withdrawn.has(i));
  const withdrawnCents = lines.reduce((sum, l, i) => sum + (withdrawn.has(i) ? l.lineCents : 0), 0);
  return Math.max(0, order.total_cents - withdrawnCents - (allGoodsWithdrawn ? shippingCents : 0));
}

/** Per line of an order: how many units its refunds (open ones too: their money is reserved) took, and when. */
export function refundedUnits(refunds: OrderRefundsTable[]): Map<number, { quantity: number; at: number }> {
  const out = new Map<number, { quantity: number; at: number }>();
  for (const r of refunds)
    for (const l of JSON.parse(r.lines) as RefundedLine[]) {
      const before = out.get(l.lineNo);
      out.set(l.lineNo, {
        quantity: (before?.quantity ?? 0) + l.quantity,
        at: Math.max(before?.at ?? 0, r.settled_at ?? r.created_at),
      });
    }
  return out;
}

export function withdrawalView(
  order: OrdersTable,
  withdrawals: OrderWithdrawalsTable[],
  now: number,
  rules: WithdrawalRules,
  refunds: OrderRefundsTable[] = [],
): WithdrawalView {
  const refunded = refundedUnits(refunds);
  const withdrawnAt = new Map<number, number>();
  for (const w of withdrawals)
    for (const l of JSON.parse(w.lines) as WithdrawnLine[]) withdrawnAt.set(l.lineNo, w.created_at);
  const closed: Text | undefined = OPEN_STATUSES.includes(order.status)
    ? undefined
    : order.status === 'refunded'
      ? {
          en: 'This order was refunded; there is nothing left to withdraw from.',
          de: 'Diese Bestellung wurde erstattet; es gibt nichts mehr zu widerrufen.',
        }
      : {
          en: 'This order was not concluded or was cancelled; there is no contract to withdraw from.',
          de: 'Diese Bestellung kam nicht zustande oder wurde storniert; es gibt keinen Vertrag zu widerrufen.',
        };
  const shipped = shippedAt(order);
  const lines = (JSON.parse(order.lines) as OrderLine[]).map((line, lineNo): WithdrawalLineView => {
    const withdrawn = withdrawnAt.get(lineNo);
    if (withdrawn !== undefined) return { lineNo, line, state: { kind: 'withdrawn', at: withdrawn } };
    const refund = refunded.get(lineNo);
    if (refund && refund.quantity >= line.quantity) return { lineNo, line, state: { kind: 'refunded', at: refund.at } };
    if (isDigitalKind(line.kind)) {
      if (order.digital_consent_at !== null)
        return { lineNo, line, state: { kind: 'consented', at: order.digital_consent_at } };
      const deadline = digitalDeadline(rules, concludedAt(order));
      return { lineNo, line, state: now > deadline ? { kind: 'expired', deadline } : { kind: 'open', deadline } };
    }
    // Goods not shipped yet: the period has not even begun.
    if (shipped === null) return { lineNo, line, state: { kind: 'open', deadline: null } };
    const deadline = goodsDeadline(rules, shipped);
    return { lineNo, line, state: now > deadline ? { kind: 'expired', deadline } : { kind: 'open', deadline } };
  });
  return { order, ...(closed ? { closed } : {}), lines, withdrawals };
}

export const canWithdraw = (view: WithdrawalView): boolean =>
  !view.closed && view.lines.some((l) => l.state.kind === 'open');

/** The customer's own order with what may be withdrawn; another customer's order, or a restricted one: 404. */
export async function getWithdrawalView(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  orderId: string,
): Promise<WithdrawalView> {
  const order = await q.findOrderOfUser(deps.db, userId, orderId);
  if (!order || order.restricted_at !== null || order.status === 'payment_failed' || order.status === 'pending_payment')
    throw errors.notFound();
  return withdrawalView(
    order,
    await wq.listWithdrawalsOfOrder(deps.db, order.id),
    deps.clock.now(),
    deps.config.operator,
    await cq.listRefundsOfOrder(deps.db, order.id),
  );
}

/** The account's overview: each order still open for a withdrawal, and the withdrawals made. */
export async function listWithdrawalOverview(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
): Promise<{ open: WithdrawalView[]; made: OrderWithdrawalsTable[]; orders: Map<string, OrdersTable> }> {
  const orders = await q.listOrdersOfUser(deps.db, userId);
  const made = await wq.listWithdrawalsOfUser(deps.db, userId);
  const refunds = await cq.listRefundsOfOrders(
    deps.db,
    orders.map((o) => o.id),
  );
  const open: WithdrawalView[] = [];
  for (const order of orders) {
    const view = withdrawalView(
      order,
      made.filter((w) => w.order_id === order.id),
      deps.clock.now(),
      deps.config.operator,
      refunds.filter((r) => r.order_id === order.id),
    );
    if (canWithdraw(view)) open.push(view);
  }
  return { open, made, orders: new Map(orders.map((o) => [o.id, o])) };
}

/** Who declares the withdrawal, as step 2 shows it (Art. 11a(2) CRD): the order's name and the account's email. */
export async function withdrawalDeclarant(
  deps: Pick<Deps, 'db'>,
  userId: string,
  order: Pick<OrdersTable, 'billing'>,
): Promise<{ name: string; email: string }> {
  const user = await findUserById(deps.db, userId);
  const billing = JSON.parse(order.billing) as { name?: string };
  return { name: billing.name ?? '', email: user?.email ?? '' };
}

/** A reason a line cannot be withdrawn from, in words. */
export function lineStateReason(lang: Lang, state: LineState, timeZone: string): string {
  switch (state.kind) {
    case 'open':
      return state.deadline === null
        ? tr(lang, {
            en: 'Can be withdrawn; the 14 days begin when you receive the goods.',
            de: 'Widerruflich; die 14 Tage beginnen mit dem Erhalt der Ware.',
          })
        : tr(
            lang,
            { en: 'Can be withdrawn until {at}.', de: 'Widerruflich bis {at}.' },
            { at: formatTime(lang, state.deadline, timeZone) },
          );
    case 'withdrawn':
      return tr(
        lang,
        { en: 'Already withdrawn on {at}.', de: 'Bereits widerrufen am {at}.' },
        { at: formatTime(lang, state.at, timeZone) },
      );
    case 'refunded':
      return tr(
        lang,
        { en: 'Already refunded on {at}.', de: 'Bereits am {at} erstattet.' },
        { at: formatTime(lang, state.at, timeZone) },
      );
    case 'consented':
      return tr(lang, {
        en: 'No right of withdrawal: digital content whose delivery before the end of the withdrawal period you expressly agreed to at checkout, acknowledging the loss of the right (§ 356(5) BGB).',
        de: 'Kein Widerrufsrecht: digitale Inhalte, deren vorzeitiger Lieferung vor Ablauf der Widerrufsfrist Sie in der Kasse ausdrücklich zugestimmt haben, mit Bestätigung des Verlusts des Widerrufsrechts (§ 356 Abs. 5 BGB).',
      });
    case 'expired':
      return tr(
        lang,
        { en: 'The withdrawal period ended on {at}.', de: 'Die Widerrufsfrist endete am {at}.' },
        { at: formatTime(lang, state.deadline, timeZone) },
      );
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** What the customer chose: line numbers and an optional statement. Every problem at once. */
export function checkWithdrawalInput(
  view: WithdrawalView,
  lineNos: number[],
  statement: string,
  timeZone: string,
): { lines: WithdrawalLineView[]; statement: string | null } {
  if (view.closed) throw new AppError(409, 'withdrawal_not_possible', view.closed);
  const fields: Record<string, Text> = {};
  const chosen = [...new Set(lineNos)].map((n) => view.lines.find((l) => l.lineNo === n));
  if (chosen.length === 0 || chosen.some((l) => l === undefined))
    fields.line = {
      en: 'Choose at least one item to withdraw from.',
      de: 'Wählen Sie mindestens einen Artikel, den Sie widerrufen möchten.',
    };
  const clean = statement.replace(/\r\n?/g, '\n').trim();
  if (clean.length > STATEMENT_MAX)
    fields.statement = { en: `At most ${STATEMENT_MAX} characters.`, de: `Höchstens ${STATEMENT_MAX} Zeichen.` };
  else if (CONTROL.test(clean))
    fields.statement = {
      en: 'Remove the invisible control characters.',
      de: 'Bitte entfernen Sie die unsichtbaren Steuerzeichen.',
    };
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  const lines = chosen as WithdrawalLineView[];
  const refused = lines.find((l) => l.state.kind !== 'open');
  if (refused) {
    const reason = {
      en: `“${refused.line.title}” cannot be withdrawn from: ${lineStateReason('en', refused.state, timeZone)}`,
      de: `„${refused.line.title}“ kann nicht widerrufen werden: ${lineStateReason('de', refused.state, timeZone)}`,
    };
    throw new AppError(409, 'withdrawal_not_possible', reason, { line: reason });
  }
  return { lines, statement: clean === '' ? null : clean };
}

/**
 * Records the declaration and, in the same transaction, its confirmation mail with the content, date and time
 * (Art. 11a(3)). A line withdrawn meanwhile (a second tab) is refused: the check runs again inside the transaction.
 */
export async function withdrawFromOrder(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  viewer: Viewer,
  lang: Lang,
  orderId: string,
  lineNos: number[],
  statement: string,
): Promise<OrderWithdrawalsTable> {
  const timeZone = deps.config.operator.timeZone;
  return deps.db.transaction().execute(async (trx) => {
    const found = await q.findOrderOfUser(trx, viewer.userId, orderId);
    // Locks the order's row (an update of nothing): a second confirm at the same moment waits here and then sees
    // this withdrawal, so a double submit records one (PostgreSQL runs READ COMMITTED; SQLite has one writer).
    const order = found && (await wq.lockOrderRow(trx, found.id)) ? await q.findOrderById(trx, found.id) : undefined;
    if (
      !order ||
      order.restricted_at !== null ||
      order.status === 'payment_failed' ||
      order.status === 'pending_payment'
    )
      throw errors.notFound();
    const now = deps.clock.now();
    const view = withdrawalView(
      order,
      await wq.listWithdrawalsOfOrder(trx, order.id),
      now,
      deps.config.operator,
      await cq.listRefundsOfOrder(trx, order.id),
    );
    const checked = checkWithdrawalInput(view, lineNos, statement, timeZone);
    const row: OrderWithdrawalsTable = {
      id: randomUUID(),
      order_id: order.id,
      user_id: viewer.userId,
      lines: JSON.stringify(
        checked.lines.map((l): WithdrawnLine => ({
          lineNo: l.lineNo,
          productId: l.line.productId,
          title: l.line.title,
          quantity: l.line.quantity,
        })),
      ),
      statement: checked.statement,
      created_at: now,
      restricted_at: null,
    };
    await wq.insertWithdrawal(trx, row);
    // What the withdrawn lines delivered ends with them: their licences no longer activate (downloads reads the row).
    await revokeWithdrawnLines(
      trx,
      now,
      order.id,
      checked.lines.map((l) => l.line),
    );
    const user = await findUserById(trx, viewer.userId);
    if (user)
      await enqueueBusinessLetter(
        trx,
        deps.clock,
        withdrawalConfirmationMail(lang, user.email, order, row, deps.config, timeZone),
        { kind: WITHDRAWAL_CONFIRMATION, ref: row.id, userId: viewer.userId, lang },
      );
    return row;
  });
}

/** The confirmation on a durable medium: what was withdrawn, from which order, when, and what happens next. */
export function withdrawalConfirmationMail(
  lang: Lang,
  to: string,
  order: Pick<OrdersTable, 'number' | 'created_at'>,
  withdrawal: OrderWithdrawalsTable,
  config: Pick<Deps['config'], 'baseUrl' | 'operator'>,
  timeZone: string,
) {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(lang, text, p);
  const lines = JSON.parse(withdrawal.lines) as WithdrawnLine[];
  const at = formatTime(lang, withdrawal.created_at, timeZone);
  const op = config.operator;
  const subject = t(
    { en: 'Confirmation of your withdrawal from order {n}', de: 'Bestätigung Ihres Widerrufs zur Bestellung {n}' },
    { n: order.number },
  );
  return composeMail({
    to,
    lang,
    subject,
    template: 'withdrawal-confirmation',
    blocks: [
      { kind: 'heading', text: t({ en: 'We received your withdrawal', de: 'Wir haben Ihren Widerruf erhalten' }) },
      {
        kind: 'paragraph',
        text: t(
          {
            en: 'You withdrew from your contract under order {n} of {ordered} on {at}, using the withdrawal function in your customer account. This email confirms the withdrawal as you declared it.',
            de: 'Sie haben am {at} mit der Widerrufsfunktion in Ihrem Kundenkonto Ihren Vertrag aus der Bestellung {n} vom {ordered} widerrufen. Diese E-Mail bestätigt den Widerruf so, wie Sie ihn erklärt haben.',
          },
          { n: order.number, ordered: formatTime(lang, order.created_at, timeZone), at },
        ),
      },
      {
        kind: 'table',
        caption: t({ en: 'Withdrawn from', de: 'Widerrufen' }),
        rows: [
          ...lines.map((l) => ({ label: l.title, value: `${l.quantity} ×` })),
          { label: t({ en: 'Order', de: 'Bestellung' }), value: order.number },
          {
            label: t({ en: 'Date and time of the withdrawal', de: 'Datum und Uhrzeit des Widerrufs' }),
            value: at,
            strong: true,
          },
        ],
      },
      ...(withdrawal.statement
        ? [
            {
              kind: 'text' as const,
              title: t({ en: 'Your statement', de: 'Ihre Erklärung' }),
              text: withdrawal.statement,
            },
          ]
        : []),
      {
        kind: 'paragraph',
        text: t({
          en: `What happens next: we refund your payments, including the standard delivery costs, within 14 days with the means of payment you used. Please send goods back to ${op.company}, ${op.address.join(', ')} within 14 days; we may withhold the refund until they arrive or you show that you sent them.`,
          de: `Wie es weitergeht: Wir erstatten Ihre Zahlungen einschließlich der Standard-Lieferkosten binnen 14 Tagen über das Zahlungsmittel, das Sie verwendet haben. Bitte senden Sie Waren binnen 14 Tagen an ${op.company}, ${op.address.join(', ')} zurück; wir können die Erstattung verweigern, bis sie bei uns sind oder Sie die Rücksendung nachweisen.`,
        }),
      },
      {
        kind: 'link',
        label: t({ en: 'Your withdrawal in your account', de: 'Ihr Widerruf in Ihrem Kundenkonto' }),
        href: `${config.baseUrl}/account/withdrawals/${withdrawal.id}`,
      },
      {
        kind: 'note',
        text: t({
          en: `Questions: ${op.email}, phone ${op.phone}. ${op.company}, ${op.address.join(', ')}.`,
          de: `Fragen: ${op.email}, Telefon ${op.phone}. ${op.company}, ${op.address.join(', ')}.`,
        }),
      },
    ],
  });
}

export async function getWithdrawalOfUser(
  deps: Pick<Deps, 'db'>,
  userId: string,
  id: string,
): Promise<{ withdrawal: OrderWithdrawalsTable; order: OrdersTable }> {
  const withdrawal = await wq.findWithdrawalOfUser(deps.db, userId, id);
  const order = withdrawal ? await q.findOrderOfUser(deps.db, userId, withdrawal.order_id) : undefined;
  if (!withdrawal || !order) throw errors.notFound();
  return { withdrawal, order };
}

export const listWithdrawalsOfOrder = (deps: Pick<Deps, 'db'>, orderId: string) =>
  wq.listWithdrawalsOfOrder(deps.db, orderId);

/** Rows per page of the staff list of open withdrawals (keyset, web/keyset.ts). */
export const WITHDRAWALS_PAGE = 50;

/** A withdrawal for staff: its order, and when the refund is due at the latest. */
export interface StaffWithdrawal {
  withdrawal: OrderWithdrawalsTable;
  order: Pick<OrdersTable, 'id' | 'number' | 'status'>;
  refundDueAt: number;
  /** When refunds from the console covered every withdrawn unit (settled); null while something is left to refund. */
  refundedAt: number | null;
}

/** When the order's settled refunds cover every unit of a withdrawal: the last of them; else null. */
export function withdrawalRefundedAt(
  withdrawal: Pick<OrderWithdrawalsTable, 'lines'>,
  refunds: OrderRefundsTable[],
): number | null {
  const units = refundedUnits(refunds.filter((r) => r.state === 'refunded'));
  let at = 0;
  for (const l of JSON.parse(withdrawal.lines) as WithdrawnLine[]) {
    const r = units.get(l.lineNo);
    if (!r || r.quantity < l.quantity) return null;
    at = Math.max(at, r.at);
  }
  return at;
}

/**
 * The withdrawals of orders not yet wholly refunded or cancelled, oldest refund deadline first. Staff refund the
 * withdrawn lines from the order page; a withdrawal whose every unit a settled refund covers shows as refunded.
 */
export async function listOpenWithdrawals(
  deps: Pick<Deps, 'db' | 'config'>,
  after?: string,
  limit = WITHDRAWALS_PAGE,
): Promise<{ rows: StaffWithdrawal[]; next: string | null }> {
  const cursor = parseNumberCursor(after);
  const found = await wq.listWithdrawalsOfOpenOrders(
    deps.db,
    OPEN_STATUSES,
    limit + 1,
    cursor && { createdAt: cursor.value, id: cursor.id },
  );
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return {
    rows: await staffWithdrawals(deps, rows),
    next: found.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

async function staffWithdrawals(
  deps: Pick<Deps, 'db' | 'config'>,
  rows: Awaited<ReturnType<typeof wq.listWithdrawalsOfOpenOrders>>,
): Promise<StaffWithdrawal[]> {
  const refunds = await cq.listRefundsOfOrders(deps.db, [...new Set(rows.map((r) => r.order_id))]);
  return rows.map(({ order_number, order_status, ...withdrawal }) => ({
    withdrawal,
    order: { id: withdrawal.order_id, number: order_number, status: order_status },
    refundDueAt: refundDueAt(deps.config.operator, withdrawal.created_at),
    refundedAt: withdrawalRefundedAt(
      withdrawal,
      refunds.filter((r) => r.order_id === withdrawal.order_id),
    ),
  }));
}
