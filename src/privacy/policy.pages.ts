// The privacy policy page: a stored version of the generated policy body (policy.document.ts) with its
// version line, a notice on superseded versions and links to the other versions. The body is rendered once
// per version from the data map, the consent registry and the operator, and stored, so old versions stay readable.
import { html, unsafeRaw } from '../platform/html.ts';
import { formatTime, tr, type Text } from '../platform/i18n.ts';
import { type PageContext, layout } from '../web/index.ts';

export { processingRecord, renderPolicyBody } from './policy.document.ts';
export type { PolicyInput } from './policy.common.ts';

export interface PolicyVersionRef {
  number: number;
  publishedAt: number;
}

export function privacyPage(
  ctx: PageContext,
  model: { bodyHtml: string; version: PolicyVersionRef; versions: PolicyVersionRef[]; latest: boolean },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Privacy policy', de: 'Datenschutzerklärung' });
  const published = (v: PolicyVersionRef) =>
    html`<time datetime="${new Date(v.publishedAt).toISOString()}">${formatTime(ctx.lang, v.publishedAt, ctx.timeZone)}</time>`;
  // The body is our own output: renderPolicyBody escapes every value through `html`, and only Candor stores it.
  const body = unsafeRaw(model.bodyHtml);
  const others = model.versions.filter((v) => v.number !== model.version.number).sort((a, b) => b.number - a.number);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Version', de: 'Version' })} ${model.version.number}, ${t({ en: 'published', de: 'veröffentlicht am' })} ${published(model.version)}</p>
${
  model.latest
    ? ''
    : html`<p class="notice" role="note">${t({ en: 'This is an earlier version of our privacy policy and no longer applies.', de: 'Dies ist eine frühere Fassung unserer Datenschutzerklärung; sie gilt nicht mehr.' })} <a href="/privacy">${t({ en: 'Read the current privacy policy', de: 'Zur aktuellen Datenschutzerklärung' })}</a></p>`
}
${body}
${
  others.length > 0
    ? html`<section id="versions">
<h2>${model.latest ? t({ en: 'Earlier versions', de: 'Frühere Fassungen' }) : t({ en: 'Other versions', de: 'Weitere Fassungen' })}</h2>
<ul>${others.map((v) => html`<li><a href="/privacy/versions/${v.number}">${t({ en: 'Version', de: 'Version' })} ${v.number}</a>, ${t({ en: 'published', de: 'veröffentlicht am' })} ${published(v)}</li>`)}</ul>
</section>`
    : ''
}`,
  );
}
