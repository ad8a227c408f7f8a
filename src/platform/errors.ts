// The one catalogue of errors a user can see: stable codes, a fitting 4xx status and a message in
// English and German. Anything else that escapes a handler is a bug and answers a bare 500.
import type { Text } from './i18n.ts';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    readonly fields: Record<string, Text> = {},
    readonly headers: Record<string, string> = {},
    /** Related pages by relation name (absolute URLs), e.g. `review`: sent as `error.links` in the API answer. */
    readonly links: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const errors = {
  invalid: (text: Text, fields: Record<string, Text> = {}) => new AppError(400, 'invalid_input', text, fields),
  invalidFields: (fields: Record<string, Text>) =>
    new AppError(
      400,
      'invalid_input',
      { en: 'Please correct the marked fields.', de: 'Bitte korrigieren Sie die markierten Felder.' },
      fields,
    ),
  controlCharacters: (field: string) => {
    const text = {
      en: `The field "${field}" contains invisible control characters. Please remove them.`,
      de: `Das Feld „${field}“ enthält unsichtbare Steuerzeichen. Bitte entfernen Sie sie.`,
    };
    return new AppError(400, 'invalid_input', text, { [field]: text });
  },
  unexpectedBody: () =>
    new AppError(400, 'unexpected_body', {
      en: 'This request takes no body.',
      de: 'Diese Anfrage erwartet keinen Inhalt.',
    }),
  malformedRequest: () =>
    new AppError(400, 'malformed_request', {
      en: 'The request is malformed.',
      de: 'Die Anfrage ist fehlerhaft aufgebaut.',
    }),
  malformedJson: () =>
    new AppError(400, 'malformed_json', {
      en: 'The request body is not valid JSON.',
      de: 'Der Anfrageinhalt ist kein gültiges JSON.',
    }),
  unsupportedMediaType: () =>
    new AppError(415, 'unsupported_media_type', {
      en: 'Send the request body as application/json.',
      de: 'Senden Sie den Anfrageinhalt als application/json.',
    }),
  /** The same refusal on a page: a browser sends forms in a form type, so the advice about JSON does not apply. */
  unsupportedFormType: () =>
    new AppError(415, 'unsupported_media_type', {
      en: 'This form could not be read. Please go back, reload the page and send the form again.',
      de: 'Dieses Formular konnte nicht gelesen werden. Bitte gehen Sie zurück, laden Sie die Seite neu und senden Sie das Formular erneut.',
    }),
  tooLarge: () =>
    new AppError(413, 'body_too_large', { en: 'The request body is too large.', de: 'Der Anfrageinhalt ist zu groß.' }),
  unauthenticated: () =>
    new AppError(401, 'unauthenticated', { en: 'Please sign in first.', de: 'Bitte melden Sie sich zuerst an.' }),
  forbidden: () =>
    new AppError(403, 'forbidden', { en: 'You are not allowed to do this.', de: 'Dazu sind Sie nicht berechtigt.' }),
  emailUnverified: () =>
    new AppError(403, 'email_unverified', {
      en: 'Please confirm your email address first; we sent you a link (you can request a new one in your account).',
      de: 'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse; wir haben Ihnen einen Link geschickt (einen neuen können Sie in Ihrem Konto anfordern).',
    }),
  foreignOrigin: () =>
    new AppError(403, 'foreign_origin', {
      en: 'Requests from other websites are not accepted.',
      de: 'Anfragen von anderen Websites werden nicht angenommen.',
    }),
  csrf: () =>
    new AppError(403, 'csrf_failed', {
      en: 'The form has expired or cookies are blocked. Please reload the page and try again.',
      de: 'Das Formular ist abgelaufen oder Cookies sind blockiert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.',
    }),
  notFound: () =>
    new AppError(404, 'not_found', { en: 'This page does not exist.', de: 'Diese Seite existiert nicht.' }),
  methodNotAllowed: () =>
    new AppError(405, 'method_not_allowed', {
      en: 'This method is not allowed here.',
      de: 'Diese Methode ist hier nicht erlaubt.',
    }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'rate_limited',
      {
        en: 'Too many requests. Please wait {seconds} seconds and try again.',
        de: 'Zu viele Anfragen. Bitte warten Sie {seconds} Sekunden und versuchen Sie es erneut.',
      },
      {},
      { 'retry-after': String(retryAfterSeconds) },
    ),
  /** The database cannot be reached (restarting, failing over): the same request will likely work in a few seconds. */
  databaseUnavailable: (retryAfterSeconds: number) =>
    new AppError(
      503,
      'service_unavailable',
      {
        en: 'The shop is briefly unavailable. Please try again in {seconds} seconds.',
        de: 'Der Shop ist kurz nicht erreichbar. Bitte versuchen Sie es in {seconds} Sekunden erneut.',
      },
      {},
      { 'retry-after': String(retryAfterSeconds) },
    ),
  /** The per-address sign-in throttle: the same for addresses with and without an account. */
  signInDelayed: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'sign_in_delayed',
      {
        en: 'Too many failed sign-ins for this address. Please wait {seconds} seconds and try again, or reset your password.',
        de: 'Zu viele fehlgeschlagene Anmeldungen für diese Adresse. Bitte warten Sie {seconds} Sekunden und versuchen Sie es erneut, oder setzen Sie Ihr Passwort zurück.',
      },
      {},
      { 'retry-after': String(retryAfterSeconds) },
    ),
  emailTaken: () =>
    new AppError(409, 'email_taken', {
      en: 'An account with this email address already exists. Sign in or reset your password.',
      de: 'Für diese E-Mail-Adresse gibt es bereits ein Konto. Melden Sie sich an oder setzen Sie Ihr Passwort zurück.',
    }),
  badCredentials: () =>
    new AppError(401, 'bad_credentials', {
      en: 'Email address or password is wrong.',
      de: 'E-Mail-Adresse oder Passwort ist falsch.',
    }),
  badToken: () =>
    new AppError(400, 'invalid_token', {
      en: 'This link is invalid, used or expired. Please request a new one.',
      de: 'Dieser Link ist ungültig, bereits benutzt oder abgelaufen. Bitte fordern Sie einen neuen an.',
    }),
  wrongPassword: () =>
    new AppError(
      400,
      'wrong_password',
      { en: 'The current password is wrong.', de: 'Das aktuelle Passwort ist falsch.' },
      {
        currentPassword: { en: 'This is not your current password.', de: 'Das ist nicht Ihr aktuelles Passwort.' },
      },
    ),
};
