// Demo data: one experiment in draft on the product page's button (the catalog reads it as `product-cta`), so that
// staff find an example to start. No demo visits: counts come only from real requests.
import type { Deps } from '../../deps.ts';
import { createExperiment } from './analytics.experiments.ts';
import { findExperimentByKey } from './analytics.experiments.queries.ts';

export async function seedAnalytics(deps: Deps): Promise<void> {
  if (await findExperimentByKey(deps.db, 'product-cta')) return;
  await createExperiment(deps, {
    key: 'product-cta',
    name: 'Product page button: “Add to basket” or “Buy now”',
    changes: 'The text of the button on every product page (/shop/…).',
    goalKind: 'add-to-basket',
    goalPath: null,
    variants: [
      { key: 'control', weight: 1 },
      { key: 'buy-now', weight: 1 },
    ],
  });
}
