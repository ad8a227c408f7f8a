// The staff home's stock figure: hardware running low.
import type { ConsoleFigureProvider } from '../../feature.ts';
import { countLowStock } from './catalog.figures.queries.ts';

/** Hardware with this many units or fewer counts as low stock. */
export const LOW_STOCK = 5;

export const catalogFigures: ConsoleFigureProvider = {
  roles: ['staff', 'admin'],
  order: 20,
  async load(deps) {
    return {
      figures: [
        {
          label: { en: `Low stock (${LOW_STOCK} or fewer)`, de: `Geringer Bestand (${LOW_STOCK} oder weniger)` },
          value: await countLowStock(deps.db, LOW_STOCK),
          unit: 'count',
          href: '/staff/products?low=1',
        },
      ],
    };
  },
};
