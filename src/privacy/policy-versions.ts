// Published versions of the privacy policy: each content hash of the data map, vendor registry and operator
// facts is one version, stored with its rendered text in both languages, so that earlier versions stay readable.
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../platform/db/dialect.ts';
import { findLatestPolicyVersion, findLatestPolicyVersionWithHash, insertPolicyVersion } from './consent/consent.queries.ts';
import type { PolicyVersionsTable } from './consent/consent.tables.ts';
import { renderPolicyBody } from './policy.pages.ts';

/**
 * Publishes the current content as a new version unless it is already the latest one; called when the app
 * starts, so the version's date is the day the content took effect. Returns the version this process serves.
 */
export async function publishCurrentPolicyVersion(deps: Deps): Promise<PolicyVersionsTable> {
  const hash = deps.consent.hash;
  const input = { dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent };
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await findLatestPolicyVersion(deps.db);
    if (latest?.hash === hash) return latest;
    try {
      const row: PolicyVersionsTable = {
        number: (latest ? Number(latest.number) : 0) + 1,
        hash,
        published_at: deps.clock.now(),
        body_en: renderPolicyBody('en', input),
        body_de: renderPolicyBody('de', input),
      };
      await insertPolicyVersion(deps.db, row);
      return row;
    } catch (err) {
      // Another process took the number at the same moment: look again.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  // Several processes with different configurations are starting at once; serve our own content's latest version.
  const own = await findLatestPolicyVersionWithHash(deps.db, hash);
  if (!own) throw new Error('the current policy version could not be published');
  return own;
}
