// Competitions (staff content), their entries (the entrants' details, each row with the time it goes) and the
// record of each draw (seed and hashes only: no name, no address).

export interface CompetitionsTable {
  id: string;
  slug: string;
  title_en: string;
  title_de: string;
  text_en: string;
  text_de: string;
  prize_en: string;
  prize_de: string;
  starts_at: number;
  ends_at: number;
  /** How many winners the draw picks. */
  winners: number;
  /** JSON array of ISO 3166-1 codes entrants may live in. */
  countries: string;
  /** How long winners' contact details are kept after the draw, for handing over the prize (days). */
  prize_days: number;
  created_at: number;
  updated_at: number;
  drawn_at: number | null;
}

export interface CompetitionEntriesTable {
  id: string;
  competition_id: string;
  /** The address as stored everywhere (NFKC, trimmed, lower case). */
  email: string;
  given_name: string;
  surname: string;
  country: string;
  lang: string;
  /** `pending` (address not confirmed yet), `confirmed`, `won`. */
  status: string;
  /** Public reference of the entry's signed links (confirm, withdraw); not the entry id, which feeds the draw hash. */
  link_ref: string;
  /** The version (hash) of the participation text shown with the form. */
  terms_version: string;
  created_at: number;
  confirmed_at: number | null;
  /** Winners: their place in the draw (1 = first drawn). */
  won_position: number | null;
  handed_over_at: number | null;
  /**
   * When the row goes (the retention rule deletes it once passed): pending, when the link expires (never later
   * than the end); confirmed, a backstop after the end (the draw deletes non-winners at once); won, the draw plus
   * the prize period.
   */
  delete_after: number;
}

export interface CompetitionDrawsTable {
  id: string;
  competition_id: string;
  drawn_at: number;
  /** The 32 random bytes, hex. */
  seed: string;
  /** JSON array of SHA-256(entry id ":" email), hex, ascending: the confirmed entries at the draw. */
  entry_hashes: string;
  /** How many winners were asked for. */
  winners_wanted: number;
  /** JSON array of the drawn hashes, in the order drawn. */
  winner_hashes: string;
  /** The generator's name and version, so a verifier knows how to re-run it. */
  algorithm: string;
}

export interface CompetitionTables {
  competitions: CompetitionsTable;
  competition_entries: CompetitionEntriesTable;
  competition_draws: CompetitionDrawsTable;
}
