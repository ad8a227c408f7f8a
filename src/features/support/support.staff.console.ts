// What support adds to the staff console beyond its own pages: the staff home's figure (new and open tickets) and
// the staff customer page's section (the customer's tickets).
import type { ConsoleFigureProvider, CustomerSectionProvider } from '../../feature.ts';
import { customerTicketsSection } from './support.staff.pages.ts';
import { countOpenTickets, listTicketsForCustomer } from './support.staff.queries.ts';

export const supportConsoleFigures: ConsoleFigureProvider = {
  roles: ['staff', 'admin'],
  order: 45,
  async load(deps) {
    return {
      figures: [
        {
          label: { en: 'Open support tickets', de: 'Offene Supporttickets' },
          value: await countOpenTickets(deps.db),
          unit: 'count',
          href: '/staff/support',
        },
      ],
    };
  },
};

export const supportCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 45,
  async load(deps, userId, lang) {
    const tickets = await listTicketsForCustomer(deps.db, userId);
    if (tickets.length === 0) return null;
    return {
      title: { en: 'Support tickets', de: 'Supporttickets' },
      body: customerTicketsSection(lang, deps.config.operator.timeZone, tickets),
    };
  },
};
