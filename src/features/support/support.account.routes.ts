// The customer's helpdesk in the account (issue 14): their requests, a new request with attachments (multipart, up
// to five files, checked before anything is stored) and the saved system profile, one request's thread (never the
// internal notes) with the reply form, the attachments served only to the request's own customer, and the system
// profile (serials only from the person's own registered units). Another person's request is as absent as a missing
// one: 404.
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage, type FieldErrors } from '../../web/index.ts';
import {
  controlCharacterRefusal,
  formTokenMatches,
  isMalformedMultipart,
  watchForClosingDelimiter,
} from '../../web/upload.ts';
import { listPurchasesOfUser, type OrderLine } from '../orders/index.ts';
import {
  deleteProfilePage,
  FORM_CATEGORIES,
  newRequestPage,
  profilePage,
  refusalText,
  supportListPage,
  threadPage,
  type NewRequestModel,
  type NewRequestValues,
  type ThreadModel,
} from './support.account.pages.ts';
import { readAttachmentFile } from './support.files.ts';
import { emptyProfile, LIMITS, parseProfile, type SystemProfile } from './support.model.ts';
import {
  deleteProfile,
  findAttachment,
  findProfile,
  findTicket,
  findTicketOf,
  listAttachments,
  listMessages,
  listRegisteredSerials,
  listTicketsOf,
  saveProfile,
} from './support.queries.ts';
import { addCustomerMessage, AttachmentRefused, openTicket, type NewAttachment } from './support.service.ts';
import type { SupportTicketsTable, TicketCategory } from './support.tables.ts';

// ---------------- shared with the API (support.api.routes.ts) ----------------

const texts = {
  subjectMissing: { en: 'Enter a subject.', de: 'Geben Sie einen Betreff ein.' },
  subjectLong: { en: `At most ${LIMITS.subject} characters.`, de: `Höchstens ${LIMITS.subject} Zeichen.` },
  messageMissing: { en: 'Enter your message.', de: 'Geben Sie Ihre Nachricht ein.' },
  messageLong: { en: `At most ${LIMITS.body} characters.`, de: `Höchstens ${LIMITS.body} Zeichen.` },
  category: { en: 'Choose a topic from the list.', de: 'Wählen Sie ein Thema aus der Liste.' },
  product: {
    en: 'Choose one of the products you bought, or none.',
    de: 'Wählen Sie eines der gekauften Produkte oder keines.',
  },
  order: { en: 'Choose one of your orders, or none.', de: 'Wählen Sie eine Ihrer Bestellungen oder keine.' },
  noProfile: {
    en: 'You have no saved system profile to attach.',
    de: 'Sie haben kein gespeichertes Systemprofil zum Anhängen.',
  },
  serial: {
    en: 'Only serial numbers of devices registered to your account can be chosen.',
    de: 'Nur Seriennummern von Geräten, die auf Ihr Konto registriert sind, können gewählt werden.',
  },
  tooLong: { en: 'This text is too long.', de: 'Dieser Text ist zu lang.' },
} satisfies Record<string, Text>;

/** What a customer may pick on a new request: the products of their purchases and their orders. */
export async function newRequestChoices(
  deps: Pick<Deps, 'db'>,
  userId: string,
): Promise<{ products: { id: string; title: string }[]; orders: { id: string; number: string }[] }> {
  const purchases = await listPurchasesOfUser(deps.db, userId);
  const products = new Map<string, string>();
  for (const order of purchases) {
    let lines: OrderLine[] = [];
    try {
      lines = JSON.parse(order.lines) as OrderLine[];
    } catch {
      lines = [];
    }
    for (const line of lines) if (!products.has(line.productId)) products.set(line.productId, line.title);
  }
  return {
    products: [...products].map(([id, title]) => ({ id, title })),
    orders: [...purchases].reverse().map((o) => ({ id: o.id, number: o.number })),
  };
}

export interface NewRequestInput {
  subject: string;
  category?: string;
  productId?: string;
  orderId?: string;
  message: string;
  attachProfile?: boolean;
}

