// The campaign console (staff, admin): list, new and edit, preview, test mail, schedule or send now with a confirm
// step, progress (reloads itself while sending, no script needed), pause, resume and the recipient list. Views of
// recipients and every action that sends or stops mail are recorded in the access audit.
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { isLang, type Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { findUserById } from '../accounts/index.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { encodeCursor, invalidCursor, parseNumberCursor } from '../../web/keyset.ts';
import {
  campaignFormPage,
  campaignListPage,
  campaignPage,
  confirmPage,
  previewPage,
  recipientsPage,
  type CampaignFormValues,
} from './campaigns.pages.ts';
import { countRecipientsByStatus, listCampaigns, listRecipientsPage } from './campaigns.queries.ts';
import {
  BODY_MAX,
  campaignProgress,
  cachedCampaignAudience,
  createCampaign,
  editCampaign,
  getCampaign,
  instantInZone,
  pauseCampaign,
  progressOf,
  resumeCampaign,
  scheduleCampaign,
  sendCampaignTest,
  unscheduleCampaign,
  type CampaignInput,
} from './campaigns.service.ts';

const ROLES: ('staff' | 'admin')[] = ['staff', 'admin'];
const PAGE_SIZE = 50;

const CampaignForm = formBody({
  subject_en: formText(1000),
  subject_de: formText(1000),
  body_en: formText(BODY_MAX * 2),
  body_de: formText(BODY_MAX * 2),
  topic: formText(200),
  lang: formText(10),
});
const ScheduleForm = formBody({ when: formText(10), at: formText(40), confirm: formText(5) });
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const PageQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });
const PreviewQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) });
const RecipientsQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const SUBSCRIPTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

function inputOf(body: CampaignFormValues): CampaignInput {
  const lang = body.lang?.trim() ?? '';
  return {
    subjectEn: body.subject_en ?? '',
    subjectDe: body.subject_de ?? '',
    bodyEn: body.body_en ?? '',
    bodyDe: body.body_de ?? '',
    topic: body.topic?.trim() ? body.topic.trim() : null,
    // An unknown value is left for the service to refuse with its message.
    lang: lang === '' ? null : isLang(lang) ? lang : (lang as never),
  };
}

