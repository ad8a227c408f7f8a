// The words a product is found by, and pg_trgm's trigrams of a word, computed the same way for the products and for
// what a shopper types: folded (lower case, no diacritics, ß as ss) and cut into words of a-z and 0-9. Both
// databases therefore compare the same words: PostgreSQL with pg_trgm, SQLite with the trigram table (see queries).

/** Lower case without diacritics: "Flügel" and "FLUGEL" fold to "flugel", "Straße" to "strasse". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/œ/g, 'oe');
}

/** The words of a text: runs of a-z and 0-9 after folding. */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[a-z0-9]+/g) ?? [];
}

/** A shopper's query: at most five distinct words, each at most 40 characters. */
export function queryWords(text: string): string[] {
  return [...new Set(searchWords(text).map((w) => w.slice(0, 40)))].slice(0, 5);
}

/**
 * How much a match in each field counts: a word of the title outranks the same word in the category name or the
 * summary. Kept so that an exact or prefix match anywhere (score 2 or 1.5, times at least 0.7) still outranks the
 * best fuzzy one (below 1); a match inside a word (1.2, times at least 0.7) does not, so it is left to that order.
 */
export const FIELD_WEIGHT = { title: 100, category: 80, summary: 70 } as const;

/** A word a product is found by, with the weight of the best field it occurs in, and its number of trigrams. */
export interface SearchTerm {
  term: string;
  weight: number;
  trigrams: string[];
}

export interface SearchableProduct {
  slug: string;
  title_en: string;
  title_de: string;
  summary_en: string;
  summary_de: string;
}

/**
 * The words of each field, and each two neighbouring words written together ("KeyStep 49" is also found as
 * "keystep49"; "Drum Machine" as "drummachine").
 */
function fieldTerms(text: string): string[] {
  const words = searchWords(text).map((w) => w.slice(0, 40));
  const joined = words.slice(1).map((w, i) => `${words[i]}${w}`.slice(0, 40));
  return [...words, ...joined];
}

export function searchTermsOf(product: SearchableProduct, categoryNames: string[] = []): SearchTerm[] {
  const weights = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of fieldTerms(text)) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  };
  add(product.title_en, FIELD_WEIGHT.title);
  add(product.title_de, FIELD_WEIGHT.title);
  add(product.slug.replace(/-/g, ' '), FIELD_WEIGHT.title);
  for (const name of categoryNames) add(name, FIELD_WEIGHT.category);
  add(product.summary_en, FIELD_WEIGHT.summary);
  add(product.summary_de, FIELD_WEIGHT.summary);
  return [...weights].map(([term, weight]) => ({ term, weight, trigrams: trigramsOf(term) }));
}

/**
 * pg_trgm's trigrams of one word of a-z and 0-9: the word padded with two spaces in front and one behind, every
 * three neighbouring characters, each once. similarity(a, b) = shared / (trigrams of a + trigrams of b − shared).
 */
export function trigramsOf(word: string): string[] {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/**
 * A word counts as a typo of a product's word when their similarity is above this (pg_trgm's own default is 0.3):
 * "reverbs" ~ "reverb" (0.67) and "kontroller" ~ "controller" (0.57) are, "keystep" ~ "keys" (0.44) is not.
 */
export const SIMILARITY_THRESHOLD = 0.45;
