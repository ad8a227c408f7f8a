// The staff order list (issue 12, point 2): its filters read from the address (every bad value a 400 in the
// staff member's language), the search resolved to order numbers, customers and serials, keyset pages, the CSV
// export of all matches in batches (cells that a spreadsheet would run as a formula are quoted), and the bulk ship
// action, which ships each chosen order through shipOrder and reports per order what was shipped and what refused.
import { stringify } from 'csv-stringify/sync';
import type { Deps } from '../../deps.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { findUserIdsMatching, normaliseEmail } from '../accounts/index.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { startOfZoneDay, type Lang, type Text } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { paymentMethodNames, statusNames } from './orders.emails.ts';
import * as q from './orders.console.queries.ts';
import { shipOrder, type ShipInput } from './orders.shipping.ts';
import {
  ORDER_STATUSES,
  PAYMENT_METHODS,
  type OrderLine,
  type OrderStatus,
  type OrdersTable,
  type PaymentMethod,
} from './orders.tables.ts';
import { listOrderSerialSlots, normaliseSerial, type SerialSlot } from './serials.service.ts';

export type { ListKey, OrderListFilter, OrderListRow } from './orders.console.queries.ts';

export const PAGE_SIZE = 50;
/** How many customers a search lists by id before the database matches them itself. */
const MATCHED_USERS_MAX = 500;
/** Rows read at once by the CSV export. */
const EXPORT_BATCH = 1000;
/** Orders one bulk action takes at most: a page of the list. */
export const BULK_MAX = PAGE_SIZE;

/** A query value as the address carries it: once, or repeated. */
export type QueryValue = string | string[] | undefined;

export interface ListQuery {
  q?: QueryValue;
  status?: QueryValue;
  method?: QueryValue;
  from?: QueryValue;
  to?: QueryValue;
  overdue?: QueryValue;
  after?: QueryValue;
  before?: QueryValue;
}

/** The list's filters as the staff member set them (the form shows them again; links carry them on). */
export interface ListParams {
  q: string;
  statuses: OrderStatus[];
  method: PaymentMethod | null;
  from: string;
  to: string;
  overdue: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const bad = (en: string, de: string) => errors.invalid({ en, de });

function single(name: string, value: QueryValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    const distinct = [...new Set(value)];
    if (distinct.length > 1)
      throw bad(
        `The filter “${name}” was given more than once with different values.`,
        `Der Filter „${name}“ wurde mehrfach mit verschiedenen Werten angegeben.`,
      );
    return (distinct[0] ?? '').trim();
  }
  return value.trim();
}

function many(value: QueryValue): string[] {
  if (value === undefined) return [];
  return [...new Set((Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== ''))];
}

/** A calendar day YYYY-MM-DD that exists; else a 400 naming the field. */
function checkDay(value: string, label: Text): string {
  if (value === '') return '';
  const m = DAY.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== value)
    throw bad(
      `“${label.en}” must be a date like 2026-12-31, not “${value.slice(0, 40)}”.`,
      `„${label.de}“ muss ein Datum wie 2026-12-31 sein, nicht „${value.slice(0, 40)}“.`,
    );
  return value;
}

