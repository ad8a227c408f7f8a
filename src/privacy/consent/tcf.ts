// IAB TCF for the consent manager: the Global Vendor List comes from the operator's file (never fetched), TC strings are
// built on the server from the visitor's choices (only vendors on the list, exactly the given purposes, same input ⇒ same
// string), and the `__tcfapi` browser script is bundled once per process from tcf.client.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GVL, Segment, TCModel, TCString, type VendorList as CoreVendorList } from '@iabtcf/core';
import { build } from 'esbuild';
import { createMemo } from '../../platform/cache.ts';

/** The parts of a GVL v3 file (vendor-list.json) that Candor and @iabtcf/core rely on; checked when the file is loaded. */
export interface GvlJson {
  gvlSpecificationVersion: number;
  vendorListVersion: number;
  tcfPolicyVersion: number;
  lastUpdated: string;
  purposes: Record<string, GvlItem>;
  specialPurposes: Record<string, GvlItem>;
  features: Record<string, GvlItem>;
  specialFeatures: Record<string, GvlItem>;
  stacks?: Record<string, unknown>;
  dataCategories?: Record<string, GvlItem>;
  vendors: Record<string, GvlVendor>;
}
export interface GvlItem {
  id: number;
  name: string;
  description?: string;
}
export interface GvlVendor {
  id: number;
  name: string;
  purposes: number[];
  legIntPurposes: number[];
  flexiblePurposes: number[];
  specialPurposes: number[];
  features: number[];
  specialFeatures: number[];
  deletedDate?: string;
}

export type ConsentLanguage = 'EN' | 'DE';

/**
 * A GVL whose consent language is fixed. TCString.encode() writes `gvl.language` into the string, and the only
 * way the library offers to change it, changeLanguage(), downloads a translation file; encoding needs no texts.
 */
class FixedLanguageGvl extends GVL {
  readonly #language: ConsentLanguage;
  constructor(json: CoreVendorList, language: ConsentLanguage) {
    super(json);
    this.#language = language;
  }
  override get language(): string {
    return this.#language;
  }
}

/** A Global Vendor List read from disk: the parsed JSON and the @iabtcf/core GVL built from it. Load once, keep it. */
export class VendorList {
  readonly gvl: GVL;
  readonly #byLanguage = new Map<ConsentLanguage, GVL>();
  readonly #narrowed = createMemo<GVL>({ max: 100, maxKeyLength: Infinity });

  constructor(
    readonly file: string,
    readonly json: GvlJson,
  ) {
    this.gvl = new GVL(asCoreVendorList(json));
    this.#byLanguage.set('EN', this.gvl);
  }

  /** The GVL to encode with, so that the TC string names the language the visitor saw. */
  gvlFor(language: ConsentLanguage, disclosed?: number[]): GVL {
    if (disclosed) {
      return this.#narrowed.get(`${language}|${disclosed.join(',')}`, () => {
        const narrowed = new FixedLanguageGvl(asCoreVendorList(this.json), language);
        narrowed.narrowVendorsTo(disclosed);
        return narrowed;
      });
    }
    let gvl = this.#byLanguage.get(language);
    if (!gvl) {
      gvl = new FixedLanguageGvl(asCoreVendorList(this.json), language);
      this.#byLanguage.set(language, gvl);
    }
    return gvl;
  }
}

// @iabtcf/core 1.5.6 types the v2 GVL (policyUrl, descriptionLegal); v3 replaced those fields, but the GVL class only
// reads the version fields, the item maps and the vendors' declarations, all of which v3 keeps and loadVendorList checks.
function asCoreVendorList(json: GvlJson): CoreVendorList {
  return json as unknown as CoreVendorList;
}

/** Reads and checks the GVL file (vendor-list.json, specification v3). Throws an Error naming the file if it is missing or invalid. */
export function loadVendorList(file: string): VendorList {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`TCF vendor list ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`TCF vendor list ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const problem = checkGvl(parsed);
  if (problem) throw new Error(`TCF vendor list ${file} is invalid: ${problem}`);
  return new VendorList(file, parsed as GvlJson);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((id) => Number.isInteger(id) && id > 0);
}

/** Returns what is wrong with a parsed GVL, or null. Checks what @iabtcf/core would otherwise trip over with a TypeError. */
function checkGvl(json: unknown): string | null {
  if (!isObject(json)) return 'expected a JSON object';
  for (const key of ['gvlSpecificationVersion', 'vendorListVersion', 'tcfPolicyVersion'] as const) {
    if (!Number.isInteger(json[key]) || (json[key] as number) < 1) return `${key} must be a positive integer`;
  }
  if (typeof json.lastUpdated !== 'string' || Number.isNaN(Date.parse(json.lastUpdated)))
    return 'lastUpdated must be a date';
  const maps = ['purposes', 'specialPurposes', 'features', 'specialFeatures', 'vendors'] as const;
  for (const key of maps) {
    if (!isObject(json[key])) return `${key} must be an object keyed by id`;
  }
  const declared = {
    purposes: json.purposes as object,
    legIntPurposes: json.purposes as object,
    flexiblePurposes: json.purposes as object,
    specialPurposes: json.specialPurposes as object,
    features: json.features as object,
    specialFeatures: json.specialFeatures as object,
  };
  for (const [key, vendor] of Object.entries(json.vendors as Record<string, unknown>)) {
    if (!isObject(vendor) || vendor.id !== Number(key) || typeof vendor.name !== 'string')
      return `vendor ${key} must have a matching id and a name`;
    for (const [field, items] of Object.entries(declared)) {
      const ids = vendor[field];
      if (!isIdList(ids)) return `vendor ${key}: ${field} must be a list of ids`;
      const unknown = ids.find((id) => !Object.hasOwn(items, String(id)));
      if (unknown !== undefined) return `vendor ${key}: ${field} names ${unknown}, which the list does not define`;
    }
  }
  return null;
}