/** Checks a new request against the person's own products, orders and profile; throws a 400 with the fields. */
export async function checkNewRequest(
  deps: Pick<Deps, 'db'>,
  userId: string,
  input: NewRequestInput,
): Promise<{
  subject: string;
  category: TicketCategory;
  productId: string | null;
  orderId: string | null;
  body: string;
  profile: SystemProfile | null;
}> {
  const errs: FieldErrors = {};
  const subject = input.subject.trim();
  const body = input.message.trim();
  if (!subject) errs.subject = texts.subjectMissing;
  else if (subject.length > LIMITS.subject) errs.subject = texts.subjectLong;
  const category = FORM_CATEGORIES.find((c) => c === (input.category || 'question'));
  if (!category) errs.category = texts.category;
  const choices = await newRequestChoices(deps, userId);
  const productId = input.productId || null;
  if (productId && !choices.products.some((p) => p.id === productId)) errs.product = texts.product;
  const orderId = input.orderId || null;
  if (orderId && !choices.orders.some((o) => o.id === orderId)) errs.order = texts.order;
  if (!body) errs.message = texts.messageMissing;
  else if (body.length > LIMITS.body) errs.message = texts.messageLong;
  let profile: SystemProfile | null = null;
  if (input.attachProfile) {
    profile = parseProfile((await findProfile(deps.db, userId))?.profile ?? null);
    if (!profile) errs.profile = texts.noProfile;
  }
  if (Object.keys(errs).length > 0 || !category) throw errors.invalidFields(errs);
  return { subject, category, productId, orderId, body, profile };
}

/** The ticket a merged duplicate now lives in (through any chain of merges; the service writes there), or itself. */
export async function mergeTargetOf(deps: Pick<Deps, 'db'>, ticket: SupportTicketsTable): Promise<SupportTicketsTable> {
  let current = ticket;
  for (let hops = 0; current.merged_into && hops < 10; hops++) {
    const next = await findTicket(deps.db, current.merged_into);
    if (!next) break;
    current = next;
  }
  return current;
}

/** A reply's text, checked. */
export function checkReply(message: string): string {
  const body = message.trim();
  if (!body) throw errors.invalidFields({ message: texts.messageMissing });
  if (body.length > LIMITS.body) throw errors.invalidFields({ message: texts.messageLong });
  return body;
}

/** The ticket with what its customer may see: their and staff's messages (never notes) and those messages' files. */
export async function customerThread(
  deps: Pick<Deps, 'db'>,
  ticket: SupportTicketsTable,
): Promise<{
  messages: {
    id: string;
    author: 'customer' | 'staff';
    body: string;
    createdAt: number;
    attachments: { id: string; fileName: string; contentType: string; size: number }[];
  }[];
}> {
  const messages = await listMessages(deps.db, ticket.id, false);
  const attachments = await listAttachments(deps.db, ticket.id);
  return {
    messages: messages.map((m) => ({
      id: m.id,
      author: m.author === 'staff' ? 'staff' : 'customer',
      body: m.body,
      createdAt: m.created_at,
      attachments: attachments
        .filter((a) => a.message_id === m.id)
        .map((a) => ({ id: a.id, fileName: a.file_name, contentType: a.content_type, size: a.size })),
    })),
  };
}

/** An attachment the requester may download: of their ticket, on a message they see (not an internal note). */
export async function customerAttachment(
  deps: Pick<Deps, 'db' | 'config'>,
  requester: string,
  ticketId: string,
  attachmentId: string,
): Promise<{ fileName: string; contentType: string; content: Buffer } | undefined> {
  const ticket = await findTicketOf(deps.db, requester, ticketId);
  if (!ticket) return undefined;
  const attachment = await findAttachment(deps.db, attachmentId);
  if (!attachment || attachment.ticket_id !== ticket.id || attachment.requester !== requester) return undefined;
  const visible = await listMessages(deps.db, ticket.id, false);
  if (!visible.some((m) => m.id === attachment.message_id)) return undefined;
  const content = readAttachmentFile(deps.config.dataDir, attachment.id);
  if (!content) return undefined;
  return { fileName: attachment.file_name, contentType: attachment.content_type, content };
}

/** Sends an attachment as a download that no browser renders in the shop's origin. */
export function sendAttachment(
  reply: FastifyReply,
  file: { fileName: string; contentType: string; content: Buffer },
): FastifyReply {
  const ascii = file.fileName.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(file.content);
}

