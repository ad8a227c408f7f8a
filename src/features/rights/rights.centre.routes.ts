// The privacy centre of a signed-in customer (/account/privacy): the access report, a copy of the data (an export
// request started in the background), correction, restriction and erasure requests, objections, every consent in
// one place, and the complaint and DPO contacts. Erasure is confirmed with the password (the sign-in throttle
// counts it), runs at once, ends the session and says goodbye on /privacy/erased. Owned by helper H2 (issue 16).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail, requireViewer, type Viewer } from '../../platform/http/context.ts';
import { clearCookie, clearSiteData, cookiePolicy } from '../../platform/http/cookies.ts';
import type { Text } from '../../platform/i18n.ts';
import { findObjection, liftObjection, recordObjection } from '../../privacy/objections.ts';
import type { PolicyLink } from '../../privacy/policy-links.ts';
import { formBody, formText, pageContext, sendPage, type FieldErrors } from '../../web/index.ts';
import type { FastifyRequest } from 'fastify';
import { confirmCurrentPassword, createSignInThrottle, findUserById } from '../accounts/index.ts';
import {
  centrePage,
  erasedPage,
  erasurePage,
  GROUNDS,
  type CentreModel,
  type ConsentEntry,
  type CorrectableField,
  type ErasureModel,
  type ObjectionSwitch,
} from './rights.centre.pages.ts';
import type { RestrictionGround } from './rights.model.ts';
import { buildAccessReport } from './rights.report.ts';
import { openRequest, requestsOf } from './rights.service.ts';
import { runRequestNow, startRequestInBackground } from './rights.steps.ts';

export const CENTRE_PATH = '/account/privacy';
export const ERASED_PATH = '/privacy/erased';
/** How objections switched in the centre are recorded, so that withdrawing one here lifts only those. */
const VIA = 'privacy-centre';
const MESSAGE_MAX = 2000;

/** For the manifest's `policyLinks`: the centre is where a signed-in person reads everything we hold. */
export const centrePolicyLinks: PolicyLink[] = [
  {
    right: 'access',
    href: CENTRE_PATH,
    label: { en: 'the privacy centre', de: 'Datenschutz-Center' },
    note: {
      en: 'the copy needs a confirmed email address',
      de: 'für die Kopie muss Ihre E-Mail-Adresse bestätigt sein',
    },
  },
  { right: 'portability', href: CENTRE_PATH, label: { en: 'Privacy centre', de: 'Datenschutz-Center' } },
];

/** Every correctable field: where the person corrects it, or (null) why only staff can. */
export const CORRECTABLE: CorrectableField[] = [
  {
    id: 'profile',
    label: { en: 'Name, email address, company, phone', de: 'Name, E-Mail-Adresse, Firma, Telefon' },
    href: '/account/profile',
    what: { en: 'your account details', de: 'Ihre Kontodaten' },
  },
  {
    id: 'password',
    label: { en: 'Password', de: 'Passwort' },
    href: '/account/password',
    what: { en: 'the password you sign in with', de: 'das Passwort, mit dem Sie sich anmelden' },
  },
  {
    id: 'two-factor',
    label: { en: 'Two-factor sign-in', de: 'Zwei-Faktor-Anmeldung' },
    href: '/account/two-factor',
    what: { en: 'your authenticator app', de: 'Ihre Authenticator-App' },
  },
  {
    id: 'sessions',
    label: { en: 'Signed-in devices', de: 'Angemeldete Geräte' },
    href: '/account/sessions',
    what: { en: 'where you are signed in', de: 'wo Sie angemeldet sind' },
  },
  {
    id: 'addresses',
    label: { en: 'Addresses', de: 'Adressen' },
    href: '/account/addresses',
    what: {
      en: 'billing and delivery addresses for new orders',
      de: 'Rechnungs- und Lieferadressen für neue Bestellungen',
    },
  },
  {
    id: 'support-profile',
    label: { en: 'Support system profile', de: 'Support-Systemprofil' },
    href: '/account/support/profile',
    what: {
      en: 'your computer and software for support requests',
      de: 'Ihr Rechner und Ihre Software für Supportanfragen',
    },
  },
  {
    id: 'products',
    label: { en: 'Registered products', de: 'Registrierte Produkte' },
    href: '/account/products',
    what: { en: 'hardware serial numbers and licences', de: 'Hardware-Seriennummern und Lizenzen' },
  },
  {
    id: 'orders',
    label: { en: 'Placed orders', de: 'Aufgegebene Bestellungen' },
    href: null,
    what: {
      en: 'an order records what was agreed when it was placed; a wrong address on it is corrected by staff',
      de: 'eine Bestellung hält fest, was bei der Bestellung vereinbart wurde; eine falsche Adresse darin berichtigt unser Team',
    },
  },
  {
    id: 'invoices',
    label: { en: 'Issued invoices', de: 'Ausgestellte Rechnungen' },
    href: null,
    what: {
      en: 'an issued invoice may not be changed (§ 14 UStG); a mistake is put right with a correcting invoice',
      de: 'eine ausgestellte Rechnung darf nicht geändert werden (§ 14 UStG); ein Fehler wird mit einer Rechnungskorrektur behoben',
    },
  },
  {
    id: 'other',
    label: { en: 'Something else', de: 'Etwas anderes' },
    href: null,
    what: {
      en: 'anything else we hold that you think is wrong or incomplete',
      de: 'alles andere, was wir gespeichert haben und das Sie für falsch oder unvollständig halten',
    },
  },
];

