// Newsletter campaigns: writing, scheduling, building the audience into the outbox, pausing, resuming, progress.
// Building reads the audience a page (1000 subscriptions) at a time and writes each page's recipient rows, their
// outbox rows and the advanced cursor in ONE transaction: a crash before the commit leaves nothing of the page, a
// crash after it leaves the cursor past it, so a rebuilt page adds no one twice (and the (campaign, subscription)
// key refuses it if it tried). Suppressed addresses and people who objected to or restricted the newsletter are
// left out at build; the suppression list is checked again at delivery for anyone who leaves in between.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { faultPoint } from '../../platform/faults.ts';
import { isLang, type Lang, type Text } from '../../platform/i18n.ts';
import { personsNotToProcess } from '../../privacy/objections.ts';
import { findUserIdsByEmails } from '../accounts/index.ts';
import {
  enqueueMail,
  enqueueMarketingMails,
  outboxDeliveryStates,
  pauseOutboxRows,
  resumeOutboxRows,
  suppressedAmong,
} from '../mail/index.ts';
import {
  findConfirmedEmails,
  listAudiencePage,
  unsubscribeLinks,
  type AudienceFilter,
  type AudienceMember,
} from '../newsletter/index.ts';
import { campaignMail, renderCampaignBody } from './campaigns.emails.ts';
import {
  advanceBuildCursor,
  lockCampaignPage,
  countRecipientsByStatus,
  countSentSince,
  existingRecipients,
  findCampaign,
  insertCampaign,
  insertRecipients,
  listBuildableCampaignIds,
  listCampaignIdsIn,
  listQueuedRecipients,
  setRecipientsStatus,
  updateCampaignIf,
} from './campaigns.queries.ts';
import type { CampaignRecipientsTable, CampaignStatus, CampaignsTable, RecipientStatus } from './campaigns.tables.ts';

export type CampaignDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'dataMap'>;

/** The list campaigns go to, and the activity whose objections and restrictions keep a person out. */
export const CAMPAIGN_LIST = 'newsletter';
export const CAMPAIGN_ACTIVITY = 'newsletter.subscriptions';
/** Subscriptions read, filtered and written per transaction while building. */
export const BUILD_PAGE = 1000;
/** Pages one run of the build job writes at most (all campaigns together): a run stays well inside the lease. */
export const BUILD_PAGES_PER_RUN = 20;
/** How long recipients of a stopped campaign are kept (campaigns.data-map.ts): a resume after that is refused. */
export const UNDELIVERED_KEPT_MS = 90 * 24 * 60 * 60_000;
/** How long the audience count on the console is reused before it is counted again. */
export const AUDIENCE_COUNT_TTL_MS = 60_000;
const CHUNK = 1000;

export const SUBJECT_MAX = 200;
export const BODY_MAX = 50_000;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface CampaignInput {
  subjectEn: string;
  subjectDe: string;
  bodyEn: string;
  bodyDe: string;
  topic: string | null;
  lang: Lang | null;
}

/** The form's problems by field (subject_en, body_de, topic, lang...), empty when it can be saved. */
export function campaignProblems(input: CampaignInput): Record<string, Text> {
  const problems: Record<string, Text> = {};
  const required = (field: string, value: string, max: number, what: Text) => {
    if (value.trim() === '')
      problems[field] = { en: `Please enter the ${what.en}.`, de: `Bitte geben Sie ${what.de} ein.` };
    else if (value.length > max)
      problems[field] = {
        en: `The ${what.en} may have at most ${max} characters.`,
        de: `${what.de[0]!.toUpperCase()}${what.de.slice(1)} darf höchstens ${max} Zeichen haben.`,
      };
  };
  required('subject_en', input.subjectEn, SUBJECT_MAX, { en: 'English subject', de: 'den englischen Betreff' });
  required('subject_de', input.subjectDe, SUBJECT_MAX, { en: 'German subject', de: 'den deutschen Betreff' });
  required('body_en', input.bodyEn, BODY_MAX, { en: 'English text', de: 'den englischen Text' });
  required('body_de', input.bodyDe, BODY_MAX, { en: 'German text', de: 'den deutschen Text' });
  if (/[\r\n]/.test(input.subjectEn) || /[\r\n]/.test(input.subjectDe))
    problems[/[\r\n]/.test(input.subjectEn) ? 'subject_en' : 'subject_de'] = {
      en: 'A subject is one line.',
      de: 'Ein Betreff ist eine Zeile.',
    };
  if (input.topic !== null && !TOPIC.test(input.topic))
    problems.topic = {
      en: 'A topic is written in lower-case letters, digits and hyphens (e.g. "plug-ins"), or left empty for all subscribers.',
      de: 'Ein Thema besteht aus Kleinbuchstaben, Ziffern und Bindestrichen (z. B. „plug-ins“) oder bleibt leer für alle Abonnenten.',
    };
  if (input.lang !== null && !isLang(input.lang))
    problems.lang = { en: 'Choose English, German or both.', de: 'Wählen Sie Englisch, Deutsch oder beide.' };
  return problems;
}

