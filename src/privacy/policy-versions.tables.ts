// Published versions of the privacy policy (policy-versions.ts): the rendered text of each, kept readable.

export interface PolicyVersionsTable {
  number: number;
  /** sha256 of the rendered text in both languages (privacy/policy-versions.ts), not the consent hash. */
  hash: string;
  published_at: number;
  body_en: string;
  body_de: string;
}

export interface PolicyVersionTables {
  policy_versions: PolicyVersionsTable;
}