/** Checks a profile: lengths, and serials only of the person's own registered units. Throws a 400 with the fields. */
export async function checkProfile(
  deps: Pick<Deps, 'db'>,
  userId: string,
  input: SystemProfile,
): Promise<SystemProfile> {
  const errs: FieldErrors = {};
  const trimmed: SystemProfile = {
    os: input.os.trim(),
    osVersion: input.osVersion.trim(),
    host: input.host.trim(),
    hostVersion: input.hostVersion.trim(),
    audioInterface: input.audioInterface.trim(),
    productVersions: input.productVersions.trim(),
    serials: [...new Set(input.serials.map((s) => s.trim()).filter(Boolean))],
  };
  const max: Record<string, number> = { audioInterface: 120, productVersions: 1000 };
  for (const key of ['os', 'osVersion', 'host', 'hostVersion', 'audioInterface', 'productVersions'] as const)
    if (trimmed[key].length > (max[key] ?? 80)) errs[key] = texts.tooLong;
  const own = new Set((await listRegisteredSerials(deps.db, userId)).map((r) => r.serial));
  if (trimmed.serials.length > 50 || trimmed.serials.some((s) => !own.has(s))) errs.serials = texts.serial;
  if (Object.keys(errs).length > 0) throw errors.invalidFields(errs);
  return trimmed;
}

export async function saveCheckedProfile(deps: Pick<Deps, 'db' | 'clock'>, userId: string, profile: SystemProfile) {
  await saveProfile(deps.db, userId, JSON.stringify(profile), deps.clock.now());
}

/** The refusal of an attachment as an AppError (413 for a file over the limit), naming the file and the rules. */
export function attachmentError(err: AttachmentRefused, maxMb: number): AppError {
  const text = refusalText(err, maxMb);
  return new AppError(err.reason === 'too-big' ? 413 : 400, 'attachment_refused', text, { attachments: text });
}

// ---------------- the multipart form with up to five files ----------------

interface SupportUpload {
  fields: Record<string, string>;
  files: NewAttachment[];
}

const incomplete = () =>
  errors.invalid({
    en: 'The form arrived incomplete. Please send it again.',
    de: 'Das Formular kam unvollständig an. Bitte senden Sie es erneut.',
  });

/**
 * Reads a multipart form: its short fields (the form token first) and up to five files in memory, each at most the
 * attachment limit. Throws the CSRF error, an AttachmentRefused (a file over the limit, one too many), or a 400 for
 * a broken body; nothing is stored here (the service checks the content and writes the files).
 */
async function readSupportUpload(
  request: FastifyRequest,
  maxBytes: number,
  fields: Record<string, string> = {},
): Promise<SupportUpload> {
  if (!request.isMultipart()) throw errors.unsupportedFormType();
  const complete = watchForClosingDelimiter(request);
  const files: NewAttachment[] = [];
  let failure: Error | undefined;
  let current = '';
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !Object.hasOwn(fields, part.fieldname))
          fields[part.fieldname] = part.value;
        continue;
      }
      current = part.filename;
      if (!formTokenMatches(request, fields._csrf)) failure ??= errors.csrf();
      if (failure) {
        part.file.resume();
        continue;
      }
      const content = await part.toBuffer();
      if (part.filename === '' && content.length === 0) continue; // a file input left empty
      if (files.length >= LIMITS.attachmentsPerMessage) {
        failure = new AttachmentRefused('too-many', part.filename);
        continue;
      }
      files.push({ fileName: part.filename, content });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') failure ??= new AttachmentRefused('too-big', current);
    else if (code === 'FST_FILES_LIMIT') failure ??= new AttachmentRefused('too-many', current);
    else if (isMalformedMultipart(err)) failure ??= incomplete();
    else throw err;
  }
  if (!failure) failure = controlCharacterRefusal(fields);
  if (!failure && !formTokenMatches(request, fields._csrf)) failure = errors.csrf();
  if (!failure && !complete()) failure = incomplete();
  if (failure) throw failure;
  return { fields, files };
}

// ---------------- routes ----------------

const TicketParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const AttachmentParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
});
const ThreadQuery = Type.Object({ sent: Type.Optional(Type.String({ maxLength: 5 })) });
const ProfileForm = formBody({
  os: formText(400),
  osVersion: formText(400),
  host: formText(400),
  hostVersion: formText(400),
  audioInterface: formText(600),
  productVersions: formText(5000),
});
const ProfileQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) });
const DeleteForm = formBody({ confirm: formText(5) });

const sentNotice: Text = {
  en: 'Your message was sent. We answer here and by mail.',
  de: 'Ihre Nachricht wurde gesendet. Wir antworten hier und per E-Mail.',
};

export async function registerSupportAccountRoutes(app: App, deps: Deps): Promise<void> {
  await app.register(async (inner) => {
    // Multipart bodies are read by these routes only (new request, reply), each file at most the attachment limit.
    await inner.register(multipart, {
      limits: {
        files: LIMITS.attachmentsPerMessage + 1,
        fields: 20,
        fieldSize: 100_000,
        parts: 30,
        headerPairs: 100,
      },
    });
    accountRoutes(inner as unknown as App, deps);
  });
}

function accountRoutes(app: App, deps: Deps): void {
  const maxMb = deps.config.supportAttachmentMaxMb;
  const maxBytes = maxMb * 1024 * 1024;

  const newModel = async (userId: string): Promise<NewRequestModel> => ({
    ...(await newRequestChoices(deps, userId)),
    hasProfile: (await findProfile(deps.db, userId)) !== undefined,
    maxMb,
  });

  const threadModel = async (ticket: SupportTicketsTable): Promise<ThreadModel> => ({
    ticket: {
      id: ticket.id,
      ref: ticket.ref,
      subject: ticket.subject,
      state: ticket.state,
      category: ticket.category,
      createdAt: ticket.created_at,
      profile: parseProfile(ticket.profile_snapshot),
      restricted: ticket.restricted_at !== null,
    },
    messages: (await customerThread(deps, ticket)).messages,
    maxMb,
  });

  /** A form error of this flow (bad fields, a refused file), or undefined for anything else (rethrown). */
  const formError = (err: unknown): AppError | undefined => {
    if (err instanceof AttachmentRefused) return attachmentError(err, maxMb);
    if (err instanceof AppError && err.status < 500 && err.code !== 'csrf_failed' && err.status !== 404) return err;
    return undefined;
  };

  app.get('/account/support', async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const rows = (await listTicketsOf(deps.db, viewer.userId)).map((t) => ({
      id: t.id,
      ref: t.ref,
      subject: t.subject,
      state: t.state,
      updatedAt: t.updated_at,
    }));
    return sendPage(reply, supportListPage(pageContext(request), rows));
  });

  app.get('/account/support/new', async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    return sendPage(reply, newRequestPage(pageContext(request), await newModel(viewer.userId)));
  });

  // The form is multipart: the platform's form-token check (url-encoded bodies) is replaced by the same check on
  // the form's fields before the first file (readSupportUpload).
  app.post('/account/support/new', { config: { csrfExempt: true } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const f: Record<string, string> = {};
    const values = (): NewRequestValues => ({
      subject: f.subject,
      category: f.category,
      product: f.product,
      order: f.order,
      message: f.message,
      profile: f.profile === '1',
    });
    try {
      const upload = await readSupportUpload(request, maxBytes, f);
      const checked = await checkNewRequest(deps, viewer.userId, {
        subject: f.subject ?? '',
        category: f.category,
        productId: f.product,
        orderId: f.order,
        message: f.message ?? '',
        attachProfile: f.profile === '1',
      });
      const ticket = await openTicket(deps, {
        requester: viewer.userId,
        subject: checked.subject,
        body: checked.body,
        lang: request.lang,
        source: 'account',
        category: checked.category,
        productId: checked.productId,
        orderId: checked.orderId,
        profile: checked.profile,
        attachments: upload.files,
      });
      return reply.redirect(`/account/support/${ticket.id}?sent=1`, 303);
    } catch (err) {
      const e = formError(err);
      if (!e) throw err;
      const page = newRequestPage(pageContext(request), await newModel(viewer.userId), values(), e.fields, e.text);
      return sendPage(reply, page, e.status);
    }
  });

  app.get(
    '/account/support/:id',
    { schema: { params: TicketParams, querystring: ThreadQuery } },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const ticket = await findTicketOf(deps.db, viewer.userId, request.params.id);
      if (!ticket) throw errors.notFound();
      const notice = request.query.sent === '1' ? sentNotice : undefined;
      return sendPage(reply, threadPage(pageContext(request), await threadModel(ticket), {}, undefined, {}, notice));
    },
  );

  app.post(
    '/account/support/:id',
    { config: { csrfExempt: true }, schema: { params: TicketParams } },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      // Someone else's request: 404 before its body is read, as for a missing one.
      const ticket = await findTicketOf(deps.db, viewer.userId, request.params.id);
      if (!ticket) throw errors.notFound();
      const fields: Record<string, string> = {};
      try {
        const upload = await readSupportUpload(request, maxBytes, fields);
        const body = checkReply(fields.message ?? '');
        await addCustomerMessage(deps, ticket.id, { body, via: 'web', attachments: upload.files });
        // A merged duplicate's message went to the ticket it was merged into: that is where it is shown.
        const target = await mergeTargetOf(deps, ticket);
        return reply.redirect(`/account/support/${target.id}?sent=1`, 303);
      } catch (err) {
        const e = formError(err);
        if (!e) throw err;
        const page = threadPage(pageContext(request), await threadModel(ticket), e.fields, e.text, {
          message: fields.message,
        });
        return sendPage(reply, page, e.status);
      }
    },
  );

  app.get(
    '/account/support/:id/attachments/:attachmentId',
    { schema: { params: AttachmentParams } },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const file = await customerAttachment(deps, viewer.userId, request.params.id, request.params.attachmentId);
      if (!file) throw errors.notFound();
      return sendAttachment(reply, file);
    },
  );

  // ---- the system profile ----
  const profileModel = async (userId: string) => {
    const stored = await findProfile(deps.db, userId);
    return {
      profile: parseProfile(stored?.profile ?? null),
      updatedAt: stored?.updated_at ?? null,
      serials: (await listRegisteredSerials(deps.db, userId)).map((r) => ({ id: r.id, serial: r.serial })),
    };
  };

  app.get('/account/support/profile', { schema: { querystring: ProfileQuery } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const model = await profileModel(viewer.userId);
    const notice: Text | undefined =
      request.query.done === 'saved'
        ? { en: 'Your system profile was saved.', de: 'Ihr Systemprofil wurde gespeichert.' }
        : request.query.done === 'deleted'
          ? { en: 'Your system profile was deleted.', de: 'Ihr Systemprofil wurde gelöscht.' }
          : undefined;
    return sendPage(reply, profilePage(pageContext(request), model, model.profile ?? emptyProfile, {}, notice));
  });

  app.post('/account/support/profile', { schema: { body: ProfileForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const form: Record<string, string | undefined> = request.body;
    const model = await profileModel(viewer.userId);
    // Checkboxes name the registration (`serial-<id>`); any other serial-… field names a unit not theirs.
    const picked = Object.keys(form)
      .filter((k) => k.startsWith('serial-') && form[k] === '1')
      .map((k) => model.serials.find((s) => `serial-${s.id}` === k)?.serial ?? k.slice('serial-'.length));
    const values: SystemProfile = {
      os: form.os ?? '',
      osVersion: form.osVersion ?? '',
      host: form.host ?? '',
      hostVersion: form.hostVersion ?? '',
      audioInterface: form.audioInterface ?? '',
      productVersions: form.productVersions ?? '',
      serials: picked,
    };
    try {
      await saveCheckedProfile(deps, viewer.userId, await checkProfile(deps, viewer.userId, values));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return sendPage(reply, profilePage(pageContext(request), model, values, err.fields), err.status);
    }
    return reply.redirect('/account/support/profile?done=saved', 303);
  });

  app.get('/account/support/profile/delete', async (request, reply) => {
    requireVerifiedEmail(request.viewer);
    return sendPage(reply, deleteProfilePage(pageContext(request)));
  });

  app.post('/account/support/profile/delete', { schema: { body: DeleteForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    if (request.body.confirm !== 'yes')
      throw errors.invalid({ en: 'Confirm the deletion.', de: 'Bestätigen Sie das Löschen.' });
    await deleteProfile(deps.db, viewer.userId);
    return reply.redirect('/account/support/profile?done=deleted', 303);
  });
}
