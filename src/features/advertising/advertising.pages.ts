// The objection pages: the setting in the account, and the one-button page behind the link in each mail.
import { html } from '../../platform/html.ts';
import { tr } from '../../platform/i18n.ts';
import { csrfField, layout, type PageContext } from '../../web/index.ts';

export function accountAdvertisingPage(ctx: PageContext, objected: boolean): string {
  const title = tr(ctx.lang, { en: 'Product suggestions by email', de: 'Produktvorschläge per E-Mail' });
  const intro = tr(ctx.lang, {
    en:
      'As a customer you may get emails about products similar to those you bought (§ 7(3) UWG). ' +
      'You can object to this at any time, without incurring any costs other than the transmission costs at the basic rates.',
    de:
      'Als Kunde erhalten Sie gegebenenfalls E-Mails zu Produkten, die den gekauften ähneln (§ 7 Abs. 3 UWG). ' +
      'Sie können dem jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen.',
  });
  const state = objected
    ? tr(ctx.lang, {
        en: 'You have objected: you get no such emails.',
        de: 'Sie haben widersprochen: Sie erhalten keine solchen E-Mails.',
      })
    : tr(ctx.lang, { en: 'You may get such emails.', de: 'Sie können solche E-Mails erhalten.' });
  const button = objected
    ? tr(ctx.lang, { en: 'Allow suggestions again', de: 'Vorschläge wieder erlauben' })
    : tr(ctx.lang, { en: 'No product suggestions, please', de: 'Bitte keine Produktvorschläge' });
  const objectField = html`<input type="hidden" name="object" value="${objected ? 'no' : 'yes'}">`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${intro}</p>
<p role="status"><strong>${state}</strong></p>
<form method="post" action="/account/advertising">${csrfField(ctx)}${objectField}
<button type="submit">${button}</button></form>`,
  );
}

export function optOutPage(ctx: PageContext, action: string): string {
  const title = tr(ctx.lang, { en: 'No more product suggestions', de: 'Keine Produktvorschläge mehr' });
  const button = tr(ctx.lang, { en: 'Confirm: no more such emails', de: 'Bestätigen: keine solchen E-Mails mehr' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><form method="post" action="${action}"><button type="submit">${button}</button></form>`,
  );
}

export function optedOutPage(ctx: PageContext): string {
  const title = tr(ctx.lang, { en: 'Done', de: 'Erledigt' });
  const done = tr(ctx.lang, {
    en: 'You will get no more product suggestions by email.',
    de: 'Sie erhalten keine Produktvorschläge per E-Mail mehr.',
  });
  return layout(ctx, title, html`<h1>${title}</h1><p role="status">${done}</p>`);
}
