// Hardware product registration (policy 6b), with a staff review queue for disputed serial numbers, and the
// account page "My products" (software licences and registered hardware).
import { defineFeature } from '../../feature.ts';
import { createHardwareRegistrations } from './migrations/001-hardware.ts';
import { createRegistrationReviews } from './migrations/002-reviews.ts';
import { addAssignedByStaff } from './migrations/003-assigned-by-staff.ts';
import { registrationCustomerSection } from './registrations.customer.ts';
import { registrationsDataMap } from './registrations.data-map.ts';
import { registerRegistrationRoutes } from './registrations.routes.ts';

export const registrationsFeature = defineFeature({
  name: 'registrations',
  navigation: [
    {
      href: '/staff/registrations',
      label: { en: 'Product registrations', de: 'Produktregistrierungen' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'admin'],
      order: 54,
    },
  ],
  migrations: [createHardwareRegistrations, createRegistrationReviews, addAssignedByStaff],
  dataMap: registrationsDataMap,
  customerSections: registrationCustomerSection,
  routes: registerRegistrationRoutes,
});
