// Listing caches across processes: a process that changes the catalogue announces it on the `candor:cache` channel
// (deps.shared, Redis), and every process drops its cached listings at once. While Redis is away the others keep
// theirs until LISTING_CACHE_MS runs out (the TTL is the bound), and drop everything when Redis is back.
import type { Deps } from '../../deps.ts';

export const CACHE_CHANNEL = 'candor:cache';
const CATALOG = 'catalog';

/** After a saved change to products or categories: this process's caches at once, the others' through Redis. */
export function announceCatalogChange(deps: Pick<Deps, 'shared'>): void {
  deps.shared.publish(CACHE_CHANNEL, CATALOG);
}

/** Calls `drop` whenever any process announces a change (or messages may have been missed); returns the unsubscribe. */
export function onCatalogChange(deps: Pick<Deps, 'shared'>, drop: () => void): () => void {
  return deps.shared.subscribe(CACHE_CHANNEL, (message) => {
    if (message === undefined || message === CATALOG) drop();
  });
}
