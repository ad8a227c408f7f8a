// Published versions of the privacy policy: each content hash of the data map, vendor registry and operator
// facts is one version, stored with its rendered text in both languages, so that earlier versions stay readable.
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../platform/db/dialect.ts';
import { findLatestPolicyVersion, findPolicyVersionByHash, insertPolicyVersion } from './consent/consent.queries.ts';
import type { PolicyVersionsTable } from './consent/consent.tables.ts';
import { renderPolicyBody } from './policy.pages.ts';

/** The version for the current content; publishes it (the next number) the first time it is asked for. */
export async function ensureCurrentPolicyVersion(deps: Deps): Promise<PolicyVersionsTable> {
  const hash = deps.consent.hash;
  const existing = await findPolicyVersionByHash(deps.db, hash);
  if (existing) return existing;
  const input = { dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent };
  const row: PolicyVersionsTable = {
    number: 0,
    hash,
    published_at: deps.clock.now(),
    body_en: renderPolicyBody('en', input),
    body_de: renderPolicyBody('de', input),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await findLatestPolicyVersion(deps.db);
    try {
      await insertPolicyVersion(deps.db, { ...row, number: (latest ? Number(latest.number) : 0) + 1 });
      break;
    } catch (err) {
      // Another process published this hash, or took the number: look again.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  const stored = await findPolicyVersionByHash(deps.db, hash);
  if (!stored) throw new Error('the current policy version could not be published');
  return stored;
}
