// The catalogue's media jobs: files of images whose row is gone are removed (see removeOrphanImageFiles), and
// product imports are run chunk by chunk (see runProductImports).
import type { Job } from '../../feature.ts';
import { announceCatalogChange } from './catalog.cache.ts';
import { removeOrphanImageFiles } from './catalog.images.ts';
import { runProductImports } from './catalog.import.ts';

export const removeOrphanImagesJob: Job<'db' | 'clock' | 'config'> = {
  name: 'catalog.remove-orphan-images',
  everyMs: 60 * 60_000,
  run: async (deps) => {
    await removeOrphanImageFiles(deps);
  },
};

/**
 * Runs at every scheduler pass (each second, in `npm start`'s process as in `candor worker`), at most about two
 * seconds of rows per pass, so that mail and the other jobs are not held up by a large import.
 */
export const runProductImportsJob: Job<'db' | 'clock' | 'dbKind' | 'log' | 'shared'> = {
  name: 'catalog.run-product-imports',
  everyMs: 1000,
  run: async (deps) => {
    // The web processes' listings show imported rows at once, not after their cache's TTL.
    if ((await runProductImports(deps, { budgetMs: 2000 })) > 0) announceCatalogChange(deps);
  },
};
