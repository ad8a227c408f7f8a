// A generated catalogue of a few thousand products (catalog.generate.ts): every listing order reads an index instead
// of sorting the table, search through the full-text index gives what the word rules say (checked against a plain
// computation over every product's words), and totals come from the kept counts and stay right as products change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { generateProducts } from './catalog.generate.ts';
import {
  explainHomeCatalogue,
  explainProductCards,
  insertProduct,
  listProductCards,
  updateProduct,
  type ProductSort,
} from './catalog.queries.ts';
import { queryWords, SIMILARITY_THRESHOLD, trigramsOf } from './catalog.search.ts';
import { demoProducts } from './catalog.seed.ts';

const GENERATED = 3000;
const SORTS: ProductSort[] = ['relevance', 'price-asc', 'price-desc', 'newest', 'name'];

/**
 * The PostgreSQL plan's nodes, depth first; `subPlans: false` leaves out subqueries run per row (each card's main
 * image), whose plans over a small table say nothing of the listing's.
 */
function planNodes(json: string, subPlans = true): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: Record<string, unknown>) => {
    if (!subPlans && node['Parent Relationship'] === 'SubPlan') return;
    out.push(node);
    for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  for (const top of JSON.parse(json) as { Plan: Record<string, unknown> }[]) walk(top.Plan);
  return out;
}

/** A word's score against a product's words by the rules of catalog.search.ts / decision 0037, computed plainly. */
const trigramsOfTerm = new Map<string, Set<string>>();

function wordScore(word: string, terms: { term: string; weight: number }[]): number | undefined {
  const trigrams = trigramsOf(word);
  let best: number | undefined;
  for (const { term, weight } of terms) {
    let factor = 0;
    if (term === word) factor = 0.02;
    else if (word.length >= 2 && term.startsWith(word)) factor = 0.015;
    else if (word.length >= 3 && term.includes(word)) factor = 0.012;
    let other = trigramsOfTerm.get(term);
    if (!other) trigramsOfTerm.set(term, (other = new Set(trigramsOf(term))));
    const shared = trigrams.filter((t) => other.has(t)).length;
    const similarity = shared / (trigrams.length + other.size - shared);
    if (similarity > SIMILARITY_THRESHOLD) factor = Math.max(factor, 0.01 * similarity);
    if (factor > 0) best = Math.max(best ?? 0, weight * factor);
  }
  return best;
}

