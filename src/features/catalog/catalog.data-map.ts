// The catalogue holds no personal data; its tables are listed so that the data map covers every table.
import type { DataMapPart } from '../../privacy/data-map.ts';

const notPersonal = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, 'not-personal' as const]));

export const catalogDataMap: DataMapPart = {
  activities: [],
  tables: [
    {
      table: 'products',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal([
        'id',
        'slug',
        'kind',
        'title_en',
        'title_de',
        'summary_en',
        'summary_de',
        'price_cents',
        'stock',
        'position',
        'created_at',
        'category_id',
      ]),
      erasure: null,
      retention: [],
    },
    {
      table: 'categories',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['id', 'slug', 'name_en', 'name_de', 'position']),
      erasure: null,
      retention: [],
    },
    {
      table: 'bundle_items',
      refersTo: ['products'],
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['bundle_id', 'product_id', 'position']),
      erasure: null,
      retention: [],
    },
    {
      // The words each product is found by, derived from its texts: rewritten with the product, gone with it.
      table: 'product_search_terms',
      refersTo: ['products'],
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['product_id', 'term', 'weight', 'trigram_count']),
      erasure: null,
      retention: [],
    },
    {
      // SQLite only (PostgreSQL's pg_trgm index does this): the trigrams of those words.
      table: 'product_search_trigrams',
      onlyOn: 'sqlite',
      refersTo: ['products'],
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['trigram', 'product_id', 'term']),
      erasure: null,
      retention: [],
    },
  ],
};
