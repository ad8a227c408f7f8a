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

export interface InvoiceTables {
  invoices: InvoicesTable;
  invoice_counters: InvoiceCountersTable;
}
