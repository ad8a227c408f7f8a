// The campaign console's pages: the list with progress, the form (new and edit), the campaign page (preview links,
// test mail, audience, schedule or send now), the confirm step, the progress and the recipient list. Pure functions;
// the campaign's Markdown is shown only as rendered by the safe renderer (campaigns.emails.ts).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { renderCampaignBody } from './campaigns.emails.ts';
import type { CampaignProgress } from './campaigns.service.ts';
import type { CampaignRecipientsTable, CampaignStatus, CampaignsTable, RecipientStatus } from './campaigns.tables.ts';

const statusNames: Record<CampaignStatus, Text> = {
  draft: { en: 'draft', de: 'Entwurf' },
  scheduled: { en: 'scheduled', de: 'geplant' },
  building: { en: 'preparing recipients', de: 'Empfänger werden vorbereitet' },
  sending: { en: 'sending', de: 'wird versandt' },
  paused: { en: 'paused', de: 'angehalten' },
  sent: { en: 'sent', de: 'versandt' },
  cancelled: { en: 'cancelled', de: 'abgebrochen' },
};

const recipientNames: Record<RecipientStatus, Text> = {
  queued: { en: 'queued', de: 'wartend' },
  sent: { en: 'sent', de: 'versandt' },
  failed: { en: 'failed', de: 'fehlgeschlagen' },
  bounced: { en: 'bounced', de: 'unzustellbar' },
  suppressed: { en: 'not sent (unsubscribed meanwhile)', de: 'nicht versandt (inzwischen abgemeldet)' },
};

const LABELS: Record<string, Text> = {
  subject_en: { en: 'Subject (English)', de: 'Betreff (Englisch)' },
  subject_de: { en: 'Subject (German)', de: 'Betreff (Deutsch)' },
  body_en: { en: 'Text (English, Markdown)', de: 'Text (Englisch, Markdown)' },
  body_de: { en: 'Text (German, Markdown)', de: 'Text (Deutsch, Markdown)' },
  topic: { en: 'Topic', de: 'Thema' },
  lang: { en: 'Subscribers', de: 'Abonnenten' },
  at: { en: 'Send at', de: 'Versenden am' },
  when: { en: 'When', de: 'Wann' },
};

const ORDER = ['subject_en', 'subject_de', 'body_en', 'body_de', 'topic', 'lang'];

export interface CampaignFormValues {
  subject_en?: string | undefined;
  subject_de?: string | undefined;
  body_en?: string | undefined;
  body_de?: string | undefined;
  topic?: string | undefined;
  lang?: string | undefined;
}

const active = (s: CampaignStatus) => s === 'building' || s === 'sending';

function progressText(ctx: PageContext, p: Pick<CampaignProgress, 'total' | 'sent'>): string {
  return tr(ctx.lang, { en: '{sent} of {total} sent', de: '{sent} von {total} versandt' }, p);
}

export interface CampaignListItem {
  campaign: CampaignsTable;
  progress: Pick<CampaignProgress, 'total' | 'sent' | 'failed' | 'remaining'>;
}

