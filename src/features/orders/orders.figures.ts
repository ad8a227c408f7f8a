// The staff home's order figures: sales today and over 30 days (with a chart per day), orders to ship, unpaid invoices.
import type { Deps } from '../../deps.ts';
import type { ConsoleFigureProvider, ConsolePeriod } from '../../feature.ts';
import { countOrdersToShip, salesPerDay, unpaidInvoices } from './orders.figures.queries.ts';

const DAY = 24 * 3600 * 1000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export const orderFigures: ConsoleFigureProvider = {
  roles: ['staff', 'admin'],
  order: 10,
  async load(deps: Pick<Deps, 'db' | 'config'>, period: ConsolePeriod) {
    const sales = await salesPerDay(deps.db, period.days, period.end);
    const toShip = await countOrdersToShip(deps.db);
    const today = period.days[period.days.length - 1] ?? period.now;
    // Due at the end of the day `paymentTermDays` after the order's day (invoices/payment-details.ts): overdue
    // when that day lies before today.
    const unpaid = await unpaidInvoices(deps.db, today - deps.config.operator.paymentTermDays * DAY);
    const oldestDays = unpaid.oldest === null ? 0 : Math.max(0, Math.floor((period.now - unpaid.oldest) / DAY));
    return {
      figures: [
        {
          label: { en: 'Orders today', de: 'Bestellungen heute' },
          value: sales.orders.at(-1) ?? 0,
          unit: 'count' as const,
          href: '/staff/orders',
        },
        { label: { en: 'Revenue today', de: 'Umsatz heute' }, value: sales.cents.at(-1) ?? 0, unit: 'cents' as const },
        {
          label: { en: 'Orders, last 30 days', de: 'Bestellungen, letzte 30 Tage' },
          value: sum(sales.orders),
          unit: 'count' as const,
        },
        {
          label: { en: 'Revenue, last 30 days', de: 'Umsatz, letzte 30 Tage' },
          value: sum(sales.cents),
          unit: 'cents' as const,
        },
        {
          label: { en: 'Orders to ship', de: 'Zu versendende Bestellungen' },
          value: toShip,
          unit: 'count' as const,
          href: '/staff/orders?status=paid',
        },
        {
          label: { en: 'Unpaid invoices', de: 'Offene Rechnungen' },
          value: unpaid.count,
          unit: 'count' as const,
          href: '/staff/orders?status=invoiced',
          note:
            unpaid.count > 0
              ? {
                  text: {
                    en: '{overdue} overdue · oldest {days} days',
                    de: '{overdue} überfällig · älteste {days} Tage',
                  },
                  params: { overdue: unpaid.overdue, days: oldestDays },
                }
              : undefined,
        },
      ],
      charts: [{ label: { en: 'Revenue per day', de: 'Umsatz pro Tag' }, unit: 'cents' as const, values: sales.cents }],
    };
  },
};
