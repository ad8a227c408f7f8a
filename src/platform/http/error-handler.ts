// Turns every error into a clear answer: JSON `{ error: { code, message } }` for the API, a page otherwise.
// Validation messages name the field and say what is expected, in the visitor's language.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { isDatabaseUnavailable } from '../db/dialect.ts';
import { AppError, errors } from '../errors.ts';
import { escapeHtml } from '../html.ts';
import { negotiateLang, tr, type Lang, type Text } from '../i18n.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { isApiPath } from './security.ts';

export type ErrorPageRenderer = (request: FastifyRequest, error: AppError) => string;

/** What a client is told to wait while the database is away: about how long PostgreSQL takes to restart. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** One log line per outage, more or less: not one per refused request. */
const OUTAGE_LOG_INTERVAL_MS = 30_000;

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Errors the router raises before any hook runs (bad percent-encoding in the URL and the like). */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error) ?? errors.malformedRequest();
  const lang = negotiateLang(undefined, request.headers['accept-language']);
  void reply.code(appError.status).send({ error: { code: appError.code, message: tr(lang, appError.text) } });
}

/** `signInPath`: where a page that needs an account sends an anonymous visitor (none: the 401 page shows). */
export function registerErrorHandler(
  app: FastifyInstance,
  log: Logger,
  renderPage: ErrorPageRenderer,
  signInPath?: string,
  metrics?: Pick<Metrics, 'databaseUnavailable'>,
  /**
   * Runs before the not-found answer: the rate limit (`app.rateLimit()`), which otherwise skips unknown paths, so
   * that one address cannot send unknown paths without end (each one written to the usage log).
   */
  notFoundPreHandler?: preHandlerHookHandler,
): void {
  let outageLoggedAt = -Infinity;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // A database that cannot be reached (in a handler or in a hook before it) is a short outage, not a bug.
    if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
      metrics?.databaseUnavailable.inc();
      if (Date.now() - outageLoggedAt > OUTAGE_LOG_INTERVAL_MS) {
        outageLoggedAt = Date.now();
        // The code only: a driver's message can quote a statement's values.
        log.warn({ code: (error as { code?: string }).code ?? null }, 'database unavailable: answering 503');
      }
      return send(request, reply, errors.databaseUnavailable(DATABASE_RETRY_AFTER_SECONDS));
    }
    const appError = toAppError(error);
    if (!appError) {
      log.error({ err: error, route: request.routeOptions.url, method: request.method }, 'unhandled error');
      return send(
        request,
        reply,
        new AppError(500, 'internal_error', {
          en: 'Something went wrong on our side. Please try again later.',
          de: 'Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es später erneut.',
        }),
      );
    }
    return send(request, reply, appError);
  });
  const notFound = (request: FastifyRequest, reply: FastifyReply) => send(request, reply, errors.notFound());
  if (notFoundPreHandler) app.setNotFoundHandler({ preHandler: notFoundPreHandler }, notFound);
  else app.setNotFoundHandler(notFound);

  function send(request: FastifyRequest, reply: FastifyReply, refusal: AppError) {
    const lang: Lang = request.lang ?? negotiateLang(undefined, request.headers['accept-language']);
    // Only the API asks for JSON bodies; a form outside it gets advice for a form.
    const error =
      refusal.code === 'unsupported_media_type' && !isApiPath(request.url) ? errors.unsupportedFormType() : refusal;
    reply.code(error.status).headers(error.headers);
    if (isApiPath(request.url) || !(request.headers.accept ?? '').includes('text/html')) {
      const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, tr(lang, v)]));
      return reply.send({
        error: {
          code: error.code,
          message: tr(lang, error.text, { seconds: error.headers['retry-after'] ?? '' }),
          ...(Object.keys(fields).length ? { fields } : {}),
          ...(Object.keys(error.links).length ? { links: error.links } : {}),
        },
      });
    }
    // Anonymous visitors who open a page that needs an account are sent to sign in, then back.
    if (error.status === 401 && request.method === 'GET' && signInPath) {
      const path = request.url.split('?')[0] ?? '/';
      return reply.code(303).redirect(`${signInPath}?next=${encodeURIComponent(path)}`);
    }
    return reply.code(error.status).type('text/html; charset=utf-8').send(safePage(request, error));
  }

  /** A hook that failed early (the session, during an outage) may leave the layout without what it needs. */
  function safePage(request: FastifyRequest, error: AppError): string {
    try {
      return renderPage(request, error);
    } catch (err) {
      log.error({ err, route: request.routeOptions.url, status: error.status }, 'error page failed');
      const lang: Lang = request.lang ?? negotiateLang(undefined, request.headers['accept-language']);
      const text = escapeHtml(tr(lang, error.text, { seconds: error.headers['retry-after'] ?? '' }));
      return `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>${error.status}</title><p role="alert">${text}</p></html>`;
    }
  }
}

