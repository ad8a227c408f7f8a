// The name a product file had when staff uploaded it, where it holds more than the safe ASCII name it is served
// under (letters with accents, other scripts): sent as the RFC 6266 `filename*`, so the buyer's browser saves it as
// it was called. Null when the safe name is the whole name (and for files uploaded before).
import { types } from '../../../platform/db/dialect.ts';
import type { Migration } from '../../../platform/db/migrate.ts';

export const addOriginalFileNames: Migration = {
  id: 'downloads.003-original-file-names',
  async up(db) {
    await db.schema.alterTable('product_files').addColumn('original_name', types.short).execute();
  },
};