describeEachDatabase('a large catalogue', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { LISTING_CACHE_MS: '0' } });
    await generateProducts(h.deps, GENERATED);
    // PostgreSQL plans from statistics; a table that just grew needs them (SQLite plans from the indexes alone).
    if (h.deps.dbKind === 'postgres') await sql`analyze`.execute(h.deps.db);
  });
  after(() => h.close());

  test('the first page of every order, in every language and within a category, reads an index and sorts nothing', async () => {
    for (const sort of SORTS)
      for (const lang of ['en', 'de'] as const)
        for (const category of [undefined, 'effects']) {
          const what = `${sort} ${lang} ${category ?? 'all'}`;
          const plan = await explainProductCards(h.deps.db, lang, 20, 0, { dbKind: h.deps.dbKind, sort, category });
          if (h.deps.dbKind === 'sqlite') {
            assert.ok(!plan.some((line) => /TEMP B-TREE/.test(line)), `${what} sorts: ${plan.join(' | ')}`);
            assert.ok(
              plan.some((line) => /^SEARCH products USING (COVERING )?INDEX products_/.test(line)),
              `${what} reads no index of products: ${plan.join(' | ')}`,
            );
          } else {
            const nodes = planNodes(plan[0]!, false);
            const types = nodes.map((n) => n['Node Type']).join(' > ');
            assert.ok(!nodes.some((n) => n['Node Type'] === 'Sort'), `${what} sorts: ${types}`);
            assert.ok(
              nodes.some(
                (n) => /^Index (Only )?Scan$/.test(String(n['Node Type'])) && n['Relation Name'] === 'products',
              ),
              `${what} reads no index of products: ${types}`,
            );
          }
        }
  });

  test('the home page’s one statement reads each category’s first products through its index and sorts no products', async () => {
    for (const lang of ['en', 'de'] as const) {
      const plan = await explainHomeCatalogue(h.deps.db, lang, 2);
      if (h.deps.dbKind === 'sqlite') {
        // The only sort is of the categories themselves; each category's products are a seek of its index.
        assert.deepEqual(
          plan.filter((line) => /products\b|TEMP B-TREE/.test(line) && !/product_(counts|images)/.test(line)),
          [
            'SEARCH products USING INDEX products_category_position (category_id=? AND status=?)',
            'USE TEMP B-TREE FOR ORDER BY',
          ],
          plan.join(' | '),
        );
      } else {
        // Products are read through an index, and no full sort is over them.
        // What a node reads itself, not through the subqueries it runs per row (the categories' sort runs those).
        const relations = (node: Record<string, unknown>): string[] => [
          String(node['Relation Name'] ?? ''),
          ...((node['Plans'] as Record<string, unknown>[] | undefined) ?? [])
            .filter((child) => !/Plan$/.test(String(child['Parent Relationship'])))
            .flatMap(relations),
        ];
        const nodes = planNodes(plan[0]!);
        const products = nodes.filter((n) => n['Relation Name'] === 'products');
        assert.ok(products.length > 0, plan[0]);
        // PostgreSQL plans the per-category subquery without knowing the category: it may walk products_position
        // and skip other categories' rows instead of seeking (decision 0063); either way an index, never a sort.
        for (const n of products) assert.match(String(n['Index Name'] ?? ''), /^products_/, plan[0]);
        // An incremental sort of a walk in position order (ties of position by id) is allowed; a full sort is not.
        for (const n of nodes.filter((n) => n['Node Type'] === 'Sort'))
          assert.ok(!relations(n).includes('products'), `a sort over products: ${plan[0]}`);
      }
    }
  });

  test('each card’s main image is one seek of its index, never a sort of the product’s images', async () => {
    for (const search of [undefined, 'reverb']) {
      const plan = await h.deps.db.transaction().execute(async (trx) => {
        // A few images make a small table that PostgreSQL would rather read whole; forbidding that shows the index.
        if (h.deps.dbKind === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
        return explainProductCards(trx, 'en', 20, 0, { dbKind: h.deps.dbKind, search });
      });
      if (h.deps.dbKind === 'sqlite') {
        // The image's subquery is the plan's last step (after the page's own, which a search sorts by score).
        const image = plan.slice(plan.indexOf('CORRELATED SCALAR SUBQUERY 1'));
        assert.deepEqual(image, [
          'CORRELATED SCALAR SUBQUERY 1',
          'SEARCH i USING INDEX product_images_main (product_id=?)',
        ]);
      } else {
        const listing = new Set(planNodes(plan[0]!, false).map((n) => JSON.stringify(n)));
        const perCard = planNodes(plan[0]!).filter((n) => !listing.has(JSON.stringify(n)));
        assert.deepEqual(
          perCard.map((n) => `${String(n['Node Type'])} ${String(n['Index Name'] ?? '')}`),
          ['Limit ', 'Index Scan product_images_main'],
          plan[0],
        );
      }
    }
  });

  test('a search reads the full-text index and scans no table of words or products', async () => {
    for (const search of ['reverb', 'kompresor velvet', 'flugel']) {
      // On a few thousand rows PostgreSQL would rather read tables whole or filter a b-tree walk; forbidding both
      // shows whether each step of the statement can be served by an index, the full-text one above all.
      const plan = await h.deps.db.transaction().execute(async (trx) => {
        if (h.deps.dbKind === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
        if (h.deps.dbKind === 'postgres') await sql`set local enable_indexscan = off`.execute(trx);
        return explainProductCards(trx, 'en', 20, 0, { dbKind: h.deps.dbKind, search });
      });
      if (h.deps.dbKind === 'sqlite') {
        assert.ok(
          plan.some((line) => /VIRTUAL TABLE INDEX .*:M/.test(line)),
          `no FTS5 match: ${plan.join(' | ')}`,
        );
        const scans = plan.filter((line) =>
          /^SCAN (products|product_search_(terms|words|word_trigrams|documents))\b/.test(line),
        );
        assert.deepEqual(scans, [], search);
      } else {
        const nodes = planNodes(plan[0]!);
        assert.ok(
          nodes.some((n) => n['Index Name'] === 'product_search_documents_fts'),
          `${search}: no GIN full-text: ${nodes.map((n) => `${String(n['Node Type'])} ${String(n['Relation Name'] ?? '')} ${String(n['Index Name'] ?? '')}`).join(' > ')}`,
        );
        const scans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
        assert.deepEqual(scans, [], search);
      }
    }
  });

  test('search finds and ranks as the word rules say: same word, beginning, part of a word, typo, every word', async () => {
    const products = await h.deps.db
      .selectFrom('products')
      .select(['id', 'slug', 'position'])
      .where('status', '=', 'active')
      .execute();
    const terms = new Map<string, { term: string; weight: number }[]>();
    for (const t of await h.deps.db
      .selectFrom('product_search_terms')
      .select(['product_id', 'term', 'weight'])
      .execute())
      terms.set(t.product_id, [...(terms.get(t.product_id) ?? []), t]);
    for (const search of [
      'reverb',
      'reverbs',
      'kompresor',
      'flugel',
      'velvet compressor',
      'synth 7919',
      'ko',
      'k',
      'stein hall',
      'xyzzy',
    ]) {
      const words = queryWords(search);
      const expected = products
        .map((p) => {
          const scores = words.map((w) => wordScore(w, terms.get(p.id) ?? []));
          return { p, score: scores.every((s) => s !== undefined) ? scores.reduce((a, b) => a! + b!, 0) : undefined };
        })
        .filter((x): x is { p: (typeof products)[number]; score: number } => x.score !== undefined)
        .sort(
          (a, b) =>
            Math.round(b.score * 1e6) - Math.round(a.score * 1e6) ||
            a.p.position - b.p.position ||
            (a.p.id < b.p.id ? -1 : 1),
        );
      const got = await listProductCards(h.deps.db, 'en', 20, 0, { dbKind: h.deps.dbKind, search });
      assert.equal(got.total, expected.length, `total of "${search}"`);
      assert.deepEqual(
        got.rows.map((r) => r.slug),
        expected.slice(0, 20).map((x) => x.p.slug),
        `first page of "${search}"`,
      );
    }
  });

  test('totals come from the kept counts and stay right when products are created, archived, moved and deleted', async () => {
    const b = new Browser(h.app);
    const truth = async (category?: string) => {
      let query = h.deps.db
        .selectFrom('products')
        .innerJoin('categories', 'categories.id', 'products.category_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('products.status', '=', 'active');
      if (category) query = query.where('categories.slug', '=', category);
      const all = await h.deps.db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      return Number((category ? await query.executeTakeFirstOrThrow() : all).n);
    };
    const listing = async (query = '') => (await b.api('GET', `/api/v1/products?limit=2&offset=2${query}`)).json();
    const check = async (when: string) => {
      const all = await listing();
      assert.deepEqual(Object.keys(all).sort(), ['items', 'limit', 'offset', 'total'], when);
      assert.equal(all.items.length, 2, when);
      assert.deepEqual([all.limit, all.offset], [2, 2], when);
      assert.equal(all.total, await truth(), `${when}: all`);
      assert.equal((await listing('&category=effects')).total, await truth('effects'), `${when}: effects`);
      // The home page: "See all 2,873 products", and each category's count.
      const home = (await b.get('/')).body;
      assert.ok(home.includes(`See all ${(await truth()).toLocaleString('en-GB')} products`), `${when}: home total`);
      const effects = (await truth('effects')).toLocaleString('en-GB');
      assert.match(home, new RegExp(`Effects</span> <span class="hint">${effects} products`), `${when}: home category`);
    };
    await check('as generated');
    const [template] = demoProducts(h.deps.clock.now());
    const effects = await h.deps.db
      .selectFrom('categories')
      .select('id')
      .where('slug', '=', 'effects')
      .executeTakeFirstOrThrow();
    const product = { ...template!, id: 'scale-new', slug: 'scale-new', category_id: effects.id, position: 5 };
    await insertProduct(h.deps.db, h.deps.dbKind, product);
    await check('after creating one');
    await updateProduct(h.deps.db, h.deps.dbKind, product.id, { status: 'archived' });
    await check('after archiving it');
    await updateProduct(h.deps.db, h.deps.dbKind, product.id, { status: 'active', category_id: null });
    await check('after moving it out of its category');
    await h.deps.db.deleteFrom('products').where('id', '=', product.id).execute();
    await check('after deleting it');
    // A filter the counts do not know (kind) counts exactly; a page past the end still tells the total.
    const hardware = await h.deps.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'active')
      .where('kind', '=', 'hardware')
      .executeTakeFirstOrThrow();
    assert.equal((await listing('&kind=hardware')).total, Number(hardware.n));
    const past = (await b.api('GET', '/api/v1/products?q=reverb&offset=100000')).json();
    assert.deepEqual(past.items, []);
    assert.ok(past.total > 20);
  });

  test('the full-text index follows every write of a product: new words found, old ones gone, nothing stale', async () => {
    const [template] = demoProducts(h.deps.clock.now());
    const product = {
      ...template!,
      id: 'scale-fts',
      slug: 'scale-fts',
      title_en: 'Quokka Looper',
      title_de: 'Quokka Schleife',
    };
    const find = async (search: string) =>
      (await listProductCards(h.deps.db, 'en', 5, 0, { dbKind: h.deps.dbKind, search })).rows.map((r) => r.slug);
    await insertProduct(h.deps.db, h.deps.dbKind, product);
    assert.deepEqual(await find('quokka'), ['scale-fts']);
    assert.deepEqual(await find('quok'), ['scale-fts']);
    await updateProduct(h.deps.db, h.deps.dbKind, product.id, {
      title_en: 'Wombat Looper',
      title_de: 'Wombat Schleife',
    });
    assert.deepEqual(await find('quokka'), []);
    assert.deepEqual(await find('wombat'), ['scale-fts']);
    const words = async () =>
      (
        await h.deps.db
          .selectFrom('product_search_words')
          .select('term')
          .where('term', 'in', ['quokka', 'wombat'])
          .execute()
      ).map((r) => r.term);
    assert.deepEqual(await words(), ['wombat'], 'a word no product holds is gone from the words');
    await h.deps.db.deleteFrom('products').where('id', '=', product.id).execute();
    assert.deepEqual(await find('wombat'), []);
    if (h.deps.dbKind === 'sqlite') {
      // FTS5 compares its index with the documents: a delete that missed the index fails here.
      await sql`insert into product_search_fts (product_search_fts) values ('integrity-check')`.execute(h.deps.db);
    }
    const documents = await h.deps.db
      .selectFrom('product_search_documents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const products = await h.deps.db
      .selectFrom('products')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(documents.n), Number(products.n));
  });
});
