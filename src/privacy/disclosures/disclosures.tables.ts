// The disclosure log (who received what about whom, when, why) and the hand-off queue to recipients.

export interface DisclosuresTable {
  id: string;
  user_id: string;
  activity: string;
  recipient: string;
  /** JSON array of the field names that left (never the values). */
  fields: string;
  handoff_id: string | null;
  disclosed_at: number;
}

export interface HandoffsTable {
  id: string;
  user_id: string;
  recipient: string;
  /** JSON payload exactly as it leaves, after the gate stripped what the recipient may not have. */
  payload: string;
  created_at: number;
  delivered_at: number | null;
}

/** Disclosures about a person the call knows only by an email address (a mail through the relay). */
export interface AddressDisclosuresTable {
  id: string;
  email: string;
  activity: string;
  recipient: string;
  /** JSON array of the field names that left (never the values). */
  fields: string;
  disclosed_at: number;
}

export interface DisclosureTables {
  disclosures: DisclosuresTable;
  address_disclosures: AddressDisclosuresTable;
  handoffs: HandoffsTable;
}
