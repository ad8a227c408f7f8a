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

export interface InvoiceTables {
  invoices: InvoicesTable;
  invoice_counters: InvoiceCountersTable;
  payment_reminders: PaymentRemindersTable;
}
