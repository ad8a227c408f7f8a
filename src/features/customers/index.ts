// The staff customer console (/staff/customers): customer accounts searchable by name, email and whatever the
// features' `customerSections` find (an order or serial number), one customer's page built from those sections,
// and support actions (resend the confirmation, end all sessions, start a password reset). It owns no table.
import { defineFeature } from '../../feature.ts';
import { registerCustomerRoutes } from './customers.routes.ts';
import { createCustomerSearch } from './migrations/001-customer-search.ts';

export const customersFeature = defineFeature({
  name: 'customers',
  navigation: [
    {
      href: '/staff/customers',
      label: { en: 'Customers', de: 'Kunden' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 51.5,
    },
  ],
  migrations: [createCustomerSearch],
  routes: registerCustomerRoutes,
});
