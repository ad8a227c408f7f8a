// Writing mail to the outbox (inside the caller's transaction) and delivering it from the worker.
// Delivery retries with growing delays; a message is leased before sending so no two workers send it. Marketing
// mail meets the suppression list once more as it leaves; a bounce stops a mail at once (decision 0051).
// Links that grant access are stored as secret placeholders and become tokens only in the message as sent, in the
// text and the HTML part alike; attachments are stored as references and rendered only at delivery.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { MINUTE, type Clock } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { mailDirectory, type Mailer } from '../../platform/email/mailer.ts';
import type { AttachmentRenderers, MailAttachmentRef, RenderedAttachment } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import { revealSecrets } from '../../platform/secret-links.ts';
import { faultPoint } from '../../platform/faults.ts';
import { ALL_MARKETING, isSuppressed, suppressAddress, suppressedMails } from './mail.suppression.ts';
import {
  BOUNCED_ERROR,
  claimDueOutboxBatch,
  findOutboxMessage,
  insertBusinessLetter,
  insertOutboxMessages,
  listDueOutboxIds,
  listExistingOutboxIds,
  listOutboxDeliveryRows,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  releaseOutboxLease,
  requeueFailedOutboxMessage,
  SUPPRESSED_ERROR,
} from './mail.queries.ts';
import type { OutboxTable } from './mail.tables.ts';
import type { Database } from '../../database.ts';

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part (platform/email/compose.ts makes both from one set of blocks). */
  html?: string;
  headers?: Record<string, string>;
  /** Files rendered at delivery from a reference (no copy of them is stored in the outbox). */
  attachments?: MailAttachmentRef[];
  /** The template that composed it (`account-reset-password`): the mail console filters by it. */
  template?: string;
  /**
   * The marketing list of a marketing mail: set only by `enqueueMarketingMail`, which adds the unsubscribe headers;
   * delivery then checks the suppression list. Absent for transactional mail, which the list never blocks.
   */
  list?: string;
}

/** Where and when an outbox row is written, beyond its content. */
export interface EnqueueOptions {
  /** The outbox id (and so the Message-ID): a campaign gives each recipient a stable one. A random UUID by default. */
  id?: string;
  /** Not sent before this time (throttled campaigns spread their mails); now by default. */
  notBefore?: number;
}

const RETRY_DELAYS = [1, 5, 15, 60, 180, 360, 720, 1440].map((m) => m * MINUTE);
const LEASE_MS = 2 * MINUTE;

/**
 * Call with the transaction that makes the change the mail reports, so both commit or neither does. A link that
 * grants access goes in with a placeholder (platform/secret-links.ts), never with its token.
 */
export async function enqueueMail(
  db: Kysely<Database>,
  clock: Clock,
  message: MailMessage,
  options: EnqueueOptions = {},
): Promise<string> {
  const row = outboxRow(clock.now(), message, options);
  await insertOutboxMessages(db, [row]);
  return row.id;
}

function outboxRow(now: number, message: MailMessage, options: EnqueueOptions): OutboxTable {
  return {
    id: options.id ?? randomUUID(),
    recipient: message.to,
    subject: message.subject,
    body: message.body,
    html: message.html ?? null,
    headers: JSON.stringify(message.headers ?? {}),
    attachments: JSON.stringify(message.attachments ?? []),
    created_at: now,
    attempts: 0,
    next_attempt_at: options.notBefore ?? now,
    locked_until: null,
    sent_at: null,
    failed_at: null,
    last_error: null,
    template: message.template ?? null,
    list: message.list ?? null,
  };
}

/** What makes a mail a marketing mail: its list, and the links to leave it. */
export interface MarketingMailOf {
  /** `newsletter`, `similar-products`, `surveys`...: the list the suppression list is checked against. */
  list: string;
  /**
   * The one-click target (RFC 8058): an HTTPS URL whose signed token authenticates a form-encoded POST
   * `List-Unsubscribe=One-Click` without cookie or CSRF token. May hold a secret placeholder (revealed at delivery).
   */
  oneClickUrl: string;
  /**
   * The caller filtered its recipients with `suppressedAmong` a moment ago (a campaign, by the thousand): skips the
   * lookup per mail. Delivery checks the list again in any case.
   */
  suppressionChecked?: boolean;
}

/**
 * Queues a marketing mail: adds `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` and
 * records the list, so delivery drops it if the address is on the suppression list by then. The caller's message
 * shows the visible unsubscribe link itself (its blocks). Returns null, writing nothing, when the address is
 * suppressed already.
 */
