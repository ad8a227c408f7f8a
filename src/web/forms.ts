// HTML forms: the form token field, and the schema of a form's body. A form route declares the fields it
// reads; every field is optional text (a browser sends what the form holds), and the form token rides along.
import Type, { type TProperties } from 'typebox';
import { html, type SafeHtml } from '../platform/html.ts';
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
