// Surveys to purchasers (policy 3b): the staff's surveys, the consents to be invited (with their proof), the
// invitations (one per person and survey) and the answers. Answers are linked to their person only so that export,
// erasure and withdrawal find them; no staff page or route ever shows that link.

export interface SurveysTable {
  id: string;
  title_en: string;
  title_de: string;
  intro_en: string;
  intro_de: string;
  /** JSON array of `SurveyQuestion` (surveys.model.ts). */
  questions: string;
  /** JSON array of product ids: purchasers of any of them are invited. */
  product_ids: string;
  /** How many days each answer is kept after it was given. */
  retention_days: number;
  /** `draft` (being built), `open` (answers accepted), `closed`. */
  status: string;
  created_at: number;
  opened_at: number | null;
  closed_at: number | null;
}

export interface SurveyConsentsTable {
  /** One consent per account. */
  user_id: string;
  given_at: number;
  /** `checkout` or `account`. */
  source: string;
  /** The label and notice as shown, in the language shown, and the version of that text. */
  consent_text: string;
  consent_version: string;
  lang: string;
}

export interface SurveyInvitationsTable {
  /** The reference the link's token is derived from (platform/secret-links.ts); the token itself is never stored. */
  id: string;
  survey_id: string;
  user_id: string;
  /** The language of the mail and of the form. */
  lang: string;
  invited_at: number;
  /** Set when the invitation's one response arrives. */
  responded_at: number | null;
}

export interface SurveyResponsesTable {
  id: string;
  survey_id: string;
  user_id: string;
  /** JSON object: question id → option id, option ids, scale value or text. */
  answers: string;
  submitted_at: number;
  /** submitted_at + the survey's retention days: the retention rule deletes the answer then. */
  delete_after: number;
}

export interface SurveyTables {
  surveys: SurveysTable;
  survey_consents: SurveyConsentsTable;
  survey_invitations: SurveyInvitationsTable;
  survey_responses: SurveyResponsesTable;
}
