// IAB TCF v2.2 for Candor's consent, when the operator configures it: the TC string for a visitor's choices
// (purposes from the consent categories, vendors from the registry's GVL ids) and the __tcfapi script.
import type { Deps } from '../../deps.ts';
import { createMemo } from '../../platform/cache.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { EffectiveConsent } from './state.ts';
import { buildCmpApiScript, categoryPurposes, encodeTcString, loadVendorList } from './tcf.ts';

export interface TcfBridge {
  cmpId: number;
  cmpVersion: number;
  tcString(consent: EffectiveConsent, lang: Lang): string;
  script(): Promise<string>;
}

export function tcfForRequest(deps: Pick<Deps, 'config' | 'consent' | 'clock'>): TcfBridge | null {
  const settings = deps.config.operator.tcf;
  if (!settings) return null;
  const vendorList = loadVendorList(settings.vendorListFile);
  const cache = createMemo<string>({ max: 500, maxKeyLength: Infinity });
  // The vendors the banner shows: every enabled vendor that is on the Global Vendor List.
  const disclosedVendors = [
    ...new Set(deps.consent.vendors.flatMap((v) => (v.template.tcfVendorId ? [v.template.tcfVendorId] : []))),
  ].sort((a, b) => a - b);
  return {
    cmpId: settings.cmpId,
    cmpVersion: settings.cmpVersion,
    tcString(consent, lang) {
      const purposes = [...new Set([...consent.categories].flatMap((c) => categoryPurposes[c]))].sort((a, b) => a - b);
      const vendors = [
        ...new Set(consent.vendors.flatMap((v) => (v.template.tcfVendorId ? [v.template.tcfVendorId] : []))),
      ].sort((a, b) => a - b);
      // The string carries the day it was made; a cached one is reused only within that day.
      const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
      const key = `${day}|${lang}|${purposes.join(',')}|${vendors.join(',')}`;
      return cache.get(key, () =>
        encodeTcString({
          vendorList,
          cmpId: settings.cmpId,
          cmpVersion: settings.cmpVersion,
          consentLanguage: lang === 'de' ? 'DE' : 'EN',
          purposes,
          vendors,
          disclosedVendors,
          now: new Date(`${day}T00:00:00Z`),
        }),
      );
    },
    script: buildCmpApiScript,
  };
}