function checked(input: CampaignInput): CampaignInput {
  const problems = campaignProblems(input);
  if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
  return { ...input, subjectEn: input.subjectEn.trim(), subjectDe: input.subjectDe.trim() };
}

const notFound = () =>
  new AppError(404, 'campaign_not_found', {
    en: 'There is no such campaign.',
    de: 'Diese Aussendung gibt es nicht.',
  });

const wrongState = (text: Text) => new AppError(409, 'campaign_state', text);

export async function createCampaign(
  deps: CampaignDeps,
  input: CampaignInput & { createdBy: string },
): Promise<string> {
  const ok = checked(input);
  const id = randomUUID();
  const now = deps.clock.now();
  await insertCampaign(deps.db, {
    id,
    subject_en: ok.subjectEn,
    subject_de: ok.subjectDe,
    body_en: ok.bodyEn,
    body_de: ok.bodyDe,
    topic: ok.topic,
    lang: ok.lang,
    status: 'draft',
    scheduled_at: null,
    created_by: input.createdBy,
    created_at: now,
    updated_at: now,
    started_at: null,
    built_at: null,
    finished_at: null,
    audience_after: null,
    built_count: 0,
    paused_from: null,
  });
  return id;
}

/** Changes a draft or a scheduled campaign (a scheduled one keeps its time). */
export async function editCampaign(deps: CampaignDeps, id: string, input: CampaignInput): Promise<void> {
  const ok = checked(input);
  const done = await updateCampaignIf(deps.db, id, ['draft', 'scheduled'], {
    subject_en: ok.subjectEn,
    subject_de: ok.subjectDe,
    body_en: ok.bodyEn,
    body_de: ok.bodyDe,
    topic: ok.topic,
    lang: ok.lang,
    updated_at: deps.clock.now(),
  });
  if (!done) {
    if (!(await findCampaign(deps.db, id))) throw notFound();
    throw wrongState({
      en: 'This campaign is being sent or was sent; it can no longer be changed.',
      de: 'Diese Aussendung wird versandt oder wurde versandt; sie lässt sich nicht mehr ändern.',
    });
  }
}

export async function getCampaign(deps: Pick<Deps, 'db'>, id: string): Promise<CampaignsTable> {
  const campaign = await findCampaign(deps.db, id);
  if (!campaign) throw notFound();
  return campaign;
}

/** Sends at `at` (now or earlier: at the next run of the build job). A scheduled campaign can be moved. */
export async function scheduleCampaign(deps: CampaignDeps, id: string, at: number): Promise<void> {
  const now = deps.clock.now();
  const done = await updateCampaignIf(deps.db, id, ['draft', 'scheduled'], {
    status: 'scheduled',
    scheduled_at: Math.max(at, now),
    updated_at: now,
  });
  if (!done) {
    if (!(await findCampaign(deps.db, id))) throw notFound();
    throw wrongState({
      en: 'This campaign has started already.',
      de: 'Diese Aussendung hat bereits begonnen.',
    });
  }
}

