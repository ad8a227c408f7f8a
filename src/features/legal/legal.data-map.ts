// The legal texts hold no personal data: the author of a version is recorded by role only (staff, admin), never by
// name or account. Listed so that the data map covers every table; versions are kept as long as orders name them.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const legalDataMap: DataMapPart = {
  activities: [],
  tables: [
    {
      table: 'legal_texts',
      activity: 'platform.operation',
      subject: null,
      columns: {
        doc: 'not-personal',
        version: 'not-personal',
        title_en: 'not-personal',
        title_de: 'not-personal',
        body_en: 'not-personal',
        body_de: 'not-personal',
        author_role: 'not-personal',
        created_at: 'not-personal',
      },
      erasure: null,
      retention: [],
    },
  ],
};
