// The operator's facts that the privacy policy and imprint need: controller, DPO, supervisory authority.
// They come from a JSON file; without one the demo company (fictional) is used.
import { existsSync, readFileSync } from 'node:fs';

export interface Operator {
  company: string;
  address: string[];
  email: string;
  registry: string;
  vatId: string;
  dpo: { name: string; email: string };
  supervisoryAuthority: { name: string; address: string[]; url: string };
  /** Third-party vendors switched on, from the templates in privacy/consent/vendors.catalogue.ts. */
  vendors: { id: string; settings?: Record<string, string> }[];
  /** Links to the company's pages on social networks; they load nothing from those hosts until clicked. */
  social: { network: 'facebook' | 'twitter' | 'instagram' | 'youtube' | 'soundcloud'; url: string }[];
  /** IAB TCF v2.2, optional: the registered CMP id and version, and the Global Vendor List file to read. */
  tcf?: { cmpId: number; cmpVersion: number; vendorListFile: string };
  /** How long consent receipts are kept, in days (proof of consent, Art. 7(1) GDPR). */
  consentRecordDays: number;
}

export const demoOperator: Operator = {
  company: 'Tonfabrik Demo Audio GmbH',
  address: ['Beispielweg 12', '10115 Berlin', 'Germany'],
  email: 'hello@tonfabrik.example',
  registry: 'Amtsgericht Charlottenburg, HRB 000000 (demo)',
  vatId: 'DE000000000 (demo)',
  dpo: { name: 'Dana Beispiel', email: 'privacy@tonfabrik.example' },
  supervisoryAuthority: {
    name: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit',
    address: ['Alt-Moabit 59-61', '10555 Berlin', 'Germany'],
    url: 'https://www.datenschutz-berlin.de',
  },
  // The demo switches on several vendors so that consent gating is visible; their ids are made up.
  vendors: [
    { id: 'google-analytics', settings: { measurementId: 'G-DEMO000001' } },
    { id: 'hotjar', settings: { siteId: '1000001' } },
    { id: 'zendesk', settings: { widgetKey: '00000000-0000-4000-8000-000000000001' } },
    { id: 'criteo', settings: { accountId: '100001' } },
    { id: 'facebook-pixel', settings: { pixelId: '100000000000001' } },
    { id: 'google-remarketing', settings: { conversionId: 'AW-100000001' } },
  ],
  social: [
    { network: 'facebook', url: 'https://www.facebook.com/tonfabrik.example' },
    { network: 'twitter', url: 'https://twitter.com/tonfabrik_example' },
    { network: 'instagram', url: 'https://www.instagram.com/tonfabrik.example' },
    { network: 'youtube', url: 'https://www.youtube.com/@tonfabrik-example' },
    { network: 'soundcloud', url: 'https://soundcloud.com/tonfabrik-example' },
  ],
  consentRecordDays: 3 * 365,
};

export function loadOperator(file: string): Operator {
  if (!existsSync(file)) return demoOperator;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`The operator file ${file} is not valid JSON.`);
  }
  const merged = { ...demoOperator, ...(parsed as Partial<Operator>) };
  const missing = (['company', 'email'] as const).filter((k) => typeof merged[k] !== 'string' || merged[k] === '');
  if (missing.length > 0) throw new Error(`The operator file ${file} needs ${missing.join(', ')}.`);
  if (typeof merged.dpo?.email !== 'string' || typeof merged.dpo?.name !== 'string') {
    throw new Error(`The operator file ${file} needs dpo.name and dpo.email.`);
  }
  return merged;
}