/** A scheduled campaign goes back to being a draft (before its audience is built). */
export async function unscheduleCampaign(deps: CampaignDeps, id: string): Promise<void> {
  const done = await updateCampaignIf(deps.db, id, ['scheduled'], {
    status: 'draft',
    scheduled_at: null,
    updated_at: deps.clock.now(),
  });
  if (!done) {
    if (!(await findCampaign(deps.db, id))) throw notFound();
    throw wrongState({
      en: 'Only a scheduled campaign that has not started can be taken back.',
      de: 'Zurücknehmen lässt sich nur eine geplante Aussendung, die noch nicht begonnen hat.',
    });
  }
}

/** The outbox ids of the campaign's queued recipients, a chunk at a time. */
async function forQueuedChunks(
  deps: Pick<Deps, 'db'>,
  id: string,
  each: (chunk: { subscription_id: string; outbox_id: string }[], offset: number) => Promise<void>,
): Promise<void> {
  let after: string | undefined;
  let offset = 0;
  for (;;) {
    const chunk = await listQueuedRecipients(deps.db, id, CHUNK, after);
    if (chunk.length === 0) return;
    await each(chunk, offset);
    offset += chunk.length;
    after = chunk.at(-1)!.subscription_id;
  }
}

/** Stops building and sending: queued mails wait in the outbox until the campaign is resumed. */
export async function pauseCampaign(deps: CampaignDeps, id: string): Promise<void> {
  const campaign = await getCampaign(deps, id);
  if (campaign.status !== 'building' && campaign.status !== 'sending')
    throw wrongState({
      en: 'Only a campaign that is being sent can be paused.',
      de: 'Anhalten lässt sich nur eine Aussendung, die gerade versandt wird.',
    });
  // The condition on the status makes a concurrent page of the build roll back (advanceBuildCursor), or come first.
  const done = await updateCampaignIf(deps.db, id, [campaign.status], {
    status: 'paused',
    paused_from: campaign.status,
    updated_at: deps.clock.now(),
  });
  if (!done)
    throw wrongState({
      en: 'The campaign changed meanwhile; please try again.',
      de: 'Die Aussendung hat sich inzwischen geändert; bitte versuchen Sie es erneut.',
    });
  await forQueuedChunks(deps, id, async (chunk) => {
    await pauseOutboxRows(
      deps.db,
      chunk.map((r) => r.outbox_id),
    );
  });
}

/** Goes on where the pause stopped: the queued mails get new slots from now at the configured rate. */
export async function resumeCampaign(deps: CampaignDeps, id: string): Promise<void> {
  const campaign = await getCampaign(deps, id);
  if (campaign.status !== 'paused')
    throw wrongState({
      en: 'Only a paused campaign can be resumed.',
      de: 'Fortsetzen lässt sich nur eine angehaltene Aussendung.',
    });
  const now = deps.clock.now();
  // Its recipients (and their mails) are deleted 90 days after they were written, which is never before the time
  // it was due: after that a resume would reach only part of the audience.
  if (now >= (campaign.scheduled_at ?? campaign.started_at ?? now) + UNDELIVERED_KEPT_MS)
    throw wrongState({
      en: 'This campaign was paused for too long: its recipient list has been deleted. Please write a new campaign.',
      de: 'Diese Aussendung war zu lange angehalten: ihre Empfängerliste wurde gelöscht. Bitte legen Sie eine neue Aussendung an.',
    });
  const back: CampaignStatus = campaign.paused_from === 'building' ? 'building' : 'sending';
  const spacing = spacingMs(deps.config.campaignRatePerMinute);
  // The mails first, then the status: a crash in between leaves the campaign paused, and resuming again is harmless.
  await forQueuedChunks(deps, id, async (chunk, offset) => {
    await resumeOutboxRows(
      deps.db,
      chunk.map((r) => r.outbox_id),
      now + offset * spacing,
      spacing,
    );
  });
  // The build, if it was paused, continues its send times after the mails queued so far.
  await updateCampaignIf(deps.db, id, ['paused'], {
    status: back,
    paused_from: null,
    updated_at: now,
    ...(back === 'building' ? { started_at: now - campaign.built_count * spacing } : {}),
  });
}