export interface TcStringInput {
  vendorList: VendorList;
  cmpId: number;
  cmpVersion: number;
  consentLanguage: ConsentLanguage;
  /** TCF purpose ids consented to; each must be defined in the vendor list. */
  purposes: number[];
  /** GVL vendor ids consented to; ids not on the list (or deleted from it) are left out. */
  vendors: number[];
  now: Date;
  publisherCountryCode?: string;
  /**
   * The vendors the visitor was shown (TCF 2.3 requires them in the Disclosed Vendors segment); the consented
   * vendors when not given. Never the whole list: a vendor the visitor never saw was not disclosed.
   */
  disclosedVendors?: number[];
}

/**
 * Encodes the visitor's choices as a service-specific TC string. Deterministic: the timestamps are `now` cut to the
 * UTC day, as the TC string specification requires (it keeps the string from becoming an identifier).
 * @iabtcf/core also drops the consent bit of a vendor that declares no purpose on the consent basis.
 */
export function encodeTcString(input: TcStringInput): string {
  const { vendorList } = input;
  const unknownPurpose = input.purposes.find((id) => !Object.hasOwn(vendorList.json.purposes, String(id)));
  if (unknownPurpose !== undefined)
    throw new Error(`TCF purpose ${unknownPurpose} is not defined in ${vendorList.file}`);

  const disclosed = [...new Set(input.disclosedVendors ?? input.vendors)]
    .filter((id) => vendorList.gvl.vendors[String(id)] !== undefined)
    .sort((a, b) => a - b);
  const gvl = vendorList.gvlFor(input.consentLanguage, disclosed);
  const model = new TCModel(gvl);
  model.cmpId = input.cmpId;
  model.cmpVersion = input.cmpVersion;
  model.consentScreen = 1;
  model.isServiceSpecific = true;
  if (input.publisherCountryCode !== undefined) model.publisherCountryCode = input.publisherCountryCode;
  const day = new Date(Date.UTC(input.now.getUTCFullYear(), input.now.getUTCMonth(), input.now.getUTCDate()));
  model.created = day;
  model.lastUpdated = new Date(day);
  model.purposeConsents.set([...new Set(input.purposes)]);
  model.vendorConsents.set(
    [...new Set(input.vendors)].filter((id) => Number.isInteger(id) && id > 0 && gvl.vendors[String(id)] !== undefined),
  );
  // The library fills the Disclosed Vendors segment from the GVL it is given, which gvlFor narrowed to `disclosed`.
  return TCString.encode(model, { segments: [Segment.CORE, Segment.VENDORS_DISCLOSED, Segment.PUBLISHER_TC] });
}

/** The consents in a TC string, ids sorted ascending. */
export function decodeTcString(s: string): {
  purposes: number[];
  vendors: number[];
  cmpId: number;
  disclosedVendors: number[];
} {
  const model = TCString.decode(s);
  const ascending = (a: number, b: number) => a - b;
  return {
    purposes: [...model.purposeConsents.values()].sort(ascending),
    vendors: [...model.vendorConsents.values()].sort(ascending),
    cmpId: Number(model.cmpId),
    disclosedVendors: [...model.vendorsDisclosed.values()].sort(ascending),
  };
}

/** The TCF purposes each consent category covers. */
// 1 store/access info on a device, 2 limited data to select ads, 3 create ad profiles, 4 use ad profiles, 7 measure ads, 8 measure content, 9 audience statistics, 10 develop and improve services.
export const categoryPurposes: Record<'preferences' | 'statistics' | 'marketing', number[]> = {
  preferences: [1],
  statistics: [1, 8, 9, 10],
  marketing: [1, 2, 3, 4, 7],
};

let cmpApiScript: Promise<string> | undefined;

/** The minified browser script that serves `__tcfapi` (see tcf.client.ts), built on first use and cached for the process. */
export function buildCmpApiScript(): Promise<string> {
  cmpApiScript ??= build({
    entryPoints: [fileURLToPath(new URL('./tcf.client.ts', import.meta.url))],
    write: false,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2018',
    platform: 'browser',
    logLevel: 'silent',
  }).then(
    (result) => {
      const [output] = result.outputFiles;
      if (!output) throw new Error('esbuild produced no output for tcf.client.ts');
      return output.text;
    },
    (err: unknown) => {
      cmpApiScript = undefined;
      throw err;
    },
  );
  return cmpApiScript;
}
