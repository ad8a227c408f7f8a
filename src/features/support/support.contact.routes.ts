// The contact form (GET page, POST form) and POST /api/v1/contact: checked, rate-limited per client address, then
// a ticket (source 'contact-form' or 'api'). A signed-in visitor's ticket is theirs (their account id); a guest's is
// keyed by the normalised address. No mail goes to the address given: it could be anyone's (staff's answer is the
// first mail, support.service.ts).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage, type FieldErrors } from '../../web/index.ts';
import { contactPage, contactReceived, contactReceivedPage, type ContactValues } from './support.contact.pages.ts';
import { LIMITS } from './support.model.ts';
import { openTicket, requesterOf } from './support.service.ts';

/**
 * The longest message through the JSON API: below LIMITS.body, so that any text of this length (up to four bytes a
 * character) fits the platform's 64 KiB request body and a longer one gets a clear 400, not a 413.
 */
export const API_BODY_MAX = 12_000;
export const API_BODY_TEXT = `At most ${API_BODY_MAX} characters through the API (longer messages: the pages in the account).`;

const EMAIL = /^[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A line break in a one-line field: refused, so that what the person sees is what is stored. */
const LINE_BREAK = /[\r\n\u2028\u2029]/;

const fieldTexts = {
  nameMissing: { en: 'Enter your name.', de: 'Geben Sie Ihren Namen ein.' },
  nameLong: { en: `At most ${LIMITS.name} characters.`, de: `Höchstens ${LIMITS.name} Zeichen.` },
  emailBad: { en: 'Enter a valid email address.', de: 'Geben Sie eine gültige E-Mail-Adresse ein.' },
  subjectLong: { en: `At most ${LIMITS.subject} characters.`, de: `Höchstens ${LIMITS.subject} Zeichen.` },
  messageMissing: { en: 'Enter your message.', de: 'Geben Sie Ihre Nachricht ein.' },
  messageLong: { en: `At most ${LIMITS.body} characters.`, de: `Höchstens ${LIMITS.body} Zeichen.` },
  control: { en: 'Remove the invisible control characters.', de: 'Entfernen Sie die unsichtbaren Steuerzeichen.' },
  oneLine: { en: 'Write this on a single line.', de: 'Schreiben Sie dies in eine einzige Zeile.' },
} satisfies Record<string, Text>;

/** The checked contact message, or the problems by field (nothing stored either way). */
export function checkContact(values: ContactValues): {
  errors: FieldErrors;
  name: string;
  email: string;
  subject: string;
  message: string;
} {
  const errs: FieldErrors = {};
  const name = (values.name ?? '').trim();
  const email = normaliseEmail(values.email ?? '');
  const subject = (values.subject ?? '').trim();
  const message = (values.message ?? '').trim();
  if (!name) errs.name = fieldTexts.nameMissing;
  else if (name.length > LIMITS.name) errs.name = fieldTexts.nameLong;
  else if (CONTROL.test(name)) errs.name = fieldTexts.control;
  else if (LINE_BREAK.test(name)) errs.name = fieldTexts.oneLine;
  if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email)) errs.email = fieldTexts.emailBad;
  if (subject.length > LIMITS.subject) errs.subject = fieldTexts.subjectLong;
  else if (CONTROL.test(subject)) errs.subject = fieldTexts.control;
  else if (LINE_BREAK.test(subject)) errs.subject = fieldTexts.oneLine;
  if (!message) errs.message = fieldTexts.messageMissing;
  else if (message.length > LIMITS.body) errs.message = fieldTexts.messageLong;
  return { errors: errs, name, email, subject, message };
}

// The schema takes more than the limits, so that a long text is answered on the refilled form, not by the schema.
const ContactForm = formBody({
  name: formText(LIMITS.name * 4),
  email: formText(1000),
  subject: formText(LIMITS.subject * 4),
  message: formText(LIMITS.body * 2),
});

const ContactBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.name }),
    email: Type.String({ minLength: 1, maxLength: 254 }),
    subject: Type.Optional(Type.String({ maxLength: LIMITS.subject })),
    message: Type.String({ minLength: 1, maxLength: API_BODY_MAX, description: API_BODY_TEXT }),
    lang: Type.Optional(Type.Unsafe<Lang>({ type: 'string', enum: ['en', 'de'] })),
  },
  { additionalProperties: false },
);
const ContactReply = Type.Object({
  status: Type.Literal('received'),
  ref: Type.String({ description: 'The reference of the request; our answer by mail quotes it.' }),
  message: Type.String(),
});

export function registerSupportContactRoutes(app: App, deps: Deps): void {
  // Each message becomes a ticket staff read: one client address sends at most the sign-in forms' rate.
  const contactLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute * 3, timeWindow: 60_000 } };

  app.get('/contact', { config: { sensitive: true } }, async (request, reply) =>
    sendPage(reply, contactPage(pageContext(request), {}, {}, request.viewer !== null)),
  );

  app.post(
    '/contact',
    { config: { sensitive: true, ...contactLimit }, schema: { body: ContactForm } },
    async (request, reply) => {
      const values: ContactValues = {
        name: request.body.name,
        email: request.body.email,
        subject: request.body.subject,
        message: request.body.message,
      };
      const checked = checkContact(values);
      if (Object.keys(checked.errors).length > 0)
        return sendPage(reply, contactPage(pageContext(request), values, checked.errors, request.viewer !== null), 400);
      const viewer = request.viewer;
      const ticket = await openTicket(deps, {
        requester: viewer ? requesterOf({ userId: viewer.userId }) : requesterOf({ email: checked.email }),
        requesterName: viewer ? null : checked.name,
        subject: checked.subject,
        body: checked.message,
        lang: request.lang,
        source: 'contact-form',
      });
      return sendPage(reply, contactReceivedPage(pageContext(request), ticket.ref), 201);
    },
  );

  app.post(
    '/api/v1/contact',
    {
      config: contactLimit,
      schema: {
        summary: 'Send a message to customer support (the contact form)',
        description:
          'Name, email and message are required; the subject is optional. The message opens a support request; ' +
          'we answer by mail to the given address. No mail is sent on receipt. When signed in, the request belongs ' +
          'to the account (see /api/v1/support/tickets).',
        tags: ['support'],
        body: ContactBody,
        response: { 202: ContactReply, 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const lang = request.body.lang ?? request.lang;
      const checked = checkContact(request.body);
      if (Object.keys(checked.errors).length > 0) throw errors.invalidFields(checked.errors);
      const viewer = request.viewer;
      const ticket = await openTicket(deps, {
        requester: viewer ? requesterOf({ userId: viewer.userId }) : requesterOf({ email: checked.email }),
        requesterName: viewer ? null : checked.name,
        subject: checked.subject,
        body: checked.message,
        lang,
        source: 'api',
      });
      return reply.code(202).send({
        status: 'received' as const,
        ref: ticket.ref,
        message: tr(lang, contactReceived, { ref: ticket.ref }),
      });
    },
  );
}
