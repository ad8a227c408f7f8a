// The shell's own pages: the imprint. Pure functions from a model to HTML.
import { html } from '../../platform/html.ts';
import { tr } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { layout, type PageContext } from '../../web/index.ts';

const T = {
  imprint: { en: 'Imprint', de: 'Impressum' },
  representedBy: { en: 'Represented by', de: 'Vertreten durch' },
  phone: { en: 'Phone', de: 'Telefon' },
  email: { en: 'Email', de: 'E-Mail' },
};

const joinNames = (lang: 'en' | 'de', names: string[]) =>
  new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(names);

export function imprintPage(ctx: PageContext, operator: Operator): string {
  const title = tr(ctx.lang, T.imprint);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<address>
  <strong>${operator.company}</strong><br>
  ${operator.address.map((line) => html`${line}<br>`)}
  ${tr(ctx.lang, T.phone)}: <a href="tel:${operator.phone.replace(/[^0-9+]/g, '')}">${operator.phone}</a><br>
  ${tr(ctx.lang, T.email)}: <a href="mailto:${operator.email}">${operator.email}</a>
</address>
<p>${tr(ctx.lang, T.representedBy)}: ${joinNames(ctx.lang, operator.representedBy)}</p>
<p>${operator.registry}<br>${ctx.lang === 'de' ? 'USt-IdNr.' : 'VAT ID'}: ${operator.vatId}</p>`,
  );
}
