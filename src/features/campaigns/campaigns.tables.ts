// Newsletter campaigns written by staff, and one row per recipient of a campaign once its audience is built.

export type CampaignStatus = 'draft' | 'scheduled' | 'building' | 'sending' | 'paused' | 'sent' | 'cancelled';
export type RecipientStatus = 'queued' | 'sent' | 'failed' | 'bounced' | 'suppressed';

export interface CampaignsTable {
  id: string;
  subject_en: string;
  subject_de: string;
  /** Markdown, rendered safely (platform/markdown.ts) into each mail's HTML and text parts. */
  body_en: string;
  body_de: string;
  /** A newsletter topic id, or null for every subscriber of the list. */
  topic: string | null;
  /** Only subscribers in this language ('en' | 'de'), or null: each subscriber in their own. */
  lang: string | null;
  status: CampaignStatus;
  /** When the audience is built and sending begins (set by scheduling; `now` for "send now"). */
  scheduled_at: number | null;
  /** The staff member who wrote it; null once their account data was erased. */
  created_by: string | null;
  created_at: number;
  updated_at: number;
  /** When building began: recipient i (in build order) is not sent before started_at + i × spacing. */
  started_at: number | null;
  /** When the audience was read to its end (all recipients and their outbox rows written). */
  built_at: number | null;
  finished_at: number | null;
  /** The build cursor: the last subscription id whose page is committed (recipients and outbox rows). */
  audience_after: string | null;
  /** Recipients written so far (the position of the next one, for its send time). */
  built_count: number;
  /** The status before a pause, to resume to: 'building' or 'sending'. */
  paused_from: string | null;
}

export interface CampaignRecipientsTable {
  campaign_id: string;
  subscription_id: string;
  email: string;
  /** The mail's language, the subscriber's. */
  lang: string;
  /** The account of the subscription, when there is one (the recipient list's access record names it). */
  user_id: string | null;
  /** The outbox row of this recipient's mail (and so its Message-ID); a random UUID chosen at build. */
  outbox_id: string;
  status: RecipientStatus;
  created_at: number;
  /** When the mail reached its final state (sent, failed, bounced, suppressed); null while queued. */
  done_at: number | null;
}

export interface CampaignTables {
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
}
