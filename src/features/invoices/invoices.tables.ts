// Invoices: one per order, numbered without gaps per year (RE-2026-000001), as §14 UStG asks.

export interface InvoicesTable {
  id: string;
  number: string;
  order_id: string;
  user_id: string;
  issued_at: number;
  restricted_at: number | null;
}

export interface InvoiceCountersTable {
  year: number;
  last: number;
}

/** A payment reminder sent for an unpaid invoice order: reminder `level` (1, 2, …) of the operator's schedule. */
export interface PaymentRemindersTable {
  id: string;
  order_id: string;
  user_id: string;
  level: number;
  sent_at: number;
  restricted_at: number | null;
}

/** A line a cancellation invoice reverses, amounts as positive numbers (the PDF shows them negative). */
export interface CorrectionLine {
  /** The product's title; empty for the shipping cost (the PDF names it in its language). */
  title: string;
  /** The product kind, or `shipping`. */
  kind: string;
  quantity: number;
  unitCents: number;
  lineCents: number;
  vatRate: number;
  vatCountry?: string;
}

/**
 * A cancellation invoice (Stornorechnung, decision 0048): what of invoice `invoice_id` a refund (`refund_id`) or the
 * cancellation of the order (`cancel_of` = the invoice's id) reversed, numbered in the invoices' sequence.
 */
export interface InvoiceCorrectionsTable {
  id: string;
  number: string;
  invoice_id: string;
  order_id: string;
  user_id: string;
  refund_id: string | null;
  cancel_of: string | null;
  /** JSON: CorrectionLine[]. */
  lines: string;
  total_cents: number;
  vat_cents: number;
  issued_at: number;
  restricted_at: number | null;
}

export interface InvoiceTables {
  invoices: InvoicesTable;
  invoice_corrections: InvoiceCorrectionsTable;
  invoice_counters: InvoiceCountersTable;
  payment_reminders: PaymentRemindersTable;
}