const NOTICES: Record<string, Text> = {
  export: {
    en: 'Your copy is being prepared. It appears below when it is ready.',
    de: 'Ihre Kopie wird erstellt. Sie erscheint unten, sobald sie fertig ist.',
  },
  correction: {
    en: 'Thank you: our staff will check your correction and answer you within one month.',
    de: 'Danke: Unser Team prüft Ihre Berichtigung und antwortet Ihnen innerhalb eines Monats.',
  },
  restriction: {
    en: 'Your request for a restriction is recorded; our data protection officer decides within one month.',
    de: 'Ihr Antrag auf Einschränkung ist erfasst; unser Datenschutzbeauftragter entscheidet innerhalb eines Monats.',
  },
  objected: {
    en: 'Your objection is recorded and applies at once.',
    de: 'Ihr Widerspruch ist erfasst und gilt sofort.',
  },
  lifted: { en: 'Your objection is withdrawn.', de: 'Ihr Widerspruch ist zurückgenommen.' },
};

const CentreQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });
const EmptyForm = formBody({});
const CorrectionForm = formBody({ field: formText(40), message: formText(MESSAGE_MAX + 1000) });
const RestrictionForm = formBody({ ground: formText(40), message: formText(MESSAGE_MAX + 1000) });
const ObjectionForm = formBody({ activity: formText(100), choice: formText(10) });
const ErasureForm = formBody({ password: formText(1000) });
const ErasedQuery = Type.Object({ lang: Type.Optional(Type.Enum(['en', 'de'] as const, { type: 'string' })) });

const tooLong: Text = { en: `At most ${MESSAGE_MAX} characters.`, de: `Höchstens ${MESSAGE_MAX} Zeichen.` };

