// Invoices (§14 UStG): gap-free numbers, a PDF per order, kept for the statutory period.
import { defineFeature } from '../../feature.ts';
import { invoicesDataMap } from './invoices.data-map.ts';
import { createInvoices } from './migrations/001-invoices.ts';

export { renderInvoicePdf } from './invoice-pdf.ts';
export { findInvoiceByOrderId } from './invoices.queries.ts';
export { issueInvoice } from './invoices.service.ts';

export const invoicesFeature = defineFeature({
  name: 'invoices',
  migrations: [createInvoices],
  dataMap: (config) => invoicesDataMap(config.retention.invoiceYears),
});
