// The catalogue holds no personal data but who started a product import; its tables and image files are listed so
// that the data map covers every table and file.
import type { DataMapPart } from '../../privacy/data-map.ts';

const notPersonal = (columns: string[]) => Object.fromEntries(columns.map((c) => [c, 'not-personal' as const]));

export const catalogDataMap: DataMapPart = {
  activities: [
    {
      // The only personal datum of the catalogue: which staff member started a product import.
      id: 'catalog.product-imports',
      name: { en: 'Product imports by our staff', de: 'Produktimporte durch unsere Mitarbeiter' },
      purpose: {
        en: 'Recording which staff member imported products from a file, with the report of rows that were refused, so that changes to the catalogue can be traced and corrected.',
        de: 'Festhalten, welcher Mitarbeiter Produkte aus einer Datei importiert hat, mit dem Bericht der abgelehnten Zeilen, damit Änderungen am Katalog nachvollzogen und berichtigt werden können.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our interest in a catalogue whose changes can be traced to the person who made them.',
        de: 'Unser Interesse an einem Katalog, dessen Änderungen sich der Person zuordnen lassen, die sie vorgenommen hat.',
      },
      subjects: { en: 'our staff', de: 'unsere Mitarbeiter' },
      recipients: [],
    },
  ],
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
        'status',
        'description_en',
        'description_de',
        'requirements_en',
        'requirements_de',
        'max_activations',
        'requires_id',
      ]),
      // An expansion's `requires_id` names the product it expands.
      refersTo: ['products'],
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
      // Each product's words joined into one text, indexed for full-text search (decision 0058); gone with it.
      table: 'product_search_documents',
      refersTo: ['products'],
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['id', 'product_id', 'terms']),
      erasure: null,
      retention: [],
    },
    ...['', '_data', '_idx', '_config'].map((suffix) => ({
      // SQLite only: the FTS5 index over those texts and its own tables (what FTS5 stores is SQLite's to shape).
      table: `product_search_fts${suffix}`,
      onlyOn: 'sqlite' as const,
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(
        { '': ['terms'], _data: ['id', 'block'], _idx: ['segid', 'term', 'pgno'], _config: ['k', 'v'] }[suffix] ?? [],
      ),
      erasure: null,
      retention: [],
    })),
    {
      // The distinct words of the catalogue (typos and parts of words are compared with them); no product link.
      table: 'product_search_words',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['term', 'trigram_count']),
      erasure: null,
      retention: [],
    },
    {
      // SQLite only (PostgreSQL's pg_trgm index does this): the trigrams of those words.
      table: 'product_search_word_trigrams',
      onlyOn: 'sqlite',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['trigram', 'trigram_count', 'term']),
      erasure: null,
      retention: [],
    },
    {
      // How many products each status and category holds, kept by triggers on products.
      table: 'product_counts',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['status', 'category_key', 'n']),
      erasure: null,
      retention: [],
    },
    {
      // Pictures of products (files under DATA_DIR/product-images); a row goes with its product (foreign key).
      table: 'product_images',
      refersTo: ['products'],
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['id', 'product_id', 'position', 'alt_en', 'alt_de', 'width', 'height', 'created_at']),
      erasure: null,
      retention: [],
    },
    {
      table: 'product_imports',
      activity: 'catalog.product-imports',
      subject: { via: 'user-id', column: 'created_by' },
      columns: {
        ...notPersonal([
          'id',
          'state',
          'total',
          'done',
          'created_count',
          'updated_count',
          'rejected',
          'source',
          'created_at',
          'updated_at',
        ]),
        created_by: 'account',
      },
      erasure: { action: 'anonymise', columns: ['created_by'] },
      retention: [
        {
          id: 'catalog.delete-old-product-imports',
          what: { en: 'Records of product imports', de: 'Aufzeichnungen über Produktimporte' },
          after: { days: 90 },
          from: 'created_at',
          fromEvent: { en: 'the import', de: 'dem Import' },
          basis: {
            en: 'an import is checked and corrected in the weeks after it; we chose 90 days, after which its report is of no more use',
            de: 'ein Import wird in den Wochen danach geprüft und berichtigt; wir haben 90 Tage gewählt, danach nützt sein Bericht nicht mehr',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
  files: [
    {
      // DATA_DIR/product-images/<product id>/<image id>-<width>.webp: resized copies made on upload (the upload
      // itself is never stored, nor any metadata of it), deleted with their product_images row.
      id: 'catalog.product-images',
      directory: 'product-images/*',
      names: /^([0-9a-f-]{36})-\d{1,5}\.webp$/,
      activity: 'platform.operation',
      contents: ['not-personal'],
      subject: null,
      erasure: null,
      retention: [],
    },
  ],
};
