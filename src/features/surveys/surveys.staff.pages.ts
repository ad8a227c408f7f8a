// The staff's survey console: the list, the builder (details, questions, open/close, invite) and the results, which
// are aggregates only: no page here names a person or shows who answered what, and no figure is shown for a survey
// or question with fewer than MIN_GROUP answers.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, layout, type PageContext } from '../../web/index.ts';
import { kindNames, MIN_GROUP, QUESTION_KINDS, type QuestionResult, type SurveyResults } from './surveys.model.ts';
import type { SurveyStatus, SurveyView } from './surveys.service.ts';

const statusNames: Record<SurveyStatus, Text> = {
  draft: { en: 'draft', de: 'Entwurf' },
  open: { en: 'open', de: 'geöffnet' },
  closed: { en: 'closed', de: 'beendet' },
};

const NOT_SHOWN: Text = { en: 'Not shown: fewer than 5 answers.', de: 'Nicht gezeigt: weniger als 5 Antworten.' };

export interface SurveyListModel {
  items: { id: string; title_en: string; title_de: string; status: string; created_at: number }[];
  after: string | undefined;
  next: string | null;
  products: { id: string; title: string }[];
}

function detailsFields(ctx: PageContext, products: { id: string; title: string }[], values?: SurveyView): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const row = values?.row;
  const chosen = new Set(values?.productIds ?? []);
  return html`<div class="field"><label for="f-title_en">${t({ en: 'Title (English)', de: 'Titel (Englisch)' })}</label><input id="f-title_en" name="title_en" maxlength="200" required value="${row?.title_en ?? ''}"></div>
<div class="field"><label for="f-title_de">${t({ en: 'Title (German)', de: 'Titel (Deutsch)' })}</label><input id="f-title_de" name="title_de" maxlength="200" required value="${row?.title_de ?? ''}"></div>
<div class="field"><label for="f-intro_en">${t({ en: 'Introduction (English)', de: 'Einleitung (Englisch)' })}</label><textarea id="f-intro_en" name="intro_en" rows="3" maxlength="2000">${row?.intro_en ?? ''}</textarea></div>
<div class="field"><label for="f-intro_de">${t({ en: 'Introduction (German)', de: 'Einleitung (Deutsch)' })}</label><textarea id="f-intro_de" name="intro_de" rows="3" maxlength="2000">${row?.intro_de ?? ''}</textarea></div>
<fieldset class="field"><legend>${t({ en: 'Invite purchasers of', de: 'Käufer einladen von' })}</legend>
${products.length === 0 ? html`<p>${t({ en: 'No products yet.', de: 'Noch keine Produkte.' })}</p>` : ''}
${products.map((p, i) => html`<div><input type="checkbox" id="f-product-${i}" name="productIds" value="${p.id}"${chosen.has(p.id) ? html` checked` : ''}><label for="f-product-${i}">${p.title}</label></div>`)}
</fieldset>
<div class="field"><label for="f-retention">${t({ en: 'Keep answers for (days)', de: 'Antworten aufbewahren (Tage)' })}</label><input id="f-retention" name="retentionDays" type="number" min="1" max="3650" required value="${row?.retention_days ?? 365}"></div>`;
}

