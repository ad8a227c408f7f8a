// Invoices (§14 UStG): gap-free numbers, a PDF per order, kept for the statutory period; the payment details of
// an order on invoice (bank account, reference, due date) and the record of its payment reminders.
import { defineFeature } from '../../feature.ts';
import { invoicesDataMap } from './invoices.data-map.ts';
import { createInvoices } from './migrations/001-invoices.ts';
import { createPaymentReminders } from './migrations/002-payment-reminders.ts';
import { createInvoiceCorrections } from './migrations/003-invoice-corrections.ts';

export { invoicePdfDocument, renderInvoicePdf, type InvoiceDocument } from './invoice-pdf.ts';
export { issueCorrection } from './corrections.service.ts';
export { findInvoiceByOrderId, listCorrectionsOfOrder } from './invoices.queries.ts';
export type { CorrectionLine, InvoiceCorrectionsTable } from './invoices.tables.ts';
export { issueInvoice } from './invoices.service.ts';
export {
  endOfDayAfter,
  formatDay,
  formatIban,
  invoicePaymentDetails,
  nextReminder,
  type InvoicePaymentDetails,
  type ReminderStep,
} from './payment-details.ts';
export {
  listPaymentReminders,
  recordPaymentReminder,
  type PaymentRemindersTable,
} from './payment-reminders.service.ts';

export const invoicesFeature = defineFeature({
  name: 'invoices',
  migrations: [createInvoices, createPaymentReminders, createInvoiceCorrections],
  dataMap: (config) => invoicesDataMap(config.retention.invoiceYears),
});