export interface CampaignProgress {
  status: CampaignStatus;
  total: number;
  sent: number;
  /** Failed or bounced. */
  failed: number;
  /** Dropped at delivery: the address had left the list after the audience was built. */
  suppressed: number;
  /** Queued, not yet sent. */
  remaining: number;
  /** Mails that reached the mail server in the last minute. */
  perMinute: number;
}

export function progressOf(status: CampaignStatus, counts: Partial<Record<RecipientStatus, number>>) {
  const sent = counts.sent ?? 0;
  const failed = (counts.failed ?? 0) + (counts.bounced ?? 0);
  const suppressed = counts.suppressed ?? 0;
  const remaining = counts.queued ?? 0;
  return { status, total: sent + failed + suppressed + remaining, sent, failed, suppressed, remaining };
}

export async function campaignProgress(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<CampaignProgress> {
  const campaign = await getCampaign(deps, id);
  const counts = (await countRecipientsByStatus(deps.db, [id])).get(id) ?? {};
  const perMinute = await countSentSince(deps.db, id, deps.clock.now() - 60_000);
  return { ...progressOf(campaign.status, counts), perMinute };
}

/** Milliseconds between two mails of a campaign at this rate (0: no spacing). */
export function spacingMs(ratePerMinute: number): number {
  return ratePerMinute > 0 ? Math.ceil(60_000 / ratePerMinute) : 0;
}

function audienceOf(campaign: Pick<CampaignsTable, 'topic' | 'lang'>): AudienceFilter {
  return {
    list: CAMPAIGN_LIST,
    ...(campaign.topic ? { topic: campaign.topic } : {}),
    ...(campaign.lang === 'en' || campaign.lang === 'de' ? { lang: campaign.lang } : {}),
  };
}

/**
 * The members of a page who may get the mail: not suppressed for the list, and no objection or restriction of the
 * person, found through the subscription's account and through the account that has the address now (a person
 * who signed up before registering, or moved their account to this address, is the same person).
 */
async function reachable(deps: CampaignDeps, page: AudienceMember[]): Promise<AudienceMember[]> {
  const emails = page.map((m) => m.email);
  const suppressed = await suppressedAmong(deps.db, deps.config.suppressionKey, emails, CAMPAIGN_LIST);
  const byEmail = await findUserIdsByEmails(deps.db, emails);
  const personsOf = (m: AudienceMember) => [
    ...(m.user_id ? [m.user_id] : []),
    ...(byEmail.has(m.email) ? [byEmail.get(m.email)!] : []),
  ];
  const refused = await personsNotToProcess(deps, page.flatMap(personsOf), CAMPAIGN_ACTIVITY);
  return page.filter((m) => !suppressed.has(m.email) && !personsOf(m).some((p) => refused.has(p)));
}

/** How many people a campaign with this topic and language would reach now (what staff see before sending). */
export async function countCampaignAudience(
  deps: CampaignDeps,
  campaign: Pick<CampaignsTable, 'topic' | 'lang'>,
): Promise<number> {
  let count = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await listAudiencePage(deps.db, { ...audienceOf(campaign), afterId, limit: 5000 });
    if (page.length === 0) return count;
    count += (await reachable(deps, page)).length;
    afterId = page.at(-1)!.id;
  }
}

/** Recent counts per database and audience: what the console shows, reused for a minute (no shared state: a cache). */
const audienceCounts = new WeakMap<object, Map<string, { at: number; count: number }>>();

/**
 * The audience count for the console: counting filters every subscriber through the suppression list and the
 * objections, so a count is reused for AUDIENCE_COUNT_TTL_MS rather than made again on each page view.
 */
export async function cachedCampaignAudience(
  deps: CampaignDeps,
  campaign: Pick<CampaignsTable, 'topic' | 'lang'>,
): Promise<number> {
  const now = deps.clock.now();
  const key = `${campaign.topic ?? ''}|${campaign.lang ?? ''}`;
  let counts = audienceCounts.get(deps.db);
  if (!counts) audienceCounts.set(deps.db, (counts = new Map()));
  const hit = counts.get(key);
  if (hit && now - hit.at < AUDIENCE_COUNT_TTL_MS && now >= hit.at) return hit.count;
  const count = await countCampaignAudience(deps, campaign);
  for (const [k, v] of counts) if (now - v.at >= AUDIENCE_COUNT_TTL_MS) counts.delete(k);
  counts.set(key, { at: now, count });
  return count;
}

