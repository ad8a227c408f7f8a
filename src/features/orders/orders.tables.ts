// Orders. Lines, addresses and the status history are JSON in the row, so an order is one row that the data
// map can keep (restricted) for the statutory period after an erasure request.

export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
export type PaymentMethod = 'card' | 'wallet' | 'invoice';

export interface Address {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface OrderLine {
  productId: string;
  slug: string;
  kind: string;
  title: string;
  quantity: number;
  unitCents: number;
  lineCents: number;
  vatRate: number;
  /** For a bundle: what it contained when it was bought (licences are issued for its software). */
  contents?: { productId: string; kind: string; title: string }[];
}

export interface OrdersTable {
  id: string;
  /** Human-readable, e.g. 2026-4F7K2Q. */
  number: string;
  user_id: string;
  status: OrderStatus;
  lines: string;
  billing: string;
  shipping: string;
  payment_method: PaymentMethod;
  payment_token: string | null;
  card_brand: string | null;
  card_last4: string | null;
  card_exp_month: number | null;
  payment_reference: string | null;
  total_cents: number;
  vat_cents: number;
  currency: string;
  idempotency_key: string;
  /** JSON array of { status, at }. */
  history: string;
  /** Set when the customer asked for erasure: the row is then kept only for the statutory period. */
  restricted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OrderTables {
  orders: OrdersTable;
}
