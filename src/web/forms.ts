// HTML forms: the form token field, and the schema of a form's body. A form route declares the fields it
// reads; every field is optional text (a browser sends what the form holds), and the form token rides along.
import Type, { type TProperties } from 'typebox';
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import type { PageContext } from './layout.ts';

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken()}">`;
}

/** A text field of a form, at most `maxLength` characters. */
export const formText = (maxLength = 2000) => Type.Optional(Type.String({ maxLength }));

/** The body of an HTML form with the given fields; unknown fields are ignored, as browsers may add some. */
export function formBody<P extends TProperties>(fields: P) {
  return Type.Object({ ...fields, _csrf: Type.Optional(Type.String({ maxLength: 200 })) });
}

/** The id of a form field's control: `billingAddress.name` → `f-billingAddress-name` (the error summary links to it). */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A form's problems by field name, in the visitor's language. */
export type FieldErrors = Record<string, Text>;

/** What the error summary calls a field, for the fields whose label it knows. */
export type FieldLabels = Record<string, Text>;

/**
 * The one error summary at the top of every form: the message, then every field's problem as a link to the field
 * (whose control has the id `fieldId(name)`), in the order of `order` (the form's order) and then any others.
 * Focusable, announced as an alert; nothing at all when there is neither a message nor a field problem.
 */
export function errorSummary(
  lang: Lang,
  message: Text | undefined,
  errors: FieldErrors = {},
  labels: FieldLabels = {},
  order: string[] = [],
): SafeHtml | string {
  const names = [...order.filter((n) => errors[n]), ...Object.keys(errors).filter((n) => !order.includes(n))];
  if (!message && names.length === 0) return '';
  const title =
    names.length === 0
      ? undefined
      : tr(
          lang,
          names.length === 1
            ? { en: 'There is 1 problem to correct', de: 'Bitte korrigieren Sie 1 Angabe' }
            : { en: 'There are {n} problems to correct', de: 'Bitte korrigieren Sie {n} Angaben' },
          { n: names.length },
        );
  return html`<div class="error-summary" role="alert" id="error-summary" tabindex="-1">
${title ? html`<h2>${title}</h2>` : ''}${message ? html`<p>${tr(lang, message)}</p>` : ''}
${names.length > 0 ? html`<ul>${names.map((n) => html`<li><a href="#${fieldId(n)}">${labels[n] ? html`${tr(lang, labels[n] as Text)}: ` : ''}${tr(lang, errors[n] as Text)}</a></li>`)}</ul>` : ''}
</div>`;
}