const langOf = (value: string): Lang => (value === 'de' ? 'de' : 'en');

class PageAbandoned extends Error {}

export interface BuildBudget {
  /** Pages this run writes at most; the next run goes on from the cursor. */
  maxPages?: number;
  /** Subscriptions per page (BUILD_PAGE; smaller in tests). */
  pageSize?: number;
}

/** Builds a campaign until its audience is done or `pages.left` is used up (decremented per written page). */
async function buildCampaign(
  deps: CampaignDeps,
  id: string,
  pages: { left: number; size: number; signal?: AbortSignal | undefined },
): Promise<void> {
  let campaign = await findCampaign(deps.db, id);
  if (!campaign) return;
  const startedNow = deps.clock.now();
  if (campaign.status === 'scheduled') {
    const patch = {
      status: 'building' as const,
      started_at: campaign.started_at ?? startedNow,
      updated_at: startedNow,
    };
    if (!(await updateCampaignIf(deps.db, id, ['scheduled'], patch))) return;
    campaign = { ...campaign, ...patch };
  }
  if (campaign.status !== 'building') return;
  const spacing = spacingMs(deps.config.campaignRatePerMinute);
  const filter = audienceOf(campaign);
  // The staff-written body is the same for every reader of a language: rendered once, not once per mail.
  const rendered = { en: renderCampaignBody(campaign, 'en'), de: renderCampaignBody(campaign, 'de') };
  let after = campaign.audience_after;
  let count = campaign.built_count;
  for (;;) {
    if (pages.left <= 0 || pages.signal?.aborted) return;
    const page = await listAudiencePage(deps.db, { ...filter, afterId: after ?? undefined, limit: pages.size });
    const now = deps.clock.now();
    if (page.length === 0) {
      await updateCampaignIf(deps.db, id, ['building'], { status: 'sending', built_at: now, updated_at: now });
      return;
    }
    const included = await reachable(deps, page);
    const last = page.at(-1)!.id;
    // The next mail's slot: in step with the rate from the start, never in the past (a resumed build).
    const base = Math.max((campaign.started_at ?? now) + count * spacing, now);
    const content = campaign;
    const written = await deps.db
      .transaction()
      .execute(async (trx) => {
        // Another worker writing this campaign's page now (or done with it): leave the campaign to it.
        if (!(await lockCampaignPage(trx, id, after))) throw new PageAbandoned();
        const existing = await existingRecipients(
          trx,
          id,
          included.map((m) => m.id),
        );
        // The page was read before the transaction: an erasure or an unsubscription since then removed or ended the
        // subscription, and only addresses still confirmed on the list are written.
        const stillConfirmed = await findConfirmedEmails(
          trx,
          CAMPAIGN_LIST,
          included.map((m) => m.email),
        );
        const rows: CampaignRecipientsTable[] = included
          .filter((m) => !existing.has(m.id) && stillConfirmed.has(m.email))
          .map((m) => ({
            campaign_id: id,
            subscription_id: m.id,
            email: m.email,
            lang: langOf(m.lang),
            user_id: m.user_id,
            outbox_id: randomUUID(),
            status: 'queued',
            created_at: now,
            done_at: null,
          }));
        await insertRecipients(trx, rows);
        await enqueueMarketingMails(
          { db: trx, clock: deps.clock },
          rows.map((r, i) => {
            const links = unsubscribeLinks(deps.config, { id: r.subscription_id, email: r.email });
            const lang = langOf(r.lang);
            return {
              message: campaignMail({
                to: r.email,
                lang,
                content,
                rendered: rendered[lang],
                unsubscribePageUrl: links.pageUrl,
                company: deps.config.operator.company,
              }),
              of: { list: CAMPAIGN_LIST, oneClickUrl: links.oneClickUrl },
              options: { id: r.outbox_id, notBefore: base + i * spacing },
            };
          }),
        );
        faultPoint('campaign.before-page-commit');
        if (!(await advanceBuildCursor(trx, id, after, { after: last, count: count + rows.length, now })))
          throw new PageAbandoned();
        return rows.length;
      })
      .catch((err: unknown) => {
        // Paused, or another builder got here first: this page is rolled back and left to them (or to resume).
        if (err instanceof PageAbandoned) return null;
        throw err;
      });
    if (written === null) return;
    faultPoint('campaign.after-page-commit');
    pages.left--;
    after = last;
    count += written;
  }
}

