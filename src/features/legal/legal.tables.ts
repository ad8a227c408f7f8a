// The operator's legal texts (terms, withdrawal policy, shipping and payment, contact): every save is a new
// version, never an update, so that an order can name the versions its customer accepted.

export const LEGAL_DOCS = ['terms', 'withdrawal', 'shipping', 'contact'] as const;
export type LegalDoc = (typeof LEGAL_DOCS)[number];

export interface LegalTextsTable {
  doc: LegalDoc;
  /** 1, 2, 3 … per document; (doc, version) is the key. */
  version: number;
  title_en: string;
  title_de: string;
  /** Plain text: paragraphs split by blank lines, a line starting with "## " is a heading. */
  body_en: string;
  body_de: string;
  /** Who saved it: the role (staff, admin), or `demo` for the demo company's texts; no person is named. */
  author_role: string;
  created_at: number;
}

export interface LegalTables {
  legal_texts: LegalTextsTable;
}
