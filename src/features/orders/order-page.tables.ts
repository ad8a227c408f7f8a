// Tables of the staff order page (issue 12, point 2): internal notes and refunds. Both belong to their order and
// are kept (restricted after an erasure request) as the data map says (order-page.data-map.ts).

export interface OrderNotesTable {
  id: string;
  order_id: string;
  /** The order's customer: the note is about their order and may name them. */
  user_id: string;
  /** The staff member who wrote it. */
  author_id: string;
  /** At most NOTE_MAX characters. */
  body: string;
  /** The order's own time: a note is kept exactly as long as its order (retention runs from this). */
  order_created_at: number;
  created_at: number;
  restricted_at: number | null;
}

/** One refunded line (or part of it). */
export interface RefundedLine {
  /** Index of the line in the order's `lines`. */
  lineNo: number;
  productId: string;
  title: string;
  quantity: number;
  amountCents: number;
}

/**
 * `pending`: the amount is reserved (no second refund can take it) and the provider is being asked; `unknown`: the
 * provider did not answer (a timeout, an error): maybe it refunded, maybe not, so the row stays, blocks further
 * refunds of the order and `orders.reconcile-refunds` asks again under the same key (its id); `refunded`: the
 * provider refunded it (or, for an invoice paid by bank transfer, staff pay it back by transfer). A refused refund
 * leaves no row.
 */
export type RefundState = 'pending' | 'unknown' | 'refunded';

export interface OrderRefundsTable {
  id: string;
  order_id: string;
  user_id: string;
  author_id: string;
  state: RefundState;
  /** Lines and shipping together. */
  amount_cents: number;
  /** JSON array of RefundedLine. */
  lines: string;
  /** The part of the shipping cost refunded with it. */
  shipping_cents: number;
  created_at: number;
  settled_at: number | null;
  restricted_at: number | null;
}

export interface OrderPageTables {
  order_notes: OrderNotesTable;
  order_refunds: OrderRefundsTable;
}