export function surveyListPage(ctx: PageContext, model: SurveyListModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Surveys', de: 'Umfragen' });
  const head = {
    title: t({ en: 'Title', de: 'Titel' }),
    status: t({ en: 'Status', de: 'Status' }),
    created: t({ en: 'Created', de: 'Erstellt' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Only customers who consented are invited. Results are shown only in aggregate, and not at all below 5 answers.', de: 'Eingeladen werden nur Kunden, die eingewilligt haben. Ergebnisse werden nur zusammengefasst gezeigt, unter 5 Antworten gar nicht.' })}</p>
${
  model.items.length === 0
    ? html`<p>${t({ en: 'No surveys yet.', de: 'Noch keine Umfragen.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.title}</th><th scope="col">${head.status}</th><th scope="col">${head.created}</th></tr></thead>
<tbody>${model.items.map((s) => html`<tr><td data-label="${head.title}"><a href="/staff/surveys/${s.id}">${ctx.lang === 'de' ? s.title_de : s.title_en}</a></td><td data-label="${head.status}">${t(statusNames[s.status as SurveyStatus] ?? { en: s.status, de: s.status })}</td><td data-label="${head.created}">${formatTime(ctx.lang, s.created_at, ctx.timeZone)}</td></tr>`)}</tbody></table>`
}
${
  model.after || model.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${model.after ? html`<a href="/staff/surveys">${t({ en: 'Newest surveys', de: 'Neueste Umfragen' })}</a> ` : ''}${model.next ? html`<a href="/staff/surveys?after=${model.next}" rel="next">${t({ en: 'Older surveys', de: 'Ältere Umfragen' })}</a>` : ''}</nav>`
    : ''
}
<h2>${t({ en: 'New survey', de: 'Neue Umfrage' })}</h2>
<form method="post" action="/staff/surveys">${csrfField(ctx)}
${detailsFields(ctx, model.products)}
<button type="submit">${t({ en: 'Create survey', de: 'Umfrage anlegen' })}</button>
</form>`,
  );
}

export function surveyEditPage(
  ctx: PageContext,
  survey: SurveyView,
  model: { products: { id: string; title: string }[]; invited: number; notice?: string | undefined },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const row = survey.row;
  const title = ctx.lang === 'de' ? row.title_de : row.title_en;
  const id = row.id;
  const draft = survey.status === 'draft';
  const notice =
    model.notice && /^invited-\d+$/.test(model.notice)
      ? tr(ctx.lang, { en: '{n} invitations queued.', de: '{n} Einladungen eingereiht.' }, { n: model.notice.slice(8) })
      : model.notice === 'saved'
        ? t({ en: 'Saved.', de: 'Gespeichert.' })
        : '';
  const action = (path: string, label: Text) =>
    html`<form method="post" action="/staff/surveys/${id}/${path}" class="inline">${csrfField(ctx)}<button type="submit">${t(label)}</button></form>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p role="status" class="notice">${notice}</p>` : ''}
<p>${t({ en: 'Status', de: 'Status' })}: <strong>${t(statusNames[survey.status])}</strong> · ${tr(ctx.lang, { en: '{n} invited', de: '{n} eingeladen' }, { n: model.invited })} · <a href="/staff/surveys/${id}/results">${t({ en: 'Results', de: 'Ergebnisse' })}</a></p>
<div class="actions">
${draft ? action('open', { en: 'Open survey', de: 'Umfrage öffnen' }) : ''}
${survey.status === 'open' ? action('invite', { en: 'Invite consenting purchasers', de: 'Einwilligende Käufer einladen' }) : ''}
${survey.status === 'open' ? action('close', { en: 'Close survey', de: 'Umfrage beenden' }) : ''}
${action('delete', { en: 'Delete survey with all answers', de: 'Umfrage mit allen Antworten löschen' })}
</div>
<h2>${t({ en: 'Questions', de: 'Fragen' })}</h2>
${
  survey.questions.length === 0
    ? html`<p>${t({ en: 'No questions yet.', de: 'Noch keine Fragen.' })}</p>`
    : html`<ol>${survey.questions.map(
        (q) =>
          html`<li><p><strong>${q.text.en}</strong> / ${q.text.de} (${t(kindNames[q.kind])}${q.scale ? ` ${q.scale.min}–${q.scale.max}` : ''})</p>
${q.options.length > 0 ? html`<ul>${q.options.map((o) => html`<li>${o.text.en} / ${o.text.de}</li>`)}</ul>` : ''}
${draft ? action(`questions/${q.id}/delete`, { en: 'Remove question', de: 'Frage entfernen' }) : ''}</li>`,
      )}</ol>`
}
${
  draft
    ? html`<h2>${t({ en: 'Add a question', de: 'Frage hinzufügen' })}</h2>
<form method="post" action="/staff/surveys/${id}/questions">${csrfField(ctx)}
<div class="field"><label for="f-kind">${t({ en: 'Kind', de: 'Art' })}</label><select id="f-kind" name="kind">${QUESTION_KINDS.map((k) => html`<option value="${k}">${t(kindNames[k])}</option>`)}</select></div>
<div class="field"><label for="f-text_en">${t({ en: 'Question (English)', de: 'Frage (Englisch)' })}</label><input id="f-text_en" name="text_en" maxlength="500" required></div>
<div class="field"><label for="f-text_de">${t({ en: 'Question (German)', de: 'Frage (Deutsch)' })}</label><input id="f-text_de" name="text_de" maxlength="500" required></div>
<div class="field"><label for="f-options">${t({ en: 'Answers to choose from, one per line: English | German', de: 'Antwortmöglichkeiten, eine je Zeile: Englisch | Deutsch' })}</label><textarea id="f-options" name="options" rows="4" maxlength="4000"></textarea></div>
<div class="field"><label for="f-scale">${t({ en: 'Scale', de: 'Skala' })}</label><select id="f-scale" name="scale"><option value="1-5">1–5</option><option value="0-10">0–10</option></select></div>
<button type="submit">${t({ en: 'Add question', de: 'Frage hinzufügen' })}</button>
</form>
<h2>${t({ en: 'Details', de: 'Angaben' })}</h2>
<form method="post" action="/staff/surveys/${id}">${csrfField(ctx)}
${detailsFields(ctx, model.products, survey)}
<button type="submit">${t({ en: 'Save details', de: 'Angaben speichern' })}</button>
</form>`
    : html`<p>${t({ en: 'An opened survey can no longer be changed.', de: 'Eine geöffnete Umfrage lässt sich nicht mehr ändern.' })}</p>`
}
<p><a href="/staff/surveys">${t({ en: 'All surveys', de: 'Alle Umfragen' })}</a></p>`,
  );
}

/** A bar of width proportional to the share; the figures are in the table beside it, so the chart is hidden from screen readers. */
function bar(percent: number): SafeHtml {
  return html`<svg class="bar" width="200" height="14" viewBox="0 0 200 14" aria-hidden="true" focusable="false"><rect x="0" y="0" width="${Math.round(percent * 2)}" height="14" fill="currentColor"></rect></svg>`;
}

function questionResult(ctx: PageContext, r: QuestionResult, n: number): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = html`<h2 id="q-${r.question.id}">${n}. ${t(r.question.text)}</h2>`;
  if (!r.shown)
    return html`<section aria-labelledby="q-${r.question.id}">${heading}<p class="notice">${t(NOT_SHOWN)}</p></section>`;
  const answered = tr(
    ctx.lang,
    { en: '{n} answered this question.', de: '{n} haben diese Frage beantwortet.' },
    { n: r.answered },
  );
  if (r.texts)
    return html`<section aria-labelledby="q-${r.question.id}">${heading}<p>${answered} ${t({ en: 'Answers in random order:', de: 'Antworten in zufälliger Reihenfolge:' })}</p>
<ul class="free-text">${r.texts.map((text) => html`<li>${text}</li>`)}</ul></section>`;
  const head = {
    answer: t({ en: 'Answer', de: 'Antwort' }),
    count: t({ en: 'Count', de: 'Anzahl' }),
    share: t({ en: 'Share', de: 'Anteil' }),
    chart: t({ en: 'Chart', de: 'Diagramm' }),
  };
  return html`<section aria-labelledby="q-${r.question.id}">${heading}<p>${answered}${r.average !== undefined ? html` ${tr(ctx.lang, { en: 'Average: {avg}', de: 'Durchschnitt: {avg}' }, { avg: r.average.toLocaleString(ctx.lang === 'de' ? 'de-DE' : 'en-GB') })}` : ''}</p>
<table class="stack results"><thead><tr><th scope="col">${head.answer}</th><th scope="col">${head.count}</th><th scope="col">${head.share}</th><th scope="col">${head.chart}</th></tr></thead>
<tbody>${r.bars.map((b) => html`<tr><td data-label="${head.answer}">${t(b.label)}</td><td data-label="${head.count}">${b.count}</td><td data-label="${head.share}">${b.percent} %</td><td data-label="${head.chart}">${bar(b.percent)}</td></tr>`)}</tbody></table></section>`;
}

export function surveyResultsPage(
  ctx: PageContext,
  survey: SurveyView,
  results: SurveyResults,
  invited: number,
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = tr(
    ctx.lang,
    { en: 'Results: {title}', de: 'Ergebnisse: {title}' },
    {
      title: ctx.lang === 'de' ? survey.row.title_de : survey.row.title_en,
    },
  );
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: '{n} invited.', de: '{n} eingeladen.' }, { n: invited })} ${t({ en: 'Answers are shown only in aggregate; no figure is shown for fewer than {min} answers.', de: 'Antworten werden nur zusammengefasst gezeigt; unter {min} Antworten wird keine Zahl gezeigt.' }).replace('{min}', String(MIN_GROUP))}</p>
${
  results.shown
    ? html`<p>${tr(ctx.lang, { en: '{n} responses.', de: '{n} Antworten.' }, { n: results.responses })}</p>
${results.questions.map((r, i) => questionResult(ctx, r, i + 1))}`
    : html`<p class="notice">${t(NOT_SHOWN)}</p>`
}
<p><a href="/staff/surveys/${survey.row.id}">${t({ en: 'Back to the survey', de: 'Zurück zur Umfrage' })}</a></p>`,
  );
}
