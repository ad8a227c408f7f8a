// The DPO console (/staff/privacy), for the DPO and administrators: every data-subject request with its deadline,
// one request with its history and the actions on it, and the disclosures to authorities. Every view of a request
// is recorded in the access audit; every action adds a line to the request's history.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { hasRole, requireRole, type Role } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { categoryNames, type Category } from '../../privacy/data-map.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { disclosurePage, recordDisclosure } from './rights.disclosures.ts';
import { REQUEST_KINDS } from './rights.model.ts';
import { findRequest, requestHistory } from './rights.service.ts';
import { disclosuresPage, requestListPage, requestPage, type MonthFigure } from './rights.staff.pages.ts';
import { selectRequestPage, selectRequestTimes, selectStaffNames } from './rights.staff.queries.ts';
import { applyStaffAction, parseDayEnd, STAFF_ACTIONS, type StaffAction } from './rights.staff.service.ts';
import type { PrivacyRequestsTable, RequestState } from './rights.tables.ts';

const DPO: Role[] = ['dpo', 'admin'];
const WHY = 'data-subject-request';
const PAGE = 50;
const DAY_MS = 24 * 3600 * 1000;
const STATES: RequestState[] = ['unverified', 'received', 'in-progress', 'waiting', 'done', 'refused'];

const ListQuery = Type.Object({
  state: Type.Optional(Type.Union([Type.Literal(''), ...STATES.map((s) => Type.Literal(s))])),
  kind: Type.Optional(Type.Union([Type.Literal(''), ...REQUEST_KINDS.map((k) => Type.Literal(k))])),
  overdue: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('1')])),
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
const RequestParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ActionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  action: Type.Union(STAFF_ACTIONS.map((a) => Type.Literal(a))),
});
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });
const ActionForm = formBody({ reason: formText(4000), note: formText(4000), until: formText(20) });
const DisclosureListQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 100 })),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
const CATEGORY_IDS = Object.keys(categoryNames) as Category[];
const DisclosureForm = formBody({
  email: formText(320),
  authority: formText(500),
  legalBasis: formText(500),
  reference: formText(500),
  categories: Type.Optional(
    Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 40 })]),
  ),
  date: formText(20),
  confidentialUntil: formText(20),
});

const NOTICES: Record<string, Text> = {
  done: { en: 'Done. The history shows the new line.', de: 'Erledigt. Der Verlauf zeigt die neue Zeile.' },
  recorded: { en: 'The disclosure was recorded.', de: 'Die Weitergabe wurde erfasst.' },
};

/** The first moment (UTC) of the month `back` months before the month of `at`. */
const monthStart = (at: number, back: number) => {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
};

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Requests per month (by receipt) and the median days to completion of each month's finished ones, 12 months. */
export function monthFigures(
  rows: { received_at: number; done_at: number | null; state: RequestState }[],
  now: number,
): MonthFigure[] {
  const months = Array.from({ length: 12 }, (_, i) => monthStart(now, 11 - i));
  return months.map((at, i) => {
    const end = months[i + 1] ?? monthStart(now, -1);
    const inMonth = rows.filter((r) => r.received_at >= at && r.received_at < end);
    const days = inMonth
      .filter((r) => (r.state === 'done' || r.state === 'refused') && r.done_at !== null)
      .map((r) => (r.done_at! - r.received_at) / DAY_MS);
    return { at, count: inMonth.length, medianDays: median(days) };
  });
}

const whoseOf = (r: PrivacyRequestsTable) => (r.subject.includes('@') ? { email: r.email } : { userId: r.subject });