/** YYYY-MM-DD of an instant in a time zone. */
const dayInZone = (at: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/**
 * The instant the operator's day `day` (YYYY-MM-DD) begins, plus `days` days. Noon UTC of that date lies in the
 * day before or after it in zones beyond ±12 hours (Pacific/Kiritimati is UTC+14): the day found is checked and
 * moved by one to the asked one.
 */
export function startOfDay(day: string, days: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let start = startOfZoneDay(Date.UTC(y, m - 1, d, 12), 0, timeZone);
  const found = dayInZone(start, timeZone);
  if (found > day) start = startOfZoneDay(start - 1, 0, timeZone);
  else if (found < day) start = startOfZoneDay(start, 1, timeZone);
  return days === 0 ? start : startOfZoneDay(start, days, timeZone);
}

/** An instant as ISO 8601 in the operator's zone with its offset (2026-11-29T14:03:00+01:00), as the list shows it. */
export function zoneTimestamp(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

export const FROM_LABEL: Text = { en: 'From', de: 'Von' };
export const TO_LABEL: Text = { en: 'To', de: 'Bis' };

/** Reads the filters of the list from the address; answers a 400 for anything it does not know. */
export function parseListParams(query: ListQuery): ListParams {
  const search = single('q', query.q);
  if (search.length > 200)
    throw bad('The search may have at most 200 characters.', 'Die Suche darf höchstens 200 Zeichen haben.');
  const statuses = many(query.status);
  for (const s of statuses)
    if (!(ORDER_STATUSES as readonly string[]).includes(s))
      throw bad(
        `There is no order status “${s.slice(0, 40)}”.`,
        `Einen Bestellstatus „${s.slice(0, 40)}“ gibt es nicht.`,
      );
  const method = single('method', query.method);
  if (method !== '' && !(PAYMENT_METHODS as readonly string[]).includes(method))
    throw bad(
      `There is no payment method “${method.slice(0, 40)}”.`,
      `Eine Zahlungsart „${method.slice(0, 40)}“ gibt es nicht.`,
    );
  const from = checkDay(single('from', query.from), FROM_LABEL);
  const to = checkDay(single('to', query.to), TO_LABEL);
  if (from !== '' && to !== '' && from > to)
    throw bad('The “From” date lies after the “To” date.', 'Das Datum „Von“ liegt nach dem Datum „Bis“.');
  const overdue = single('overdue', query.overdue);
  if (overdue !== '' && overdue !== '1')
    throw bad('The filter “overdue” takes the value 1.', 'Der Filter „overdue“ nimmt den Wert 1 an.');
  return {
    q: search,
    statuses: statuses as OrderStatus[],
    method: method === '' ? null : (method as PaymentMethod),
    from,
    to,
    overdue: overdue === '1',
  };
}

/** The page position of the address: after (older than) or before (newer than) a row, or the first page. */
export function parsePosition(query: ListQuery): { after: q.ListKey } | { before: q.ListKey } | null {
  const after = single('after', query.after);
  const before = single('before', query.before);
  if (after !== '' && before !== '')
    throw bad(
      'A page is either after or before a position, not both.',
      'Eine Seite liegt entweder nach oder vor einer Position, nicht beides.',
    );
  const cursor = parseNumberCursor(after || before);
  if (!cursor) return null;
  const key = { created_at: cursor.value, id: cursor.id };
  return after ? { after: key } : { before: key };
}

export const keyOf = (row: { created_at: number; id: string }): string => encodeCursor(row.created_at, row.id);

/** The query string of the filters (without the page position), for links and the CSV export. */
export function filterQuery(params: ListParams): URLSearchParams {
  const out = new URLSearchParams();
  if (params.q) out.set('q', params.q);
  for (const s of params.statuses) out.append('status', s);
  if (params.method) out.set('method', params.method);
  if (params.from) out.set('from', params.from);
  if (params.to) out.set('to', params.to);
  if (params.overdue) out.set('overdue', '1');
  return out;
}

/**
 * Placed before this instant, an unpaid invoice is overdue: its due date (the end of the operator's day
 * `paymentTermDays` after the order's day, invoices/payment-details.ts) has passed.
 */
export function overdueBefore(operator: Pick<Operator, 'paymentTermDays' | 'timeZone'>, now: number): number {
  return startOfZoneDay(now, -operator.paymentTermDays, operator.timeZone);
}

/** The filters as the queries take them: days become instants of the operator's zone, the search its matches. */
export async function resolveFilter(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  params: ListParams,
): Promise<q.OrderListFilter> {
  const operator = deps.config.operator;
  let search: q.OrderListFilter['search'] = null;
  if (params.q !== '') {
    const term = params.q;
    // The customers' search of the customer console, with its normalisation (accounts' userMatches).
    const userTerm = normaliseEmail(term);
    const matched = await findUserIdsMatching(deps.db, userTerm, MATCHED_USERS_MAX + 1);
    search = {
      number: term.toUpperCase(),
      userIds: matched.length > MATCHED_USERS_MAX ? { term: userTerm } : matched,
      orderIds: await q.findOrderIdsBySerial(deps.db, normaliseSerial(term)),
    };
  }
  return {
    statuses: params.statuses,
    method: params.method,
    from: params.from ? startOfDay(params.from, 0, operator.timeZone) : null,
    to: params.to ? startOfDay(params.to, 1, operator.timeZone) : null,
    overdueBefore: params.overdue ? overdueBefore(operator, deps.clock.now()) : null,
    search,
  };
}

export interface OrderListPage {
  rows: q.OrderListRow[];
  /** The position of the next (older) page, or null on the last one. */
  next: string | null;
  /** The position of the previous (newer) page, or null on the first one. */
  previous: string | null;
}

export async function listOrderPage(
  deps: Pick<Deps, 'db'>,
  filter: q.OrderListFilter,
  position: ReturnType<typeof parsePosition>,
): Promise<OrderListPage> {
  const rows = await q.listOrdersPage(deps.db, filter, position, PAGE_SIZE + 1);
  const more = rows.length > PAGE_SIZE;
  if (position && 'before' in position) {
    // Read newest-last and reversed: the extra row, if any, is the first one, and there are newer ones.
    const page = more ? rows.slice(1) : rows;
    return {
      rows: page,
      previous: more && page[0] ? keyOf(page[0]) : null,
      next: page.length > 0 ? keyOf(page[page.length - 1]!) : null,
    };
  }
  const page = more ? rows.slice(0, PAGE_SIZE) : rows;
  return {
    rows: page,
    next: more && page.length > 0 ? keyOf(page[page.length - 1]!) : null,
    previous: position && page[0] ? keyOf(page[0]) : null,
  };
}

/** How many units and which titles an order holds: "3 items: Padgrid, Aurora Synth, …". */
export function itemsOf(lines: string): { count: number; titles: string[] } {
  const list = JSON.parse(lines) as OrderLine[];
  return { count: list.reduce((n, l) => n + l.quantity, 0), titles: list.map((l) => l.title) };
}

/** A cell a spreadsheet would read as a formula (= + - @, tab, carriage return) is quoted with a leading '. */
export function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const csvHead: Record<Lang, string[]> = {
  en: ['Order', 'Date', 'Customer', 'Email', 'Items', 'Products', 'Payment method', 'Status', 'Total (EUR)'],
  de: ['Bestellung', 'Datum', 'Kunde', 'E-Mail', 'Artikel', 'Produkte', 'Zahlungsart', 'Status', 'Summe (EUR)'],
};

/**
 * The CSV of every order the filter finds, newest first, as text in batches: `onBatch` is told the customers of a
 * batch before its text is handed out (the access audit records them first).
 */
export async function* exportOrdersCsv(
  deps: Pick<Deps, 'db' | 'config'>,
  filter: q.OrderListFilter,
  lang: Lang,
  onBatch: (userIds: string[]) => Promise<void>,
): AsyncGenerator<string> {
  // The byte order mark lets spreadsheets read the file as UTF-8 (umlauts, €).
  yield `\ufeff${stringify([csvHead[lang]])}`;
  let position: { after: q.ListKey } | null = null;
  for (;;) {
    const rows = await q.listOrdersPage(deps.db, filter, position, EXPORT_BATCH);
    if (rows.length === 0) return;
    await onBatch(rows.map((r) => r.user_id));
    yield stringify(
      rows.map((r) => {
        const items = itemsOf(r.lines);
        return [
          r.number,
          zoneTimestamp(r.created_at, deps.config.operator.timeZone),
          r.customer_name ?? '',
          r.customer_email ?? '',
          String(items.count),
          items.titles.join('; '),
          paymentMethodNames[r.payment_method][lang],
          statusNames[r.status][lang],
          (r.total_cents / 100).toFixed(2),
        ].map(guardCell);
      }),
    );
    if (rows.length < EXPORT_BATCH) return;
    position = { after: rows[rows.length - 1]! };
  }
}

/** The order ids a bulk form sent (the checkboxes `order`): at least one, at most a page. */
export function chosenOrderIds(value: QueryValue): string[] {
  const ids = many(value);
  if (ids.length === 0)
    throw bad('Select at least one order in the list.', 'Wählen Sie in der Liste mindestens eine Bestellung aus.');
  if (ids.length > BULK_MAX)
    throw bad(
      `Select at most ${BULK_MAX} orders at once.`,
      `Wählen Sie höchstens ${BULK_MAX} Bestellungen auf einmal aus.`,
    );
  for (const id of ids)
    if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
      throw bad('The selection contains an unknown order.', 'Die Auswahl enthält eine unbekannte Bestellung.');
  return ids;
}

/** An order of the bulk ship page: shippable (paid) with its hardware units, or why it is left out. */
export interface BulkShipItem {
  order: OrdersTable;
  customer: { name: string; email: string } | null;
  slots: SerialSlot[];
  /** Why this order cannot be shipped here (not paid); null when it can. */
  refusal: Text | null;
}

export async function loadBulkShipItems(deps: Pick<Deps, 'db'>, ids: string[]): Promise<BulkShipItem[]> {
  const orders = await q.findOrdersByIds(deps.db, ids);
  const customers = new Map(
    (
      await q.findCustomers(
        deps.db,
        orders.map((o) => o.user_id),
      )
    ).map((c) => [c.id, c]),
  );
  const items: BulkShipItem[] = [];
  for (const order of orders) {
    const c = customers.get(order.user_id);
    items.push({
      order,
      customer: c ? { name: c.name, email: c.email } : null,
      slots: order.status === 'paid' ? await listOrderSerialSlots(deps, order) : [],
      refusal:
        order.status === 'paid'
          ? null
          : {
              en: `Not shipped here: only a paid order can be shipped; this one is “${statusNames[order.status].en}”.`,
              de: `Hier nicht versandt: Nur eine bezahlte Bestellung kann versandt werden; diese ist „${statusNames[order.status].de}“.`,
            },
    });
  }
  return items;
}

/** What one order of a bulk ship came to. */
export interface BulkShipOutcome {
  orderId: string;
  number: string;
  shipped: boolean;
  /** The refusal: its message and the problems of its fields (carrier, tracking, serial.i). */
  error?: Text;
  fields?: Record<string, Text>;
  /** What was typed for it, shown again when it was refused. */
  input: ShipInput;
}

/**
 * Ships each order with its own carrier, tracking number and serials, one transaction each (shipOrder): one
 * refusal stops nothing else, and a refused order keeps what was typed for it.
 */
export async function shipOrdersInBulk(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  inputs: { orderId: string; input: ShipInput }[],
): Promise<BulkShipOutcome[]> {
  const numbers = new Map(
    (
      await q.findOrdersByIds(
        deps.db,
        inputs.map((i) => i.orderId),
      )
    ).map((o) => [o.id, o.number]),
  );
  const outcomes: BulkShipOutcome[] = [];
  for (const { orderId, input } of inputs) {
    const number = numbers.get(orderId) ?? orderId;
    try {
      const shipped = await shipOrder(deps, orderId, input);
      outcomes.push({ orderId, number: shipped.number, shipped: true, input });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      outcomes.push({ orderId, number, shipped: false, error: err.text, fields: err.fields, input });
    }
  }
  return outcomes;
}