export function campaignListPage(
  ctx: PageContext,
  items: CampaignListItem[],
  paging: { after?: string | undefined; next: string | null },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Newsletter campaigns', de: 'Newsletter-Aussendungen' });
  const head = {
    subject: t({ en: 'Subject', de: 'Betreff' }),
    status: t({ en: 'Status', de: 'Status' }),
    progress: t({ en: 'Progress', de: 'Fortschritt' }),
    created: t({ en: 'Created', de: 'Erstellt' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/campaigns/new">${t({ en: 'Write a new campaign', de: 'Neue Aussendung schreiben' })}</a></p>
${
  items.length === 0
    ? html`<p>${t({ en: 'No campaigns yet.', de: 'Noch keine Aussendungen.' })}</p>`
    : html`<table class="stack">
  <thead><tr><th scope="col">${head.subject}</th><th scope="col">${head.status}</th><th scope="col">${head.progress}</th><th scope="col">${head.created}</th></tr></thead>
  <tbody>${items.map(
    ({ campaign: c, progress: p }) =>
      html`<tr><td data-label="${head.subject}"><a href="/staff/campaigns/${c.id}">${ctx.lang === 'de' ? c.subject_de : c.subject_en}</a></td><td data-label="${head.status}">${t(statusNames[c.status])}</td><td data-label="${head.progress}">${p.total > 0 ? progressText(ctx, p) : '–'}</td><td data-label="${head.created}">${formatTime(ctx.lang, c.created_at, ctx.timeZone)}</td></tr>`,
  )}</tbody>
</table>`
}
${
  paging.after || paging.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paging.after ? html`<a href="/staff/campaigns">${t({ en: 'Newest campaigns', de: 'Neueste Aussendungen' })}</a> ` : ''}${paging.next ? html`<a href="/staff/campaigns?after=${encodeURIComponent(paging.next)}" rel="next">${t({ en: 'Older campaigns', de: 'Ältere Aussendungen' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}

export function campaignFormPage(
  ctx: PageContext,
  action: string,
  values: CampaignFormValues,
  fields: FieldErrors = {},
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const isNew = action === '/staff/campaigns';
  const title = t(
    isNew ? { en: 'New campaign', de: 'Neue Aussendung' } : { en: 'Edit campaign', de: 'Aussendung bearbeiten' },
  );
  const error = (name: string) => {
    const message = fields[name];
    return message ? html`<p class="field-error" id="${fieldId(name)}-error">${t(message)}</p>` : '';
  };
  const described = (name: string, hint?: string) => {
    const ids = [fields[name] ? `${fieldId(name)}-error` : '', hint ?? ''].filter(Boolean).join(' ');
    return html`${fields[name] ? html` aria-invalid="true"` : ''}${ids ? html` aria-describedby="${ids}"` : ''}`;
  };
  const input = (name: keyof CampaignFormValues, hint?: string) =>
    html`<div class="field"><label for="${fieldId(name)}">${t(LABELS[name]!)}</label>${error(name)}<input id="${fieldId(name)}" type="text" name="${name}" value="${values[name] ?? ''}"${described(name, hint)}></div>`;
  const markdownHint = `${fieldId('markdown')}-hint`;
  const topicHint = `${fieldId('topic')}-hint`;
  const textarea = (name: keyof CampaignFormValues) =>
    html`<div class="field"><label for="${fieldId(name)}">${t(LABELS[name]!)}</label>${error(name)}<textarea id="${fieldId(name)}" name="${name}" rows="14" cols="60"${described(name, markdownHint)}>${values[name] ?? ''}</textarea></div>`;
  const option = (value: string, label: Text) =>
    html`<option value="${value}"${(values.lang ?? '') === value ? html` selected` : ''}>${t(label)}</option>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${Object.keys(fields).length ? errorSummary(ctx.lang, { en: 'Nothing was saved.', de: 'Es wurde nichts gespeichert.' }, fields, LABELS, ORDER) : ''}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${input('subject_en')}${input('subject_de')}
<p class="hint" id="${markdownHint}">${t({ en: 'Markdown: **bold**, *italic*, lists with "- ", headings with "#", links as [text](https://…). HTML is shown as text; images are not sent.', de: 'Markdown: **fett**, *kursiv*, Listen mit „- “, Überschriften mit „#“, Links als [Text](https://…). HTML wird als Text angezeigt; Bilder werden nicht versandt.' })}</p>
${textarea('body_en')}${textarea('body_de')}
<p class="hint" id="${topicHint}">${t({ en: 'Only subscribers of this topic (and those who chose all topics); leave empty for everyone.', de: 'Nur Abonnenten dieses Themas (und wer alle Themen gewählt hat); leer lassen für alle.' })}</p>
${input('topic', topicHint)}
<div class="field"><label for="${fieldId('lang')}">${t(LABELS.lang!)}</label>${error('lang')}<select id="${fieldId('lang')}" name="lang"${described('lang')}>${option('', { en: 'all, each in their language', de: 'alle, jeweils in ihrer Sprache' })}${option('en', { en: 'only those who read English', de: 'nur englischsprachige' })}${option('de', { en: 'only those who read German', de: 'nur deutschsprachige' })}</select></div>
<button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button>
</form>
<p><a href="/staff/campaigns">${t({ en: 'All campaigns', de: 'Alle Aussendungen' })}</a></p>`,
  );
}

const NOTICES: Record<string, Text> = {
  saved: { en: 'The campaign was saved.', de: 'Die Aussendung wurde gespeichert.' },
  'test-sent': {
    en: 'A test in both languages is on its way to your address.',
    de: 'Ein Test in beiden Sprachen ist an Ihre Adresse unterwegs.',
  },
  scheduled: { en: 'The campaign is scheduled.', de: 'Die Aussendung ist geplant.' },
  unscheduled: { en: 'The campaign is a draft again.', de: 'Die Aussendung ist wieder ein Entwurf.' },
  paused: { en: 'The campaign is paused.', de: 'Die Aussendung ist angehalten.' },
  resumed: { en: 'The campaign goes on.', de: 'Die Aussendung wird fortgesetzt.' },
};

function localInputValue(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${n('year')}-${n('month')}-${n('day')}T${n('hour')}:${n('minute')}`;
}

/** The form to schedule or send now; `fields` and `values` when it comes back with a problem. */
function scheduleForm(
  ctx: PageContext,
  c: CampaignsTable,
  now: number,
  values: { when?: string | undefined; at?: string | undefined } = {},
  fields: FieldErrors = {},
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const later = values.when === 'later';
  const atValue = values.at ?? localInputValue(c.scheduled_at ?? now + 3600_000, ctx.timeZone);
  return html`<section aria-labelledby="send-h"><h2 id="send-h">${t({ en: 'Send', de: 'Versenden' })}</h2>
${Object.keys(fields).length ? errorSummary(ctx.lang, undefined, fields, LABELS, ['when', 'at']) : ''}
<form method="post" action="/staff/campaigns/${c.id}/schedule" novalidate>${csrfField(ctx)}
<fieldset><legend>${t(LABELS.when!)}</legend>
<div><input type="radio" id="${fieldId('when')}" name="when" value="now"${later ? '' : html` checked`}> <label for="${fieldId('when')}">${t({ en: 'Send now', de: 'Jetzt versenden' })}</label></div>
<div><input type="radio" id="f-when-later" name="when" value="later"${later ? html` checked` : ''}> <label for="f-when-later">${t({ en: 'At a date and time', de: 'Zu einem Zeitpunkt' })}</label></div>
</fieldset>
<div class="field"><label for="${fieldId('at')}">${t(LABELS.at!)} (${ctx.timeZone})</label>${fields.at ? html`<p class="field-error" id="${fieldId('at')}-error">${t(fields.at)}</p>` : ''}<input id="${fieldId('at')}" type="datetime-local" name="at" value="${atValue}"${fields.at ? html` aria-invalid="true" aria-describedby="${fieldId('at')}-error"` : ''}></div>
<button type="submit">${t({ en: 'Continue', de: 'Weiter' })}</button>
</form></section>`;
}

export interface CampaignPageModel {
  campaign: CampaignsTable;
  progress: CampaignProgress;
  /** Who the campaign would reach now (drafts and scheduled campaigns). */
  audience: number | null;
  now: number;
  notice?: string | undefined;
  schedule?: { values: { when?: string | undefined; at?: string | undefined }; fields: FieldErrors };
}

export function campaignPage(ctx: PageContext, model: CampaignPageModel): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const c = model.campaign;
  const p = model.progress;
  const title = ctx.lang === 'de' ? c.subject_de : c.subject_en;
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  const editable = c.status === 'draft' || c.status === 'scheduled';
  const notice = model.notice ? NOTICES[model.notice] : undefined;
  const button = (action: string, label: Text) =>
    html`<form method="post" action="/staff/campaigns/${c.id}/${action}" class="inline">${csrfField(ctx)}<button type="submit">${t(label)}</button></form>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
<dl>
  <dt>${t({ en: 'Status', de: 'Status' })}</dt><dd>${t(statusNames[c.status])}${c.status === 'scheduled' && c.scheduled_at !== null ? html` (${when(c.scheduled_at)})` : ''}</dd>
  <dt>${t({ en: 'Topic', de: 'Thema' })}</dt><dd>${c.topic ?? t({ en: 'all topics', de: 'alle Themen' })}</dd>
  <dt>${t({ en: 'Language', de: 'Sprache' })}</dt><dd>${c.lang === 'en' ? t({ en: 'English only', de: 'nur Englisch' }) : c.lang === 'de' ? t({ en: 'German only', de: 'nur Deutsch' }) : t({ en: 'each subscriber in their language', de: 'jeder Abonnent in seiner Sprache' })}</dd>
  ${model.audience !== null ? html`<dt>${t({ en: 'Audience now', de: 'Empfänger derzeit' })}</dt><dd>${t({ en: '{n} subscribers (without unsubscribed addresses and people who objected)', de: '{n} Abonnenten (ohne abgemeldete Adressen und Personen, die widersprochen haben)' }, { n: model.audience })}</dd>` : ''}
</dl>
<p><a href="/staff/campaigns/${c.id}/preview?lang=en">${t({ en: 'Preview in English', de: 'Vorschau auf Englisch' })}</a> · <a href="/staff/campaigns/${c.id}/preview?lang=de">${t({ en: 'Preview in German', de: 'Vorschau auf Deutsch' })}</a>${editable ? html` · <a href="/staff/campaigns/${c.id}/edit">${t({ en: 'Edit', de: 'Bearbeiten' })}</a>` : ''}</p>
${button('test', { en: 'Send a test to me', de: 'Test an mich senden' })}
${c.status === 'draft' ? scheduleForm(ctx, c, model.now, model.schedule?.values, model.schedule?.fields) : ''}
${c.status === 'scheduled' ? html`${scheduleForm(ctx, c, model.now, model.schedule?.values ?? { when: 'later' }, model.schedule?.fields)}${button('unschedule', { en: 'Back to draft', de: 'Zurück zum Entwurf' })}` : ''}
${
  c.status !== 'draft' && c.status !== 'scheduled'
    ? html`<section aria-labelledby="progress-h"><h2 id="progress-h">${t({ en: 'Progress', de: 'Fortschritt' })}</h2>
<dl>
  <dt>${t({ en: 'Recipients', de: 'Empfänger' })}</dt><dd>${String(p.total)}${c.status === 'building' ? html` ${t({ en: '(still being added)', de: '(werden noch hinzugefügt)' })}` : ''}</dd>
  <dt>${t({ en: 'Sent', de: 'Versandt' })}</dt><dd>${String(p.sent)}</dd>
  <dt>${t({ en: 'Failed', de: 'Fehlgeschlagen' })}</dt><dd>${String(p.failed)}</dd>
  <dt>${t({ en: 'Not sent: unsubscribed meanwhile', de: 'Nicht versandt: inzwischen abgemeldet' })}</dt><dd>${String(p.suppressed)}</dd>
  <dt>${t({ en: 'Remaining', de: 'Verbleibend' })}</dt><dd>${String(p.remaining)}</dd>
  <dt>${t({ en: 'Rate', de: 'Rate' })}</dt><dd>${t({ en: '{n} mails in the last minute', de: '{n} E-Mails in der letzten Minute' }, { n: p.perMinute })}</dd>
  ${c.started_at !== null ? html`<dt>${t({ en: 'Started', de: 'Begonnen' })}</dt><dd>${when(c.started_at)}</dd>` : ''}
  ${c.finished_at !== null ? html`<dt>${t({ en: 'Finished', de: 'Beendet' })}</dt><dd>${when(c.finished_at)}</dd>` : ''}
</dl>
${active(c.status) ? html`<p>${t({ en: 'This page refreshes itself every 5 seconds while the campaign is being sent.', de: 'Diese Seite aktualisiert sich alle 5 Sekunden, solange die Aussendung läuft.' })}</p>${button('pause', { en: 'Pause', de: 'Anhalten' })}` : ''}
${c.status === 'paused' ? button('resume', { en: 'Resume', de: 'Fortsetzen' }) : ''}
<p><a href="/staff/campaigns/${c.id}/recipients">${t({ en: 'Recipients and their status', de: 'Empfänger und ihr Status' })}</a></p>
</section>`
    : ''
}
<p><a href="/staff/campaigns">${t({ en: 'All campaigns', de: 'Alle Aussendungen' })}</a></p>`,
  );
}

/** The confirm step: what will go out, to how many, when. */
export function confirmPage(
  ctx: PageContext,
  c: CampaignsTable,
  audience: number,
  choice: { when: 'now' | 'later'; at?: string | undefined; atTime: number },
): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const title = t({ en: 'Send this campaign?', de: 'Diese Aussendung versenden?' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${ctx.lang === 'de' ? c.subject_de : c.subject_en}</p>
<p>${
      choice.when === 'now'
        ? t({ en: 'It goes to {n} subscribers now.', de: 'Sie geht jetzt an {n} Abonnenten.' }, { n: audience })
        : t(
            {
              en: 'It goes to the subscribers at {at} (now {n} of them).',
              de: 'Sie geht am {at} an die Abonnenten (derzeit {n}).',
            },
            { n: audience, at: formatTime(ctx.lang, choice.atTime, ctx.timeZone) },
          )
    }</p>
<form method="post" action="/staff/campaigns/${c.id}/schedule">${csrfField(ctx)}
<input type="hidden" name="when" value="${choice.when}">${choice.at ? html`<input type="hidden" name="at" value="${choice.at}">` : ''}
<input type="hidden" name="confirm" value="yes">
<button type="submit">${choice.when === 'now' ? t({ en: 'Yes, send now', de: 'Ja, jetzt versenden' }) : t({ en: 'Yes, schedule it', de: 'Ja, so planen' })}</button>
</form>
<p><a href="/staff/campaigns/${c.id}">${t({ en: 'No, back to the campaign', de: 'Nein, zurück zur Aussendung' })}</a></p>`,
  );
}

export function previewPage(ctx: PageContext, c: CampaignsTable, lang: Lang): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const body = renderCampaignBody(c, lang);
  const title = `${t({ en: 'Preview', de: 'Vorschau' })}: ${body.subject}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(lang === 'de' ? { en: 'The German mail, as subscribers who read German get it; below it the note why they get it and the link to unsubscribe.', de: 'Die deutsche E-Mail, wie deutschsprachige Abonnenten sie erhalten; darunter der Hinweis, warum sie sie erhalten, und der Abmeldelink.' } : { en: 'The English mail, as subscribers who read English get it; below it the note why they get it and the link to unsubscribe.', de: 'Die englische E-Mail, wie englischsprachige Abonnenten sie erhalten; darunter der Hinweis, warum sie sie erhalten, und der Abmeldelink.' })}</p>
<article class="mail-preview" lang="${lang}" aria-label="${t({ en: 'Mail', de: 'E-Mail' })}">
<h2>${body.subject}</h2>
${body.html}
</article>
<h2>${t({ en: 'Plain-text part', de: 'Textteil' })}</h2>
<pre>${body.text}</pre>
<p><a href="/staff/campaigns/${c.id}/preview?lang=${lang === 'de' ? 'en' : 'de'}">${lang === 'de' ? t({ en: 'Preview in English', de: 'Vorschau auf Englisch' }) : t({ en: 'Preview in German', de: 'Vorschau auf Deutsch' })}</a> · <a href="/staff/campaigns/${c.id}">${t({ en: 'Back to the campaign', de: 'Zurück zur Aussendung' })}</a></p>`,
  );
}

export function recipientsPage(
  ctx: PageContext,
  c: CampaignsTable,
  rows: CampaignRecipientsTable[],
  paging: { after?: string | undefined; next: string | null },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = `${t({ en: 'Recipients', de: 'Empfänger' })}: ${ctx.lang === 'de' ? c.subject_de : c.subject_en}`;
  const head = {
    email: t({ en: 'Address', de: 'Adresse' }),
    lang: t({ en: 'Language', de: 'Sprache' }),
    status: t({ en: 'Status', de: 'Status' }),
    when: t({ en: 'Since', de: 'Seit' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No recipients yet.', de: 'Noch keine Empfänger.' })}</p>`
    : html`<table class="stack">
  <thead><tr><th scope="col">${head.email}</th><th scope="col">${head.lang}</th><th scope="col">${head.status}</th><th scope="col">${head.when}</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><td data-label="${head.email}">${r.email}</td><td data-label="${head.lang}">${r.lang}</td><td data-label="${head.status}">${t(recipientNames[r.status])}</td><td data-label="${head.when}">${r.done_at !== null ? formatTime(ctx.lang, r.done_at, ctx.timeZone) : '–'}</td></tr>`)}</tbody>
</table>`
}
${
  paging.after || paging.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paging.after ? html`<a href="/staff/campaigns/${c.id}/recipients">${t({ en: 'First page', de: 'Erste Seite' })}</a> ` : ''}${paging.next ? html`<a href="/staff/campaigns/${c.id}/recipients?after=${encodeURIComponent(paging.next)}" rel="next">${t({ en: 'Next page', de: 'Nächste Seite' })}</a>` : ''}</nav>`
    : ''
}
<p><a href="/staff/campaigns/${c.id}">${t({ en: 'Back to the campaign', de: 'Zurück zur Aussendung' })}</a></p>`,
  );
}