function toAppError(error: FastifyError): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error.validation)
    return validationError(error.validation as unknown as AjvError[], error.validationContext ?? 'body');
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.tooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return errors.malformedRequest();
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return errors.invalid({ en: 'A part of the address is too long.', de: 'Ein Teil der Adresse ist zu lang.' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.malformedJson();
  }
  if (error instanceof SyntaxError) return errors.malformedJson();
  const status = error.statusCode ?? 500;
  if (status === 429) return errors.rateLimited(60);
  if (status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', {
      en: 'The request could not be processed.',
      de: 'Die Anfrage konnte nicht verarbeitet werden.',
    });
  }
  return undefined;
}

const typeNames: Record<string, Text> = {
  string: { en: 'text', de: 'Text' },
  boolean: { en: 'true or false', de: 'true oder false' },
  integer: { en: 'whole number', de: 'ganze Zahl' },
  number: { en: 'number', de: 'Zahl' },
  object: { en: 'JSON object', de: 'JSON-Objekt' },
  array: { en: 'list', de: 'Liste' },
};

function validationError(list: AjvError[], context: string): AppError {
  const first = list[0];
  const path = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') ?? '';
  const field = path || context;
  const p = first?.params ?? {};
  let text: Text;
  let name = field;
  switch (first?.keyword) {
    case 'required':
      name = path ? `${path}.${String(p.missingProperty)}` : String(p.missingProperty);
      text = { en: 'The field "{field}" is missing.', de: 'Das Feld „{field}“ fehlt.' };
      break;
    case 'additionalProperties':
      name = path ? `${path}.${String(p.additionalProperty)}` : String(p.additionalProperty);
      text = { en: 'The field "{field}" is not allowed here.', de: 'Das Feld „{field}“ ist hier nicht erlaubt.' };
      break;
    case 'type': {
      const t = typeNames[String(p.type)] ?? { en: String(p.type), de: String(p.type) };
      text = { en: `"{field}" must be a ${t.en}.`, de: `„{field}“ muss ${t.de} sein.` };
      break;
    }
    case 'minLength':
      text = {
        en: `"{field}" must have at least ${String(p.limit)} characters.`,
        de: `„{field}“ muss mindestens ${String(p.limit)} Zeichen haben.`,
      };
      break;
    case 'maxLength':
      text = {
        en: `"{field}" may have at most ${String(p.limit)} characters.`,
        de: `„{field}“ darf höchstens ${String(p.limit)} Zeichen haben.`,
      };
      break;
    case 'minimum':
    case 'maximum':
      text = {
        en: `"{field}" must be ${first?.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}.`,
        de: `„{field}“ muss ${first?.keyword === 'minimum' ? 'mindestens' : 'höchstens'} ${String(p.limit)} sein.`,
      };
      break;
    case 'format':
      text = {
        en: `"{field}" is not a valid ${String(p.format)}.`,
        de: `„{field}“ ist keine gültige Angabe (${String(p.format)}).`,
      };
      break;
    case 'enum':
      text = {
        en: `"{field}" must be one of: ${(p.allowedValues as unknown[]).join(', ')}.`,
        de: `„{field}“ muss einer dieser Werte sein: ${(p.allowedValues as unknown[]).join(', ')}.`,
      };
      break;
    default:
      text = { en: '"{field}" is not valid.', de: '„{field}“ ist ungültig.' };
  }
  const filled: Text = { en: text.en.replace('{field}', () => name), de: text.de.replace('{field}', () => name) };
  return new AppError(400, 'invalid_input', filled, { [name]: filled });
}
