// What an erasure does to analytics: the person's pseudonyms (of their account, and of every consent id whose
// records were linked to it) go on the exclusion list, their raw events and assignments are deleted, and the
// affected days are rolled up again by the worker. Runs before the tables' rules: the consent records' link to
// the account is one of the things erasure removes.
import type { ErasureHook } from '../../privacy/data-map.ts';
import { excludePseudonyms } from './analytics.exclusions.ts';
import { listConsentIdsOfAccounts } from './analytics.rollup.queries.ts';
import { pseudonymOf } from './analytics.visitor.ts';

export const analyticsErasureHook: ErasureHook = async ({ db, config, now }, keys) => {
  if (keys.userIds.length === 0) return;
  const consentIds = await listConsentIdsOfAccounts(db, keys.userIds);
  const pseudonyms = [
    ...keys.userIds.map((id) => pseudonymOf(config.analyticsKey, 'account', id)),
    ...consentIds.map((id) => pseudonymOf(config.analyticsKey, 'consent', id)),
  ];
  await excludePseudonyms(db, pseudonyms, 'erasure', now);
};
