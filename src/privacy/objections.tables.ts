// Objections (Art. 21 GDPR) and restrictions (Art. 18 GDPR) a person recorded against one processing activity.

export type ObjectionKind = 'objection' | 'restriction';

export interface ProcessingObjectionsTable {
  user_id: string;
  /** A data map activity id, e.g. the one of emailed product suggestions. */
  activity: string;
  kind: ObjectionKind;
  recorded_at: number;
  /** Where it was recorded: the account page, a link in a mail, by staff on request. */
  via: string;
  /** When a restriction ends by itself (the DPO's decision); null: it stands until lifted. An ended record counts no more. */
  ends_at: number | null;
}

export interface ObjectionTables {
  processing_objections: ProcessingObjectionsTable;
}
