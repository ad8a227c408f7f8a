// The visitor's consent state: kept in one signed cookie (the consent id, the policy hash it was given for,
// the choices, whether the visitor chose explicitly, and the account it is linked to), and what is in effect
// for this request once the Global Privacy Control signal is applied.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsentRegistry, EnabledVendor } from './registry.ts';
import { optionalCategories, type OptionalCategory } from './model.ts';

export interface StoredConsent {
  /** Random id of the visitor's receipts in the ledger. */
  id: string;
  /** The registry hash the choice was made under; another hash means the policy changed. */
  hash: string;
  categories: OptionalCategory[];
  vendors: string[];
  /** False when only the browser's GPC signal was recorded: the visitor still has to be asked. */
  explicit: boolean;
  /** The browser sent `Sec-GPC: 1` when this state was recorded, so the signal is already reflected in it. */
  gpc: boolean;
  /** A short tag of the account the receipts are linked to, so that linking happens once per sign-in. */
  linked: string;
}

export interface EffectiveConsent {
  stored: StoredConsent | null;
  /** The request carried `Sec-GPC: 1`. */
  gpc: boolean;
  categories: ReadonlySet<OptionalCategory>;
  /** Vendors whose tags may load and whose cookies may exist. */
  vendors: EnabledVendor[];
  /** Ask (show the banner): no explicit choice for the current policy. */
  ask: boolean;
}

const VERSION = 'c1';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`consent:${payload}`).digest('base64url').slice(0, 32);
}

export function newConsentId(): string {
  return randomBytes(16).toString('base64url');
}

export function encodeConsentCookie(secret: string, state: StoredConsent): string {
  const payload = Buffer.from(
    JSON.stringify([
      VERSION,
      state.id,
      state.hash.slice(0, 16),
      state.categories,
      state.vendors,
      state.explicit ? 1 : 0,
      state.gpc ? 1 : 0,
      state.linked,
    ]),
  ).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The stored state, or null when the cookie is missing, forged or malformed. `hash` holds the first 16 hex digits. */
export function decodeConsentCookie(
  secret: string,
  raw: string | undefined,
  registry: ConsentRegistry,
): StoredConsent | null {
  if (!raw || raw.length > 2000) return null;
  const dot = raw.lastIndexOf('.');
  if (dot < 1) return null;
  const payload = raw.slice(0, dot);
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(raw.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== VERSION) return null;
  const [, id, hash, categories, vendors, explicit, gpc, linked] = parsed as unknown[];
  if (
    typeof id !== 'string' ||
    !/^[A-Za-z0-9_-]{22}$/.test(id) ||
    typeof hash !== 'string' ||
    !Array.isArray(categories) ||
    !Array.isArray(vendors)
  )
    return null;
  const known = new Set(registry.vendors.map((v) => v.template.id));
  return {
    id,
    hash,
    categories: optionalCategories.filter((c) => categories.includes(c)),
    vendors: vendors.filter((v): v is string => typeof v === 'string' && known.has(v)),
    explicit: explicit === 1,
    gpc: gpc === 1,
    linked: typeof linked === 'string' ? linked : '',
  };
}

/** What holds for this request: the stored choice if it was made under the current policy, with GPC applied. */
export function effectiveConsent(
  registry: ConsentRegistry,
  stored: StoredConsent | null,
  gpcSignal: boolean,
): EffectiveConsent {
  const current = stored && stored.hash === registry.hash.slice(0, 16) ? stored : null;
  const categories = new Set<OptionalCategory>(current?.categories ?? []);
  // Sec-GPC switches marketing off, unless the stored state was recorded with the signal present: then the
  // signal is already reflected in it, and an explicit choice made since then wins.
  if (gpcSignal && !current?.gpc) categories.delete('marketing');
  const vendors = registry.vendors.filter(
    (v) => categories.has(v.template.category) && current?.vendors.includes(v.template.id),
  );
  return { stored, gpc: gpcSignal, categories, vendors, ask: !current?.explicit };
}

/**
 * The choices a form or action asks for, limited to what the registry knows, and consistent: a vendor only with its
 * category. A category with purposes of our own (statistics, registry.own) is on when its box is ticked, with exactly
 * the vendors ticked, none included: that box is our own statistics, and "on, no third party" is a choice of its own.
 * A category of vendors alone is on only with a vendor: for a custom choice, its ticked box with none of its vendors
 * ticked means all of them when its vendors were not offered to choose from (the form showed them disabled under the
 * unticked category: `offered` lacks it), and off when they were (the visitor unticked every one).
 */
export function choicesFor(
  registry: ConsentRegistry,
  action: 'accept' | 'reject' | 'custom' | 'withdraw',
  form: { categories: string[]; vendors: string[]; offered?: string[] },
  gpcSignal = false,
): { categories: OptionalCategory[]; vendors: string[] } {
  if (action === 'accept') {
    // With GPC the banner does not ask about marketing, so "accept all" cannot switch it on; only an explicit
    // tick in the settings can.
    const categories = optionalCategories.filter((c) => !(gpcSignal && c === 'marketing'));
    return {
      categories,
      vendors: registry.vendors.filter((v) => categories.includes(v.template.category)).map((v) => v.template.id),
    };
  }
  if (action === 'reject' || action === 'withdraw') return { categories: [], vendors: [] };
  const vendors: string[] = [];
  const categories = optionalCategories.filter((c) => {
    if (!form.categories.includes(c)) return false;
    const inCategory = registry.vendors.filter((v) => v.template.category === c).map((v) => v.template.id);
    const ticked = inCategory.filter((id) => form.vendors.includes(id));
    if (registry.own.some((p) => p.category === c)) {
      vendors.push(...ticked);
      return true;
    }
    const chosen = ticked.length > 0 || form.offered?.includes(c) ? ticked : inCategory;
    vendors.push(...chosen);
    return inCategory.length === 0 || chosen.length > 0;
  });
  return { categories, vendors: registry.vendors.map((v) => v.template.id).filter((id) => vendors.includes(id)) };
}
