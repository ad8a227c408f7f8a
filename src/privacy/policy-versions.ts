// Published versions of the privacy policy: each distinct rendered text (both languages) is one version, stored
// with that text, so that earlier versions stay readable and any change of wording reaches a running shop.
// The policy version is not the consent version (registry.hash): only the latter asks visitors again.
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { isUniqueViolation } from '../platform/db/dialect.ts';
import type { Lang } from '../platform/i18n.ts';
import {
  findLatestPolicyVersion,
  findLatestPolicyVersionWithHash,
  insertPolicyVersion,
} from './policy-versions.queries.ts';
import type { PolicyVersionsTable } from './policy-versions.tables.ts';
import { renderPolicyBody, type PolicyInput } from './policy.pages.ts';

export type PolicyRenderer = (lang: Lang, input: PolicyInput) => string;

/** sha256 (hex) of the rendered text in both languages: the identity of a policy version. */
export function policyTextHash(bodyEn: string, bodyDe: string): string {
  return createHash('sha256').update(bodyEn).update('\u0000').update(bodyDe).digest('hex');
}

/**
 * Publishes the current text as a new version unless it is already the latest one; called when the app starts,
 * so the version's date is the day the text took effect. Returns the version this process serves.
 */
export async function publishCurrentPolicyVersion(
  deps: Pick<Deps, 'config' | 'consent' | 'dataMap' | 'db' | 'clock'>,
  render: PolicyRenderer = renderPolicyBody,
): Promise<PolicyVersionsTable> {
  const input = { dataMap: deps.dataMap, operator: deps.config.operator, registry: deps.consent };
  const bodyEn = render('en', input);
  const bodyDe = render('de', input);
  const hash = policyTextHash(bodyEn, bodyDe);
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await findLatestPolicyVersion(deps.db);
    if (latest?.hash === hash) return latest;
    try {
      const row: PolicyVersionsTable = {
        number: (latest ? Number(latest.number) : 0) + 1,
        hash,
        published_at: deps.clock.now(),
        body_en: bodyEn,
        body_de: bodyDe,
      };
      await insertPolicyVersion(deps.db, row);
      return row;
    } catch (err) {
      // Another process took the number at the same moment: look again.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  // Several processes with different configurations are starting at once; serve our own text's latest version.
  const own = await findLatestPolicyVersionWithHash(deps.db, hash);
  if (!own) throw new Error('the current policy version could not be published');
  return own;
}