export function registerCampaignRoutes(app: App, deps: Deps): void {
  const audit = (request: FastifyRequest, what: string) =>
    recordAccess(deps, { actor: request.viewer, whose: null, what, why: 'newsletter', path: request.url });

  app.get('/staff/campaigns', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, ROLES);
    const after = request.query.after || undefined;
    const keyset = parseNumberCursor(after);
    const rows = await listCampaigns(deps.db, PAGE_SIZE + 1, keyset && { createdAt: keyset.value, id: keyset.id });
    const items = rows.slice(0, PAGE_SIZE);
    const counts = await countRecipientsByStatus(
      deps.db,
      items.map((c) => c.id),
    );
    const last = items.at(-1);
    const next = rows.length > PAGE_SIZE && last ? encodeCursor(last.created_at, last.id) : null;
    return sendPage(
      reply,
      campaignListPage(
        pageContext(request),
        items.map((c) => ({ campaign: c, progress: progressOf(c.status, counts.get(c.id) ?? {}) })),
        { after, next },
      ),
    );
  });

  app.get('/staff/campaigns/new', async (request, reply) => {
    requireRole(request.viewer, ROLES);
    return sendPage(reply, campaignFormPage(pageContext(request), '/staff/campaigns', {}));
  });

  /** Saves the form; a refusal with field messages shows the form again (400), nothing saved. */
  async function saveForm(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    values: CampaignFormValues,
    save: () => Promise<string>,
  ) {
    try {
      const id = await save();
      return reply.redirect(`/staff/campaigns/${id}?notice=saved`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || Object.keys(err.fields).length === 0) throw err;
      return sendPage(reply, campaignFormPage(pageContext(request), action, values, err.fields), 400);
    }
  }

  app.post('/staff/campaigns', { schema: { body: CampaignForm } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, ROLES);
    return saveForm(request, reply, '/staff/campaigns', request.body, () =>
      createCampaign(deps, { ...inputOf(request.body), createdBy: viewer.userId }),
    );
  });

  app.get('/staff/campaigns/:id', { schema: { params: Params, querystring: PageQuery } }, async (request, reply) => {
    requireRole(request.viewer, ROLES);
    const campaign = await getCampaign(deps, request.params.id);
    const progress = await campaignProgress(deps, campaign.id);
    const planning = campaign.status === 'draft' || campaign.status === 'scheduled';
    const audience = planning ? await cachedCampaignAudience(deps, campaign) : null;
    // While it is being sent the page reloads itself: the Refresh header works without a script.
    if (campaign.status === 'building' || campaign.status === 'sending') reply.header('refresh', '5');
    return sendPage(
      reply,
      campaignPage(pageContext(request), {
        campaign,
        progress,
        audience,
        now: deps.clock.now(),
        notice: request.query.notice,
      }),
    );
  });

  app.get('/staff/campaigns/:id/edit', { schema: { params: Params } }, async (request, reply) => {
    requireRole(request.viewer, ROLES);
    const c = await getCampaign(deps, request.params.id);
    return sendPage(
      reply,
      campaignFormPage(pageContext(request), `/staff/campaigns/${c.id}`, {
        subject_en: c.subject_en,
        subject_de: c.subject_de,
        body_en: c.body_en,
        body_de: c.body_de,
        topic: c.topic ?? '',
        lang: c.lang ?? '',
      }),
    );
  });

  app.post('/staff/campaigns/:id', { schema: { params: Params, body: CampaignForm } }, async (request, reply) => {
    requireRole(request.viewer, ROLES);
    const id = request.params.id;
    return saveForm(request, reply, `/staff/campaigns/${id}`, request.body, async () => {
      await editCampaign(deps, id, inputOf(request.body));
      return id;
    });
  });

  app.get(
    '/staff/campaigns/:id/preview',
    { schema: { params: Params, querystring: PreviewQuery } },
    async (request, reply) => {
      requireRole(request.viewer, ROLES);
      const c = await getCampaign(deps, request.params.id);
      const lang = request.query.lang === 'de' ? 'de' : 'en';
      return sendPage(reply, previewPage(pageContext(request), c, lang));
    },
  );

  app.post('/staff/campaigns/:id/test', { schema: { params: Params, body: formBody({}) } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, ROLES);
    const user = await findUserById(deps.db, viewer.userId);
    if (!user)
      throw new AppError(403, 'forbidden', { en: 'Please sign in again.', de: 'Bitte melden Sie sich erneut an.' });
    await getCampaign(deps, request.params.id);
    await deps.db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      await sendCampaignTest(tx, request.params.id, { email: user.email }, 'en');
      await sendCampaignTest(tx, request.params.id, { email: user.email }, 'de');
    });
    await audit(request, 'campaign.test');
    return reply.redirect(`/staff/campaigns/${request.params.id}?notice=test-sent`, 303);
  });

  app.post(
    '/staff/campaigns/:id/schedule',
    { schema: { params: Params, body: ScheduleForm } },
    async (request, reply) => {
      requireRole(request.viewer, ROLES);
      const ctx = pageContext(request);
      const campaign = await getCampaign(deps, request.params.id);
      const now = deps.clock.now();
      const when = request.body.when === 'later' ? 'later' : request.body.when === 'now' ? 'now' : undefined;
      const fields: Record<string, Text> = {};
      let at = now;
      if (!when) fields.when = { en: 'Choose when to send.', de: 'Wählen Sie, wann versendet wird.' };
      if (when === 'later') {
        const parsed = instantInZone(request.body.at ?? '', ctx.timeZone);
        if (parsed === undefined)
          fields.at = {
            en: 'Enter a date and time, e.g. 2026-12-01 09:00.',
            de: 'Geben Sie Datum und Uhrzeit ein, z. B. 01.12.2026 09:00.',
          };
        else if (parsed < now)
          fields.at = {
            en: 'This time has passed; choose a later one or send now.',
            de: 'Dieser Zeitpunkt ist vorbei; wählen Sie einen späteren oder versenden Sie jetzt.',
          };
        else at = parsed;
      }
      if (Object.keys(fields).length > 0) {
        const progress = await campaignProgress(deps, campaign.id);
        const audience = await cachedCampaignAudience(deps, campaign);
        return sendPage(
          reply,
          campaignPage(ctx, {
            campaign,
            progress,
            audience,
            now,
            schedule: { values: { when: request.body.when, at: request.body.at }, fields },
          }),
          400,
        );
      }
      if (request.body.confirm !== 'yes') {
        const audience = await cachedCampaignAudience(deps, campaign);
        return sendPage(reply, confirmPage(ctx, campaign, audience, { when: when!, at: request.body.at, atTime: at }));
      }
      await scheduleCampaign(deps, campaign.id, at);
      await audit(request, when === 'now' ? 'campaign.send' : 'campaign.schedule');
      return reply.redirect(`/staff/campaigns/${campaign.id}?notice=scheduled`, 303);
    },
  );

  for (const [action, run, notice] of [
    ['unschedule', unscheduleCampaign, 'unscheduled'],
    ['pause', pauseCampaign, 'paused'],
    ['resume', resumeCampaign, 'resumed'],
  ] as const) {
    app.post(
      `/staff/campaigns/:id/${action}`,
      { schema: { params: Params, body: formBody({}) } },
      async (request, reply) => {
        requireRole(request.viewer, ROLES);
        await run(deps, request.params.id);
        await audit(request, `campaign.${action}`);
        return reply.redirect(`/staff/campaigns/${request.params.id}?notice=${notice}`, 303);
      },
    );
  }

  app.get(
    '/staff/campaigns/:id/recipients',
    { schema: { params: Params, querystring: RecipientsQuery } },
    async (request, reply) => {
      requireRole(request.viewer, ROLES);
      const c = await getCampaign(deps, request.params.id);
      const after = request.query.after || undefined;
      if (after !== undefined && !SUBSCRIPTION_ID.test(after)) throw invalidCursor();
      const rows = await listRecipientsPage(deps.db, c.id, PAGE_SIZE + 1, after);
      const items = rows.slice(0, PAGE_SIZE);
      const next = rows.length > PAGE_SIZE ? (items.at(-1)?.subscription_id ?? null) : null;
      // The list shows people's addresses: one record per account among them, as the mail list does.
      await recordAccess(deps, {
        actor: request.viewer,
        whose: { userIds: items.flatMap((r) => (r.user_id ? [r.user_id] : [])) },
        what: 'campaign.recipients',
        why: 'newsletter',
        path: request.url,
      });
      return sendPage(reply, recipientsPage(pageContext(request), c, items, { after, next }));
    },
  );
}
