// Routes of the human review of declined credit checks: the customer's request page and staff's queue (staff and
// admins, each view and decision recorded in the access audit).
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, pageContext, sendPage } from '../../web/index.ts';
import { alternativesText } from './credit.data-map.ts';
import { decisionReviewPage, staffCreditReviewsPage } from './credit.reviews.pages.ts';
import {
  decideCreditReview,
  listOpenCreditReviews,
  listReviewableChecks,
  listReviewsOfUser,
  NOTE_MAX,
  requestCreditReview,
  STATEMENT_MAX,
} from './credit.reviews.service.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

/**
 * A form field as the browser may send it: text, or the same name repeated (a list). The limit is generous: the
 * body-size limit protects, and the service answers an overlong text with its own message in the form, keeping it.
 */
const formField = (maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems: 20 })]));
const RequestForm = formBody({ checkId: formField(1000), statement: formField(STATEMENT_MAX * 50) });
const DecisionForm = formBody({ outcome: formField(1000), note: formField(NOTE_MAX * 50) });

/** A field sent more than once (a tampered or doubled form): a clear message, never a generic error. */
const repeatedField = (field: string) =>
  new AppError(
    400,
    'invalid_input',
    {
      en: 'The form was sent with a field more than once. Please reload the page and send the form again.',
      de: 'Das Formular wurde mit einem Feld mehrfach gesendet. Bitte laden Sie die Seite neu und senden Sie das Formular erneut.',
    },
    { [field]: { en: 'Sent more than once.', de: 'Mehrfach gesendet.' } },
  );
const noCheckChosen = () =>
  new AppError(
    400,
    'invalid_input',
    {
      en: 'Choose the decision you want reviewed: use the button below that decision.',
      de: 'Wählen Sie die Entscheidung, deren Überprüfung Sie beantragen: Nutzen Sie die Schaltfläche unter dieser Entscheidung.',
    },
    { checkId: { en: 'No decision chosen.', de: 'Keine Entscheidung gewählt.' } },
  );

/** The fields of a form, each once; a repeated one is refused (its first value kept for showing the form again). */
function fieldsOf<K extends string>(
  body: Record<string, unknown>,
  names: readonly K[],
): { values: Partial<Record<K, string>>; err?: AppError } {
  const values: Partial<Record<K, string>> = {};
  let err: AppError | undefined;
  for (const name of names) {
    const raw = body[name];
    const first = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
    if (typeof first === 'string') values[name] = first;
    if (Array.isArray(raw)) err ??= repeatedField(name);
  }
  return err ? { values, err } : { values };
}
const ReviewQuery = Type.Object({ sent: Type.Optional(Type.String({ maxLength: 1 })) });
const StaffQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 20 })),
  /** The keyset of a page of the queue (web/keyset.ts): the request time and id of the last request shown before. */
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
const ReviewParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const decided: Record<string, Text> = {
  approve: { en: 'Approved; the customer is being mailed.', de: 'Freigegeben; der Kunde wird per E-Mail informiert.' },
  reject: {
    en: 'Decline confirmed; the customer is being mailed.',
    de: 'Ablehnung bestätigt; der Kunde wird per E-Mail informiert.',
  },
};

export function registerCreditReviewRoutes(app: App, deps: Deps): void {
  const customerPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    extra: { sent?: boolean; err?: AppError; statement?: string; checkId?: string } = {},
  ) => {
    const page = decisionReviewPage(pageContext(request), {
      checks: await listReviewableChecks(deps, userId),
      reviews: await listReviewsOfUser(deps, userId),
      sent: extra.sent ?? false,
      alternatives: alternativesText(deps.config.creditCheckMethods),
      ...(extra.err ? { error: extra.err.text, fieldErrors: extra.err.fields } : {}),
      ...(extra.statement !== undefined ? { statement: extra.statement } : {}),
      ...(extra.checkId !== undefined ? { checkId: extra.checkId } : {}),
    });
    return sendPage(reply, page, extra.err?.status ?? 200);
  };

  app.get('/account/decision-review', { schema: { querystring: ReviewQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    return customerPage(request, reply, viewer.userId, { sent: request.query.sent === '1' });
  });

  app.post('/account/decision-review', { schema: { body: RequestForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { values, err: repeated } = fieldsOf(request.body, ['checkId', 'statement'] as const);
    const shown = { statement: values.statement ?? '', ...(values.checkId ? { checkId: values.checkId } : {}) };
    try {
      if (repeated) throw repeated;
      if (!values.checkId) throw noCheckChosen();
      await requestCreditReview(deps, viewer.userId, values.checkId, values.statement);
    } catch (err) {
      // Someone else's or an unknown check stays "not found": it tells nothing about others' checks.
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      return customerPage(request, reply, viewer.userId, { err, ...shown });
    }
    return reply.redirect('/account/decision-review?sent=1', 303);
  });

  const staffPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    notice?: Text,
    error?: { id: string; err: AppError; note?: string },
    after?: string,
  ) => {
    const viewer = requireRole(request.viewer, STAFF);
    const { reviews, next } = await listOpenCreditReviews(deps, after);
    await recordAccess(deps, {
      actor: viewer,
      whose: { userIds: reviews.map((r) => r.user_id) },
      what: 'credit-review.view',
      why: 'credit-decision-review',
      path: request.url,
    });
    const page = staffCreditReviewsPage(
      pageContext(request),
      reviews,
      notice,
      error
        ? { id: error.id, text: error.err.text, fields: error.err.fields, ...(error.note ? { note: error.note } : {}) }
        : undefined,
      { after, next },
    );
    return sendPage(reply, page, error?.err.status ?? 200);
  };

  app.get('/staff/credit-reviews', { schema: { querystring: StaffQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const done = request.query.done;
    return staffPage(
      request,
      reply,
      done !== undefined && Object.hasOwn(decided, done) ? decided[done] : undefined,
      undefined,
      request.query.after || undefined,
    );
  });

  app.post(
    '/staff/credit-reviews/:id/decision',
    { schema: { params: ReviewParams, body: DecisionForm } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, STAFF);
      const { values, err: repeated } = fieldsOf(request.body, ['outcome', 'note'] as const);
      const outcome = values.outcome;
      try {
        if (repeated) throw repeated;
        if (outcome !== 'approve' && outcome !== 'reject')
          throw new AppError(400, 'invalid_input', {
            en: 'Choose approve or confirm the decline.',
            de: 'Wählen Sie Freigeben oder Ablehnung bestätigen.',
          });
        // The audit entry is written in the decision's transaction: no decision without its record.
        await decideCreditReview(deps, request.params.id, outcome, values.note, (trx, review) =>
          recordAccess(
            { ...deps, db: trx },
            {
              actor: viewer,
              whose: { userId: review.user_id },
              what: 'credit-review.decide',
              why: 'credit-decision-review',
              path: request.url,
            },
          ),
        );
      } catch (err) {
        // Every refusal (decided by a colleague meanwhile, unknown request, no note, no outcome) is shown on the page.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return staffPage(request, reply, undefined, { id: request.params.id, err, note: values.note ?? '' });
      }
      return reply.redirect(`/staff/credit-reviews?done=${outcome}`, 303);
    },
  );
}