export function registerCentreRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const throttle = createSignInThrottle(deps);
  app.addHook('onClose', () => throttle.close());

  /** The activities a person may object to here: objectable and resting on legitimate interests. */
  function objectionSwitches(objected: Set<string>): ObjectionSwitch[] {
    const links = deps.dataMap.links;
    return deps.dataMap.activities
      .filter((a) => a.objectable && a.legalBasis === 'legitimate-interests')
      .map((a) => ({
        activity: a.id,
        name: a.name,
        purpose: a.purpose,
        objected: objected.has(a.id),
        page: links.find((l) => l.right === 'object' && l.activity === a.id)?.href ?? null,
        directMarketing: links.some((l) => l.right === 'object-direct-marketing' && l.activity === a.id),
      }));
  }

  async function centreModel(
    request: FastifyRequest,
    viewer: Viewer,
    extra: Partial<Pick<CentreModel, 'notice' | 'errors' | 'errorMessage'>> = {},
  ): Promise<CentreModel> {
    const user = await findUserById(deps.db, viewer.userId);
    if (!user) throw errors.unauthenticated();
    const report = await buildAccessReport(deps, viewer.userId, request.lang);
    const objected = new Set<string>();
    for (const a of deps.dataMap.activities.filter((x) => x.objectable))
      if (await findObjection(deps.db, viewer.userId, a.id, 'objection')) objected.add(a.id);
    const holds = (prefix: string) => report.activities.some((a) => a.id.startsWith(prefix));
    const consent = request.consent;
    const yes: Text = { en: 'given.', de: 'erteilt.' };
    const no: Text = { en: 'not given.', de: 'nicht erteilt.' };
    const consents: ConsentEntry[] = [
      {
        name: { en: 'Newsletter', de: 'Newsletter' },
        state: holds('newsletter.') ? { en: 'you are on our list.', de: 'Sie stehen auf unserer Liste.' } : no,
        href: '/newsletter',
        action: { en: 'Manage or unsubscribe', de: 'Verwalten oder abbestellen' },
      },
      {
        name: { en: 'Survey invitations', de: 'Einladungen zu Umfragen' },
        state: holds('surveys.') ? { en: 'records held (see above).', de: 'Einträge vorhanden (siehe oben).' } : no,
        href: '/account/surveys',
        action: { en: 'Give or withdraw', de: 'Erteilen oder widerrufen' },
      },
      {
        name: { en: 'Competitions', de: 'Gewinnspiele' },
        state: holds('competitions.')
          ? { en: 'you have entered.', de: 'Sie nehmen teil.' }
          : { en: 'no entry.', de: 'keine Teilnahme.' },
        href: '/account/competitions',
        action: { en: 'Withdraw an entry', de: 'Teilnahme zurückziehen' },
      },
      {
        name: { en: 'Cookies and services of other companies', de: 'Cookies und Dienste anderer Unternehmen' },
        state:
          consent.vendors.length > 0 || consent.categories.has('marketing') || consent.categories.has('preferences')
            ? yes
            : no,
        href: '/cookies',
        action: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
      },
      {
        name: { en: 'Our own statistics and experiments', de: 'Eigene Statistik und Experimente' },
        state: consent.categories.has('statistics') ? yes : no,
        href: '/cookies',
        action: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
      },
    ];
    const operator = deps.config.operator;
    return {
      report,
      requests: await requestsOf(deps, viewer.userId),
      emailVerified: viewer.emailVerified,
      fields: CORRECTABLE,
      objections: objectionSwitches(objected),
      consents,
      storage: {
        en: `On the servers ${operator.company} runs this shop on (the shop’s database and data directory); nothing is stored by another company unless named under recipients.`,
        de: `Auf den Servern, auf denen ${operator.company} diesen Shop betreibt (Datenbank und Datenverzeichnis des Shops); andere Unternehmen speichern nichts, außer sie sind als Empfänger genannt.`,
      },
      company: operator.company,
      dpo: operator.dpo,
      authority: operator.supervisoryAuthority,
      notice: extra.notice ?? null,
      errors: extra.errors ?? {},
      errorMessage: extra.errorMessage ?? null,
      now: deps.clock.now(),
    };
  }

  app.get(CENTRE_PATH, { schema: { querystring: CentreQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const notice = NOTICES[request.query.notice ?? ''] ?? null;
    const model = await centreModel(request, viewer, { notice });
    return sendPage(reply.header('cache-control', 'no-store'), centrePage(pageContext(request), model));
  });

  /** A form's problem: the centre again with the fields marked, 400, nothing changed. */
  async function refuse(request: FastifyRequest, viewer: Viewer, fieldErrors: FieldErrors) {
    const model = await centreModel(request, viewer, {
      errors: fieldErrors,
      errorMessage: { en: 'Nothing was sent.', de: 'Es wurde nichts gesendet.' },
    });
    return centrePage(pageContext(request), model);
  }

  app.post(`${CENTRE_PATH}/export`, { schema: { body: EmptyForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await findUserById(deps.db, viewer.userId);
    if (!user) throw errors.unauthenticated();
    const { request: opened, duplicateOf } = await openRequest(deps, {
      kind: 'export',
      userId: viewer.userId,
      email: user.email,
      lang: request.lang,
      channel: 'account',
      verified: true,
    });
    // A repeat while one is being built adds nothing: the running one goes on.
    if (!duplicateOf) startRequestInBackground(deps, opened.id);
    return reply.redirect(`${CENTRE_PATH}?notice=export#portability`, 303);
  });

  app.post(`${CENTRE_PATH}/correction`, { schema: { body: CorrectionForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const field = CORRECTABLE.find((f) => f.id === request.body.field);
    const message = (request.body.message ?? '').trim();
    const problems: FieldErrors = {};
    if (!field)
      problems.field = { en: 'Choose what is wrong from the list.', de: 'Wählen Sie aus der Liste, was falsch ist.' };
    if (!message)
      problems.message = { en: 'Say what it should say instead.', de: 'Geben Sie an, was stattdessen stehen sollte.' };
    else if (message.length > MESSAGE_MAX) problems.message = tooLong;
    if (!field || Object.keys(problems).length > 0)
      return sendPage(reply, await refuse(request, viewer, problems), 400);
    const user = await findUserById(deps.db, viewer.userId);
    if (!user) throw errors.unauthenticated();
    await openRequest(deps, {
      kind: 'rectification',
      userId: viewer.userId,
      email: user.email,
      lang: request.lang,
      channel: 'account',
      verified: true,
      detail: { field: field.id, message },
    });
    return reply.redirect(`${CENTRE_PATH}?notice=correction#rectification`, 303);
  });

  app.post(`${CENTRE_PATH}/restriction`, { schema: { body: RestrictionForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const ground = Object.keys(GROUNDS).find((g) => g === request.body.ground) as RestrictionGround | undefined;
    const message = (request.body.message ?? '').trim();
    const problems: FieldErrors = {};
    if (!ground) problems['ground-accuracy'] = { en: 'Choose a ground.', de: 'Wählen Sie einen Grund.' };
    if (message.length > MESSAGE_MAX) problems['restriction-message'] = tooLong;
    if (!ground || Object.keys(problems).length > 0)
      return sendPage(reply, await refuse(request, viewer, problems), 400);
    const user = await findUserById(deps.db, viewer.userId);
    if (!user) throw errors.unauthenticated();
    await openRequest(deps, {
      kind: 'restriction',
      userId: viewer.userId,
      email: user.email,
      lang: request.lang,
      channel: 'account',
      verified: true,
      detail: { ground, ...(message ? { message } : {}) },
    });
    return reply.redirect(`${CENTRE_PATH}?notice=restriction#restriction`, 303);
  });

  app.post(`${CENTRE_PATH}/objection`, { schema: { body: ObjectionForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const choice = request.body.choice;
    // Only the switches the page shows: an activity with a page of its own takes the objection there.
    const target = objectionSwitches(new Set()).find((o) => o.activity === request.body.activity && !o.page);
    if (!target || (choice !== 'object' && choice !== 'lift'))
      throw errors.invalid({
        en: 'This objection is not one you can switch here.',
        de: 'Diesen Widerspruch können Sie hier nicht schalten.',
      });
    if (choice === 'object')
      await recordObjection(deps.db, deps.clock.now(), {
        person: viewer.userId,
        activity: target.activity,
        kind: 'objection',
        via: VIA,
      });
    else await liftObjection(deps.db, viewer.userId, target.activity, 'objection');
    return reply.redirect(`${CENTRE_PATH}?notice=${choice === 'object' ? 'objected' : 'lifted'}#objection`, 303);
  });

  function erasureModel(viewer: Viewer, extra: Partial<ErasureModel> = {}): ErasureModel {
    const map = deps.dataMap;
    const kept = map.tables.flatMap((t) =>
      t.subject && t.erasure && (t.erasure.action === 'keep' || t.erasure.action === 'delete-unless-kept')
        ? [{ activity: map.activity(t.activity).name, table: t.table, until: t.erasure.until, basis: t.erasure.basis }]
        : [],
    );
    const deletedIds = new Set(
      map.tables.filter((t) => t.subject && t.erasure && t.erasure.action !== 'keep').map((t) => t.activity),
    );
    return {
      kept,
      deletedActivities: map.activities.filter((a) => deletedIds.has(a.id)).map((a) => a.name),
      staff: viewer.role !== 'customer',
      errors: {},
      errorMessage: null,
      ...extra,
    };
  }

  app.get(`${CENTRE_PATH}/erasure`, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    return sendPage(reply.header('cache-control', 'no-store'), erasurePage(pageContext(request), erasureModel(viewer)));
  });

  app.post(
    `${CENTRE_PATH}/erasure`,
    {
      config: { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: 60_000 } },
      schema: { body: ErasureForm },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      if (viewer.role !== 'customer') {
        const model = erasureModel(viewer, {
          errorMessage: {
            en: 'Staff accounts cannot be erased here.',
            de: 'Verwaltungskonten können hier nicht gelöscht werden.',
          },
        });
        return sendPage(reply, erasurePage(pageContext(request), model), 403);
      }
      const user = await findUserById(deps.db, viewer.userId);
      if (!user) throw errors.unauthenticated();
      try {
        await confirmCurrentPassword(throttle, user, request.body.password, 'password');
      } catch (err) {
        const e = err as { status?: number; fields?: FieldErrors; text?: Text };
        if (typeof e.status !== 'number' || e.status >= 500 || e.status === 429) throw err;
        const model = erasureModel(viewer, {
          errors: e.fields && Object.keys(e.fields).length > 0 ? e.fields : { password: e.text! },
          errorMessage: e.text ?? null,
        });
        return sendPage(reply, erasurePage(pageContext(request), model), e.status);
      }
      const { request: opened, duplicateOf } = await openRequest(deps, {
        kind: 'erasure',
        userId: viewer.userId,
        email: user.email,
        lang: request.lang,
        channel: 'account',
        verified: true,
      });
      // If the run is held elsewhere or fails, the worker finishes it: the request is recorded and in progress.
      await runRequestNow(deps, duplicateOf?.id ?? opened.id);
      clearCookie(reply, cookies, cookies.session);
      clearSiteData(reply);
      return reply.redirect(`${ERASED_PATH}?lang=${request.lang}`, 303);
    },
  );

  // The session and the language cookie are gone (Clear-Site-Data): the language rides in the address.
  app.get(
    ERASED_PATH,
    { config: { sensitive: true }, schema: { querystring: ErasedQuery } },
    async (request, reply) => {
      const ctx = pageContext(request);
      const lang = request.query.lang ?? ctx.lang;
      return sendPage(reply, erasedPage({ ...ctx, lang }, { company: deps.config.operator.company }));
    },
  );
}