export function registerStaffRoutes(app: App, deps: Deps): void {
  app.get('/staff/privacy', { schema: { querystring: ListQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, DPO);
    const q = request.query;
    const query = {
      state: q.state || undefined,
      kind: q.kind || undefined,
      overdue: q.overdue === '1' || undefined,
      after: q.after || undefined,
    };
    const after = parseNumberCursor(query.after);
    const now = deps.clock.now();
    const rows = await selectRequestPage(
      deps.db,
      { state: query.state, kind: query.kind, overdue: query.overdue, now },
      PAGE + 1,
      after && { receivedAt: after.value, id: after.id },
    );
    const shown = rows.slice(0, PAGE);
    const last = shown.at(-1);
    const next = rows.length > PAGE && last ? encodeCursor(last.received_at, last.id) : null;
    await recordAccess(deps, {
      actor: viewer,
      whose: { userIds: shown.filter((r) => !r.subject.includes('@')).map((r) => r.subject) },
      what: 'privacy.request-list',
      why: WHY,
      path: request.url,
    });
    const months = monthFigures(await selectRequestTimes(deps.db, monthStart(now, 11)), now);
    return sendPage(
      reply,
      requestListPage(pageContext(request), {
        rows: shown,
        next,
        query,
        months,
        now,
        linkAccounts: hasRole(viewer, ['staff', 'admin']),
      }),
    );
  });

  async function renderRequest(
    request: Parameters<typeof pageContext>[0],
    r: PrivacyRequestsTable,
    extra: { notice?: Text; error?: Text; fields?: Record<string, Text>; failedAction?: string },
  ): Promise<string> {
    const events = await requestHistory(deps.db, r.id);
    const actors = await selectStaffNames(
      deps.db,
      events.filter((e) => e.actor === 'staff' && e.actor_user_id).map((e) => e.actor_user_id!),
    );
    return requestPage(pageContext(request), {
      request: r,
      events,
      now: deps.clock.now(),
      actors,
      activityName: (id) => deps.dataMap.activities.find((a) => a.id === id)?.name[request.lang],
      linkAccounts: hasRole(request.viewer, ['staff', 'admin']),
      ...extra,
    });
  }

  app.get(
    '/staff/privacy/requests/:id',
    { schema: { params: RequestParams, querystring: NoticeQuery } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, DPO);
      const r = await findRequest(deps.db, request.params.id);
      if (!r) throw errors.notFound();
      await recordAccess(deps, {
        actor: viewer,
        whose: whoseOf(r),
        what: 'privacy.request',
        why: WHY,
        path: request.url,
      });
      const notice = request.query.notice ? NOTICES[request.query.notice] : undefined;
      return sendPage(reply, await renderRequest(request, r, notice ? { notice } : {}));
    },
  );

  app.post(
    '/staff/privacy/requests/:id/:action',
    { schema: { params: ActionParams, body: ActionForm } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, DPO);
      const { id, action } = request.params;
      const r = await findRequest(deps.db, id);
      if (!r) throw errors.notFound();
      try {
        await applyStaffAction(deps, id, action as StaffAction, request.body, viewer.userId);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        await recordAccess(deps, {
          actor: viewer,
          whose: whoseOf(r),
          what: 'privacy.request',
          why: WHY,
          path: request.url,
        });
        const fresh = (await findRequest(deps.db, id)) ?? r;
        return sendPage(
          reply,
          await renderRequest(request, fresh, { error: err.text, fields: err.fields, failedAction: action }),
          err.status,
        );
      }
      return reply.redirect(`/staff/privacy/requests/${encodeURIComponent(id)}?notice=done`, 303);
    },
  );

  app.get('/staff/privacy/disclosures', { schema: { querystring: DisclosureListQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, DPO);
    const after = parseNumberCursor(request.query.after || undefined);
    const rows = await disclosurePage(deps, PAGE + 1, after && { recordedAt: after.value, id: after.id });
    const shown = rows.slice(0, PAGE);
    const last = shown.at(-1);
    await recordAccess(deps, {
      actor: viewer,
      whose: { userIds: shown.filter((r) => !r.subject.includes('@')).map((r) => r.subject) },
      what: 'privacy.disclosure-list',
      why: 'legal-obligation',
      path: request.url,
    });
    const notice = request.query.notice ? NOTICES[request.query.notice] : undefined;
    return sendPage(
      reply,
      disclosuresPage(pageContext(request), {
        rows: shown,
        next: rows.length > PAGE && last ? encodeCursor(last.recorded_at, last.id) : null,
        after: request.query.after || undefined,
        categories: CATEGORY_IDS,
        notice,
      }),
    );
  });

  app.post('/staff/privacy/disclosures', { schema: { body: DisclosureForm } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, DPO);
    const b = request.body;
    const cats = b.categories === undefined ? [] : Array.isArray(b.categories) ? b.categories : [b.categories];
    const fields: Record<string, Text> = {};
    const need = (name: 'email' | 'authority' | 'legalBasis' | 'reference', text: Text) => {
      const v = (b[name] ?? '').trim();
      if (!v) fields[name] = text;
      return v;
    };
    const email = need('email', {
      en: 'Enter the person’s email address.',
      de: 'Geben Sie die E-Mail-Adresse der Person an.',
    });
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      fields.email = { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse an.' };
    const authority = need('authority', { en: 'Name the authority.', de: 'Nennen Sie die Behörde.' });
    const legalBasis = need('legalBasis', { en: 'Name the legal basis.', de: 'Nennen Sie die Rechtsgrundlage.' });
    const reference = need('reference', { en: 'Enter the reference.', de: 'Geben Sie das Aktenzeichen an.' });
    if (cats.length === 0 || cats.some((c) => !CATEGORY_IDS.includes(c as Category)))
      fields.categories = {
        en: 'Tick the categories of data disclosed.',
        de: 'Kreuzen Sie die weitergegebenen Datenkategorien an.',
      };
    const dayEnd = parseDayEnd(b.date);
    const now = deps.clock.now();
    if (dayEnd === null || dayEnd - DAY_MS + 1 > now)
      fields.date = {
        en: 'Enter the date of the disclosure, today or earlier (YYYY-MM-DD).',
        de: 'Geben Sie das Datum der Weitergabe an, heute oder früher (JJJJ-MM-TT).',
      };
    let confidentialUntil: number | null = null;
    if ((b.confidentialUntil ?? '').trim()) {
      confidentialUntil = parseDayEnd(b.confidentialUntil);
      if (confidentialUntil === null)
        fields.confidentialUntil = {
          en: 'Enter a date (YYYY-MM-DD) or leave it empty.',
          de: 'Geben Sie ein Datum an (JJJJ-MM-TT) oder lassen Sie das Feld leer.',
        };
    }
    if (Object.keys(fields).length > 0) {
      const rows = await disclosurePage(deps, PAGE + 1);
      const page = disclosuresPage(pageContext(request), {
        rows: rows.slice(0, PAGE),
        next: null,
        categories: CATEGORY_IDS,
        error: { en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' },
        fields,
        draft: { ...b, categories: cats },
      });
      return sendPage(reply, page, 400);
    }
    await recordDisclosure(deps, {
      email,
      authority,
      legalBasis,
      reference,
      categories: cats,
      disclosedAt: dayEnd! - DAY_MS + 1,
      confidentialUntil,
      byUserId: viewer.userId,
    });
    return reply.redirect('/staff/privacy/disclosures?notice=recorded', 303);
  });
}
