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
  ],
};