export async function enqueueMarketingMail(
  deps: { db: Kysely<Database>; clock: Clock; config: { suppressionKey: string } },
  message: MailMessage,
  of: MarketingMailOf,
  options: EnqueueOptions = {},
): Promise<string | null> {
  if (!of.suppressionChecked && (await isSuppressed(deps.db, deps.config.suppressionKey, message.to, of.list)))
    return null;
  return enqueueMail(deps.db, deps.clock, asMarketing(message, of), options);
}

/**
 * Queues many marketing mails in few statements (a campaign's page of a thousand recipients): the caller filtered
 * them against the suppression list (`suppressedAmong`) in the same breath; delivery checks it again in any case.
 */
export async function enqueueMarketingMails(
  deps: { db: Kysely<Database>; clock: Clock },
  mails: { message: MailMessage; of: Omit<MarketingMailOf, 'suppressionChecked'>; options?: EnqueueOptions }[],
): Promise<void> {
  const now = deps.clock.now();
  await insertOutboxMessages(
    deps.db,
    mails.map((m) => outboxRow(now, asMarketing(m.message, m.of), m.options ?? {})),
  );
}

function asMarketing(message: MailMessage, of: Pick<MarketingMailOf, 'list' | 'oneClickUrl'>): MailMessage {
  return {
    ...message,
    list: of.list,
    headers: {
      ...message.headers,
      'List-Unsubscribe': `<${of.oneClickUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

const notFailed = () =>
  new AppError(409, 'mail_not_failed', {
    en: 'Only a mail whose delivery failed can be sent again; this one is queued or was sent.',
    de: 'Erneut senden lässt sich nur eine E-Mail, deren Zustellung fehlgeschlagen ist; diese wartet oder wurde versandt.',
  });

/**
 * Staff send a failed mail again: the same stored message goes back in the queue and the worker delivers it as it
 * would a new one. Its links are made at delivery from the stored placeholders (decision 0011), so a link works
 * only while its token does: a resend never renews a token (decision 0044). Answers the recipient (for the audit).
 */
export async function resendFailedMail(deps: { db: Kysely<Database>; clock: Clock }, id: string): Promise<string> {
  const message = await findOutboxMessage(deps.db, id);
  if (!message) throw errors.notFound();
  if (!(await requeueFailedOutboxMessage(deps.db, id, deps.clock.now()))) throw notFailed();
  return message.recipient;
}

/** What a kept business letter is and whom it is about. */
export interface BusinessLetterOf {
  /** e.g. `order-confirmation`. */
  kind: string;
  /** e.g. the order's id. */
  ref: string;
  userId: string;
  lang: Lang;
}

/**
 * A commercial letter (the order confirmation): queued like any mail, and a copy of it as written (both parts and
 * the attachment references; secret links stay placeholders) kept apart from the outbox for the statutory period
 * (§ 257 HGB: 6 years), in the same transaction. Returns the outbox id.
 */
export async function enqueueBusinessLetter(
  db: Kysely<Database>,
  clock: Clock,
  message: MailMessage,
  letter: BusinessLetterOf,
): Promise<string> {
  const outboxId = await enqueueMail(db, clock, message);
  await insertBusinessLetter(db, {
    id: randomUUID(),
    kind: letter.kind,
    ref: letter.ref,
    user_id: letter.userId,
    outbox_id: outboxId,
    recipient: message.to,
    lang: letter.lang,
    subject: message.subject,
    body: message.body,
    html: message.html ?? null,
    attachments: JSON.stringify(message.attachments ?? []),
    created_at: clock.now(),
    restricted_at: null,
  });
  return outboxId;
}

export interface DeliveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  log: Logger;
  from: string;
  /** CANDOR_SECRET: the key that turns the placeholders of secret links into tokens. */
  secret: string;
  /**
   * Makes the files of attachment references (the composition root registers them: Deps.mailAttachments). A
   * message with a reference whose kind has no renderer, or whose renderer finds nothing, is not sent but retried.
   * Without renderers at all (tests that do not look at files), references are left out of the message.
   */
  attachments?: AttachmentRenderers;
  /** MAIL_CONCURRENCY: messages in flight to the mail server at once (1 by default: one after another). */
  concurrency?: number;
  /**
   * SUPPRESSION_KEY: with it, a marketing mail (one with a list) whose address is on the suppression list is not
   * sent but marked `suppressed`, and a bounced one puts its address on the list. The delivery job always passes
   * it; only tests that send no marketing mail leave it out.
   */
  suppressionKey?: string;
}

/** How long one message may take at the SMTP server (the transport's socket timeout) plus a margin. */
const SEND_MS = 70_000;

/**
 * Delivers up to `limit` due messages: claims them in batches (one conditional update each), drops the suppressed
 * marketing mails of the batch (one lookup), sends up to `concurrency` at once and marks each as sent as soon as
 * the server accepted it. At-least-once at the SMTP boundary: only a crash between the server's acceptance and
 * the sent mark repeats a message, with the same Message-ID (fault points name those steps, decisions 0049 and 0051).
 */
export async function deliverDueMail(deps: DeliveryDeps, limit = 50): Promise<{ sent: number; failed: number }> {
  const concurrency = Math.max(1, deps.concurrency ?? 1);
  // A batch small enough to be sent well inside its lease, large enough to keep every connection busy.
  const batchSize = Math.max(16, concurrency * 8);
  const total = { sent: 0, failed: 0 };
  let left = limit;
  while (left > 0) {
    const now = deps.clock.now();
    const leaseUntil = now + LEASE_MS;
    const batch = await claimDueOutboxBatch(deps.db, now, leaseUntil, Math.min(left, batchSize));
    if (batch.length === 0) break;
    left -= batch.length;
    faultPoint('mail.after-claim');
    const suppressed = await suppressedInBatch(deps, batch);
    const queue = [...batch.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [index, message] = next;
        const outcome = suppressed.has(index)
          ? await dropSuppressed(deps, message)
          : await deliverOne(deps, message, leaseUntil);
        if (outcome === 'sent') total.sent++;
        else if (outcome === 'failed') total.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
  }
  return total;
}

/**
 * The delivery job's run: delivers while mail is due, for up to `budgetMs` of this process's time, so a campaign
 * is not held at one batch per tick. Stops early when nothing is due.
 */
export async function deliverMailWhileDue(
  deps: DeliveryDeps,
  budgetMs = 20_000,
  /** The job's signal: once aborted (the worker stops), no further batch is claimed. */
  signal?: AbortSignal,
): Promise<{ sent: number; failed: number }> {
  const started = performance.now();
  const total = { sent: 0, failed: 0 };
  const step = Math.max(16, (deps.concurrency ?? 1) * 8);
  while (performance.now() - started < budgetMs && !signal?.aborted) {
    const done = await deliverDueMail(deps, step);
    total.sent += done.sent;
    total.failed += done.failed;
    if (done.sent + done.failed === 0 && !(await hasDueMail(deps))) break;
  }
  return total;
}

async function hasDueMail(deps: DeliveryDeps): Promise<boolean> {
  return (await listDueOutboxIds(deps.db, deps.clock.now(), 1)).length > 0;
}

type Outcome = 'sent' | 'failed' | 'retry' | 'released';

/** The positions in the batch of marketing mails whose address is suppressed for their list (one lookup). */
async function suppressedInBatch(deps: DeliveryDeps, batch: OutboxTable[]): Promise<Set<number>> {
  if (deps.suppressionKey === undefined) return new Set();
  const marketing = batch.flatMap((m, i) => (m.list !== null ? [{ i, to: m.recipient, list: m.list }] : []));
  if (marketing.length === 0) return new Set();
  const hit = await suppressedMails(deps.db, deps.suppressionKey, marketing);
  return new Set([...hit].map((k) => marketing[k]!.i));
}

async function dropSuppressed(deps: DeliveryDeps, message: OutboxTable): Promise<Outcome> {
  await markOutboxFailed(deps.db, message.id, deps.clock.now(), SUPPRESSED_ERROR);
  deps.log.info({ outboxId: message.id, list: message.list }, 'marketing mail not sent: address suppressed');
  return 'failed';
}

async function deliverOne(deps: DeliveryDeps, message: OutboxTable, leaseUntil: number): Promise<Outcome> {
  const id = message.id;
  // Its lease would run out during the send, and another worker could send it too: give it back untried.
  if (deps.clock.now() + SEND_MS > leaseUntil) {
    await releaseOutboxLease(deps.db, id);
    return 'released';
  }
  try {
    const headers = JSON.parse(message.headers) as Record<string, string>;
    const files = await renderAttachments(deps.attachments, JSON.parse(message.attachments) as MailAttachmentRef[]);
    // Secret links become tokens in both parts as the message leaves, never before (decision 0011).
    await deps.mailer.send({
      id,
      from: deps.from,
      to: message.recipient,
      subject: message.subject,
      text: revealSecrets(deps.secret, message.body, message.recipient),
      ...(message.html !== null ? { html: revealSecrets(deps.secret, message.html, message.recipient) } : {}),
      headers: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, revealSecrets(deps.secret, v, message.recipient)]),
      ),
      ...(files.length > 0 ? { attachments: files } : {}),
    });
  } catch (err) {
    return recordFailure(deps, message, err);
  }
  faultPoint('mail.after-accept');
  await markOutboxSent(deps.db, id, deps.clock.now());
  faultPoint('mail.after-commit');
  return 'sent';
}

/**
 * A refusal for good of the recipient or the message (a 5xx reply to RCPT TO or DATA) is a bounce: no retries, and
 * a marketing address goes on the suppression list for every list. Anything else (4xx, a dropped connection, a 5xx
 * to the sender or the login, which says nothing about the recipient) keeps the retry schedule.
 */
async function recordFailure(deps: DeliveryDeps, message: OutboxTable, err: unknown): Promise<Outcome> {
  const id = message.id;
  const now = deps.clock.now();
  const bounce = permanentRefusal(err);
  // Only a code is kept: SMTP replies often quote the recipient's address.
  const code = bounce !== undefined ? `${BOUNCED_ERROR} ${bounce}` : describeError(err);
  deps.log.warn({ outboxId: id, attempt: message.attempts, code }, 'mail delivery failed');
  if (bounce !== undefined) {
    await markOutboxFailed(deps.db, id, now, code);
    if (message.list !== null && deps.suppressionKey !== undefined)
      await suppressAddress(deps.db, deps.suppressionKey, message.recipient, {
        list: ALL_MARKETING,
        reason: 'bounced',
        at: now,
      });
    return 'failed';
  }
  const delay = RETRY_DELAYS[message.attempts - 1];
  if (delay === undefined) {
    await markOutboxFailed(deps.db, id, now, code);
    return 'failed';
  }
  await markOutboxRetry(deps.db, id, now + delay, code);
  return 'retry';
}

function permanentRefusal(err: unknown): number | undefined {
  const e = err as { responseCode?: unknown; command?: unknown };
  if (typeof e?.responseCode !== 'number' || e.responseCode < 500 || e.responseCode > 599) return undefined;
  return e.command === 'RCPT TO' || e.command === 'DATA' ? e.responseCode : undefined;
}

/** Where each of these messages stands, for a campaign's per-recipient status (absent: no such row any more). */
export async function outboxDeliveryStates(
  db: Kysely<Database>,
  ids: string[],
): Promise<Map<string, 'queued' | 'sent' | 'failed' | 'bounced' | 'suppressed'>> {
  const states = new Map<string, 'queued' | 'sent' | 'failed' | 'bounced' | 'suppressed'>();
  for (const row of await listOutboxDeliveryRows(db, ids)) {
    const state = deliveryState(row);
    states.set(row.id, state === 'retrying' ? 'queued' : state);
  }
  return states;
}

/** The state of one outbox row (the console's and the campaigns' reading of the same columns). */
export function deliveryState(m: { sent_at: number | null; failed_at: number | null; last_error: string | null }) {
  if (m.sent_at !== null) return 'sent' as const;
  if (m.failed_at !== null) {
    if (m.last_error === SUPPRESSED_ERROR) return 'suppressed' as const;
    if (m.last_error?.startsWith(`${BOUNCED_ERROR} `)) return 'bounced' as const;
    return 'failed' as const;
  }
  return m.last_error !== null ? ('retrying' as const) : ('queued' as const);
}

class AttachmentMissingError extends Error {
  readonly code = 'attachment-missing';
}

async function renderAttachments(
  renderers: AttachmentRenderers | undefined,
  refs: MailAttachmentRef[],
): Promise<RenderedAttachment[]> {
  if (!renderers || refs.length === 0) return [];
  const files: RenderedAttachment[] = [];
  for (const ref of refs) {
    const render = renderers[ref.kind];
    // The code names the kind only: a reference may be an order id, which the log must not tie to a person.
    const file = render ? await render(ref) : undefined;
    if (!file) throw new AttachmentMissingError(`no file for a ${ref.kind} attachment`);
    files.push({ ...file, filename: ref.filename });
  }
  return files;
}

function describeError(err: unknown): string {
  // The outbound gate refused a field the data map does not declare for the relay (privacy/disclosures/outbound.ts):
  // nothing left; retried, so a corrected data map lets the mail go.
  if (err instanceof Error && err.message.startsWith('refused:')) return 'refused-undeclared';
  const e = err as { code?: string; responseCode?: number };
  return [e.code, e.responseCode].filter(Boolean).join(' ') || 'error';
}

/**
 * The embedded mail sink's .eml files follow their outbox rows: once retention or an erasure removed a row,
 * its file goes too, so no copy of a mail outlives what the data map allows.
 */
export async function pruneMailFiles(db: Kysely<Database>, dataDir: string): Promise<number> {
  const dir = mailDirectory(dataDir);
  if (!existsSync(dir)) return 0;
  const files = readdirSync(dir).filter((f) => /^[0-9a-f-]{36}\.eml$/.test(f));
  const existing = await listExistingOutboxIds(
    db,
    files.map((f) => f.slice(0, -4)),
  );
  let removed = 0;
  for (const file of files) {
    if (existing.has(file.slice(0, -4))) continue;
    unlinkSync(join(dir, file));
    removed++;
  }
  return removed;
}
