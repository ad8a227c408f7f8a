// A large generated catalogue for benchmarks and scale tests: n products with believable English and German texts,
// spread over the demo categories, written in bulk with their search data. Deterministic (product i is always the
// same), so runs on both databases compare like with like. Never part of the demo seed.
import type { Deps } from '../../deps.ts';
import { insertCategories, insertProducts, listCategories } from './catalog.queries.ts';
import { demoCategories } from './catalog.seed.ts';
import type { ProductKind, ProductsTable } from './catalog.tables.ts';

const ADJECTIVES: [en: string, de: string][] = [
  ['Velvet', 'Samt'],
  ['Crystal', 'Kristall'],
  ['Midnight', 'Mitternacht'],
  ['Golden', 'Gold'],
  ['Analog', 'Analog'],
  ['Vintage', 'Vintage'],
  ['Modular', 'Modular'],
  ['Cosmic', 'Kosmos'],
  ['Urban', 'Stadt'],
  ['Silent', 'Leise'],
  ['Electric', 'Elektro'],
  ['Harbour', 'Hafen'],
  ['Northern', 'Nord'],
  ['Glass', 'Glas'],
  ['Iron', 'Eisen'],
  ['Copper', 'Kupfer'],
  ['Amber', 'Bernstein'],
  ['Stone', 'Stein'],
  ['Forest', 'Wald'],
  ['Ocean', 'Ozean'],
  ['Thunder', 'Donner'],
  ['Paper', 'Papier'],
  ['Neon', 'Neon'],
  ['Solar', 'Sonnen'],
];

const NOUNS: [en: string, de: string, kind: ProductKind][] = [
  ['Synth', 'Synthesizer', 'software'],
  ['Reverb', 'Hall', 'software'],
  ['Delay', 'Echo', 'software'],
  ['Compressor', 'Kompressor', 'software'],
  ['Equalizer', 'Entzerrer', 'software'],
  ['Grand Piano', 'Konzertflügel', 'software'],
  ['Strings', 'Streicher', 'software'],
  ['Drum Machine', 'Drumcomputer', 'software'],
  ['Sampler', 'Sampler', 'software'],
  ['Controller', 'Controller', 'hardware'],
  ['Keyboard', 'Keyboard', 'hardware'],
  ['Pad Controller', 'Pad-Controller', 'hardware'],
  ['Audio Interface', 'Audio-Interface', 'hardware'],
  ['Headphones', 'Kopfhörer', 'hardware'],
  ['Presets', 'Presets', 'expansion'],
  ['Sample Pack', 'Sample-Paket', 'expansion'],
  ['Loops', 'Loops', 'expansion'],
  ['Choir', 'Chor', 'expansion'],
];

const QUALITIES: [en: string, de: string][] = [
  ['warm', 'warm'],
  ['punchy', 'druckvoll'],
  ['wide', 'breit'],
  ['gentle', 'sanft'],
  ['gritty', 'rau'],
  ['lush', 'üppig'],
  ['precise', 'präzise'],
  ['dark', 'dunkel'],
];

const USES: [en: string, de: string][] = [
  ['for film scores', 'für Filmmusik'],
  ['for the stage', 'für die Bühne'],
  ['for mixing', 'zum Mischen'],
  ['for sound design', 'für Sounddesign'],
  ['for beginners', 'für Einsteiger'],
  ['for the studio', 'fürs Studio'],
];

const pick = <T>(list: T[], i: number): T => list[i % list.length]!;

/** Product `i` of a generated catalogue (slug `gen-<i>`); `categoryIds` are spread over the products in turn. */
export function generatedProduct(i: number, categoryIds: string[], now: number): ProductsTable {
  // Co-prime strides, so that neighbouring products differ in every part.
  const [adjEn, adjDe] = pick(ADJECTIVES, i * 7);
  const [nounEn, nounDe, kind] = pick(NOUNS, i * 5 + Math.floor(i / 24));
  const [qualEn, qualDe] = pick(QUALITIES, i * 3);
  const [useEn, useDe] = pick(USES, i * 11);
  const model = (i * 7919) % 10_000;
  return {
    id: `gen-${i.toString(36).padStart(8, '0')}`,
    slug: `gen-${i}`,
    kind,
    title_en: `${adjEn} ${nounEn} ${model}`,
    title_de: `${adjDe} ${nounDe} ${model}`,
    summary_en: `A ${qualEn} ${nounEn.toLowerCase()} ${useEn}.`,
    summary_de: `${nounDe}, ${qualDe}, ${useDe}.`,
    price_cents: 900 + ((i * 104_729) % 200_000),
    stock: kind === 'hardware' ? (i * 31) % 50 : null,
    // After the demo products (positions below 1000), in generation order.
    position: 1000 + i,
    // One product a minute, so "newest" has a strict order.
    created_at: now - (1_000_000 - i) * 60_000,
    category_id: categoryIds.length > 0 ? pick(categoryIds, i) : null,
    status: i % 20 === 19 ? 'archived' : 'active',
    description_en: '',
    description_de: '',
    requirements_en: '',
    requirements_de: '',
    max_activations: kind === 'software' ? 2 : null,
    requires_id: null,
  };
}

/**
 * Adds products gen-<from> … gen-<from+n-1> (5% of them archived) with their search data, in transactions of
 * `batch` products. The demo categories are created when there are none. Products already there are left alone.
 */
export async function generateProducts(
  deps: Pick<Deps, 'db' | 'dbKind' | 'clock'>,
  n: number,
  options: { from?: number; batch?: number } = {},
): Promise<void> {
  let categories = await listCategories(deps.db);
  if (categories.length === 0) {
    await insertCategories(deps.db, demoCategories());
    categories = await listCategories(deps.db);
  }
  const ids = categories.map((c) => c.id);
  const from = options.from ?? 0;
  const batch = options.batch ?? 1000;
  const now = deps.clock.now();
  for (let start = from; start < from + n; start += batch) {
    const rows: ProductsTable[] = [];
    for (let i = start; i < Math.min(start + batch, from + n); i++) rows.push(generatedProduct(i, ids, now));
    await deps.db.transaction().execute((trx) => insertProducts(trx, deps.dbKind, rows));
  }
}
