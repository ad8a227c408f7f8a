// The invitee's pages (the survey form in the invitee's language, the thanks), the account switch for consent, and
// the one-button withdrawal page behind the link in every invitation. Pure functions from a model to HTML.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { consentLabel, consentNotice } from './surveys.consent.ts';
import { answerField, SCALES, type SurveyQuestion } from './surveys.model.ts';
import type { SurveyView } from './surveys.service.ts';

const REQUIRED = { en: '(required)', de: '(Pflichtangabe)' };

function questionControl(ctx: PageContext, q: SurveyQuestion, problem: Text | undefined): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const name = answerField(q.id);
  const id = fieldId(name);
  const error = problem ? html`<p class="field-error" id="${id}-error">${t(problem)}</p>` : '';
  const described = problem ? html` aria-describedby="${id}-error"` : '';
  if (q.kind === 'text')
    return html`<div class="field"><label for="${id}">${t(q.text)}</label>${error}
<textarea id="${id}" name="${name}" rows="4" maxlength="2000"${described}></textarea></div>`;
  const choices =
    q.kind === 'scale'
      ? Array.from({ length: (q.scale ?? SCALES['1-5']).max - (q.scale ?? SCALES['1-5']).min + 1 }, (_, i) => {
          const v = String((q.scale ?? SCALES['1-5']).min + i);
          return { value: v, label: v };
        })
      : q.options.map((o) => ({ value: o.id, label: t(o.text) }));
  const type = q.kind === 'multiple' ? 'checkbox' : 'radio';
  const required = q.kind === 'single' || q.kind === 'scale';
  return html`<fieldset class="field" id="${id}"${described}><legend>${t(q.text)}${required ? html` <span class="hint">${t(REQUIRED)}</span>` : ''}</legend>${error}
${choices.map((c, i) => html`<div><input type="${type}" id="${id}-${i}" name="${name}" value="${c.value}"><label for="${id}-${i}">${c.label}</label></div>`)}
${q.kind === 'scale' ? html`<p class="hint">${tr(ctx.lang, { en: '{min}: not at all · {max}: very much', de: '{min}: gar nicht · {max}: sehr' }, { min: (q.scale ?? SCALES['1-5']).min, max: (q.scale ?? SCALES['1-5']).max })}</p>` : ''}
</fieldset>`;
}

/** The survey form, in `ctx.lang` (the invitee's language). */
export function surveyFormPage(ctx: PageContext, survey: SurveyView, problems: FieldErrors = {}): string {
  const de = ctx.lang === 'de';
  const title = de ? survey.row.title_de : survey.row.title_en;
  const intro = de ? survey.row.intro_de : survey.row.intro_en;
  const labels = Object.fromEntries(survey.questions.map((q) => [answerField(q.id), q.text]));
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(
  ctx.lang,
  Object.keys(problems).length > 0
    ? { en: 'Please check your answers.', de: 'Bitte prüfen Sie Ihre Antworten.' }
    : undefined,
  problems,
  labels,
  survey.questions.map((q) => answerField(q.id)),
)}
${intro ? html`<p>${intro}</p>` : ''}
<p class="hint">${tr(ctx.lang, { en: 'Your answers are seen only as totals together with those of others. You can answer once.', de: 'Ihre Antworten werden nur zusammengefasst mit denen anderer ausgewertet. Sie können einmal antworten.' })}</p>
<form method="post" action="/surveys/${survey.row.id}">${csrfField(ctx)}
${survey.questions.map((q) => questionControl(ctx, q, problems[answerField(q.id)]))}
<button type="submit">${tr(ctx.lang, { en: 'Send my answers', de: 'Antworten senden' })}</button>
</form>`,
  );
}

export function surveyThanksPage(ctx: PageContext): string {
  const title = tr(ctx.lang, { en: 'Thank you', de: 'Vielen Dank' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><p role="status">${tr(ctx.lang, { en: 'Your answers have been saved.', de: 'Ihre Antworten wurden gespeichert.' })}</p>
<p><a href="/account/surveys">${tr(ctx.lang, { en: 'Your survey settings', de: 'Ihre Einstellungen zu Umfragen' })}</a></p>`,
  );
}

export function accountSurveysPage(
  ctx: PageContext,
  consent: { given_at: number; source: string } | undefined,
  notice?: 'withdrawn' | 'given',
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Surveys', de: 'Umfragen' });
  const state = consent
    ? tr(
        ctx.lang,
        {
          en: 'You agreed on {at} ({source}) to be invited to surveys.',
          de: 'Sie haben am {at} ({source}) zugestimmt, zu Umfragen eingeladen zu werden.',
        },
        {
          at: formatTime(ctx.lang, consent.given_at, ctx.timeZone),
          source: t(
            consent.source === 'checkout'
              ? { en: 'at checkout', de: 'bei der Bestellung' }
              : { en: 'in your account', de: 'im Kundenkonto' },
          ),
        },
      )
    : t({ en: 'You are not invited to surveys.', de: 'Sie werden nicht zu Umfragen eingeladen.' });
  const done =
    notice === 'withdrawn'
      ? t({
          en: 'Consent withdrawn: your survey answers have been deleted.',
          de: 'Einwilligung widerrufen: Ihre Antworten auf Umfragen wurden gelöscht.',
        })
      : notice === 'given'
        ? t({ en: 'Thank you: your consent has been saved.', de: 'Danke: Ihre Einwilligung wurde gespeichert.' })
        : '';
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${done ? html`<p role="status" class="notice">${done}</p>` : ''}
<p>${t(consentNotice)}</p>
<p><strong>${state}</strong></p>
<form method="post" action="/account/surveys">${csrfField(ctx)}
${
  consent
    ? html`<input type="hidden" name="consent" value="no"><button type="submit">${t({ en: 'Withdraw consent and delete my answers', de: 'Einwilligung widerrufen und meine Antworten löschen' })}</button>`
    : html`<div><input type="checkbox" id="f-consent" name="consent" value="yes" required><label for="f-consent">${t(consentLabel)}</label></div>
<button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button>`
}
</form>`,
  );
}

export function withdrawPage(ctx: PageContext, action: string): string {
  const title = tr(ctx.lang, { en: 'No more survey invitations', de: 'Keine Einladungen zu Umfragen mehr' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'Withdrawing your consent stops all survey invitations and deletes the answers you gave at once.', de: 'Mit dem Widerruf Ihrer Einwilligung enden alle Einladungen zu Umfragen, und Ihre bisherigen Antworten werden sofort gelöscht.' })}</p>
<form method="post" action="${action}"><button type="submit">${tr(ctx.lang, { en: 'Confirm: withdraw my consent', de: 'Bestätigen: Einwilligung widerrufen' })}</button></form>`,
  );
}

export function withdrawnPage(ctx: PageContext): string {
  const title = tr(ctx.lang, { en: 'Done', de: 'Erledigt' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><p role="status">${tr(ctx.lang, { en: 'Your consent is withdrawn and your survey answers are deleted. You get no more survey invitations.', de: 'Ihre Einwilligung ist widerrufen, und Ihre Antworten auf Umfragen sind gelöscht. Sie erhalten keine Einladungen zu Umfragen mehr.' })}</p>`,
  );
}