/**
 * The job 'campaigns.build-audiences': every campaign that is due (or whose build was interrupted) gets its
 * audience built, page by page, each page committed with its outbox rows, up to BUILD_PAGES_PER_RUN pages a run;
 * the next run goes on from the cursor.
 */
export async function buildDueCampaigns(
  deps: CampaignDeps,
  budget: BuildBudget = {},
  /** The job's signal: once aborted (the worker stops), no further page is started. */
  signal?: AbortSignal,
): Promise<{ pages: number }> {
  const maxPages = budget.maxPages ?? BUILD_PAGES_PER_RUN;
  const pages = { left: maxPages, size: budget.pageSize ?? BUILD_PAGE, signal };
  for (const id of await listBuildableCampaignIds(deps.db, deps.clock.now())) {
    if (pages.left <= 0 || signal?.aborted) break;
    await buildCampaign(deps, id, pages);
  }
  return { pages: maxPages - pages.left };
}

/**
 * The job 'campaigns.track-delivery': copies the outbox's states of queued recipients into campaign_recipients,
 * and marks a campaign sent once it was built to the end and nothing of it is queued any more.
 */
export async function trackCampaignDelivery(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  // A paused campaign's mails wait (a mail in flight at the pause is caught up with after the resume).
  for (const id of await listCampaignIdsIn(deps.db, ['building', 'sending'])) {
    await forQueuedChunks(deps, id, async (chunk) => {
      const states = await outboxDeliveryStates(
        deps.db,
        chunk.map((r) => r.outbox_id),
      );
      const byState = new Map<RecipientStatus, string[]>();
      for (const r of chunk) {
        // A row gone from the outbox (erased with its person) will never be sent.
        const state = states.get(r.outbox_id) ?? 'failed';
        if (state === 'queued') continue;
        const ids = byState.get(state);
        if (ids) ids.push(r.outbox_id);
        else byState.set(state, [r.outbox_id]);
      }
      const now = deps.clock.now();
      for (const [state, ids] of byState) await setRecipientsStatus(deps.db, id, ids, state, now);
    });
    const counts = (await countRecipientsByStatus(deps.db, [id])).get(id) ?? {};
    if ((counts.queued ?? 0) === 0) {
      const now = deps.clock.now();
      await updateCampaignIf(deps.db, id, ['sending'], { status: 'sent', finished_at: now, updated_at: now });
    }
  }
}

/** "Send a test to me": the campaign in one language to a staff member's own address, subject prefixed [Test]. */
export async function sendCampaignTest(
  deps: CampaignDeps,
  id: string,
  to: { email: string },
  lang: Lang,
): Promise<void> {
  const campaign = await getCampaign(deps, id);
  // Not marketing mail to a subscriber: the staff member asked for it, so no list and no suppression check. It has
  // no subscription, so no unsubscribe link either: a note says where the readers' link goes.
  await enqueueMail(
    deps.db,
    deps.clock,
    campaignMail({
      to: to.email,
      lang,
      content: campaign,
      unsubscribePageUrl: null,
      company: deps.config.operator.company,
      test: true,
    }),
  );
}

/** The instant a wall-clock time `YYYY-MM-DDTHH:MM` (a datetime-local field) names in the zone; undefined if none. */
export function instantInZone(value: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  const offsetAt = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(at));
    const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - at;
  };
  // Twice, in case the first guess lands across a clock change.
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}
