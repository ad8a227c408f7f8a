// Orders: checkout through the provider's hosted payment page, idempotent placement (credit check for invoice),
// the order states and their reconciliation with the provider, history, confirmation mail.
import { defineFeature } from '../../feature.ts';
import { createOrders } from './migrations/001-orders.ts';
import { widenOrderMoney } from './migrations/002-money-bigint.ts';
import { addRequestHash } from './migrations/003-request-hash.ts';
import { createOrderSerials } from './migrations/004-order-serials.ts';
import { defineOrderStates } from './migrations/005-order-states.ts';
import { dropPaymentToken } from './migrations/006-drop-payment-token.ts';
import { addLegalConsentsAndWithdrawals } from './migrations/007-legal-consents-and-withdrawals.ts';
import { addAddressBookAndVatCountry } from './migrations/008-address-book-vat-country.ts';
import { addShippingTracking } from './migrations/009-shipping-tracking.ts';
import { addOrderNotesAndPayments } from './migrations/010-order-notes-and-payments.ts';
import { addConsoleIndexes } from './migrations/011-console-indexes.ts';
import { orderCustomerSection } from './orders.customer.ts';
import { ordersDataMap } from './orders.data-map.ts';
import { orderFigures } from './orders.figures.ts';
import { reconcilePaymentsJob, reconcileRefundsJob, sendPaymentRemindersJob } from './orders.jobs.ts';
import { registerOrderRoutes } from './orders.routes.ts';

export type { OrderLine } from './orders.tables.ts';
export { listPurchases, listPurchasesOfUser } from './orders.queries.ts';
export { invoiceAttachmentRenderer } from './orders.invoice.ts';
export { findSaleOfSerial, isSerial, normaliseSerial, serialFormatText } from './serials.service.ts';
// What a withdrawal ended (downloads no longer delivers the withdrawn lines of an order).
export { listWithdrawalsOfOrder } from './withdrawals.service.ts';
export type { WithdrawnLine } from './withdrawals.tables.ts';

export const ordersFeature = defineFeature({
  name: 'orders',
  navigation: [
    {
      href: '/staff/orders',
      label: { en: 'Orders', de: 'Bestellungen' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],

      order: 50,
    },
    // Withdrawals still to be refunded, with their deadlines (§ 357(1) BGB).
    {
      href: '/staff/withdrawals',
      label: { en: 'Withdrawals', de: 'Widerrufe' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],

      order: 50.5,
    },
    // The withdrawal function (Art. 11a Consumer Rights Directive): on every page, for everyone (guests sign in).
    {
      href: '/account/withdrawal',
      label: { en: 'Withdraw from contract', de: 'Vertrag widerrufen' },
      place: 'legal',
      for: 'everyone',
      order: 25,
    },
  ],
  // Addresses and the payment start at checkout (the basket holds no personal data and stays measurable).
  sensitivePaths: ['/checkout'],
  consoleFigures: orderFigures,
  customerSections: orderCustomerSection,
  migrations: [
    createOrders,
    widenOrderMoney,
    addRequestHash,
    createOrderSerials,
    defineOrderStates,
    dropPaymentToken,
    addLegalConsentsAndWithdrawals,
    addAddressBookAndVatCountry,
    addShippingTracking,
    addOrderNotesAndPayments,
    addConsoleIndexes,
  ],
  dataMap: (config) => ordersDataMap(config.retention.invoiceYears),
  jobs: [reconcilePaymentsJob, reconcileRefundsJob, sendPaymentRemindersJob],
  routes: registerOrderRoutes,
});
