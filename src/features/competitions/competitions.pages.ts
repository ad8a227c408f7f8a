// Competition pages: the public page with the entry form, the confirm and withdraw pages behind the mailed links,
// the account's list of entries, and the staff console (list, form, winners). Pure functions of their model.
import { html, type SafeHtml } from '../../platform/html.ts';
import { countryName, formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { countryOptions } from '../../shop/vat.ts';
import { csrfField, errorSummary, fieldId, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import type { CompetitionDrawsTable, CompetitionEntriesTable, CompetitionsTable } from './competitions.tables.ts';
import { competitionState, countriesOf, localDateTimeValue, type CompetitionInput } from './competitions.service.ts';

const title = (c: CompetitionsTable, lang: Lang) => (lang === 'de' ? c.title_de : c.title_en);
const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p.trim()}</p>`);

export interface EntryFormValues {
  givenName?: string | undefined;
  surname?: string | undefined;
  email?: string | undefined;
  country?: string | undefined;
}

const entryLabels = {
  givenName: { en: 'Given name', de: 'Vorname' },
  surname: { en: 'Surname', de: 'Nachname' },
  email: { en: 'Email address', de: 'E-Mail-Adresse' },
  country: { en: 'Country', de: 'Land' },
  accept: { en: 'Conditions of participation', de: 'Teilnahmebedingungen' },
} satisfies Record<string, Text>;

export function competitionPage(
  ctx: PageContext,
  c: CompetitionsTable,
  now: number,
  form: {
    participation: string;
    version: string;
    values?: EntryFormValues;
    errors?: FieldErrors;
    message?: Text | undefined;
    done?: boolean;
  },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const name = title(c, ctx.lang);
  const state = competitionState(c, now);
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  const facts = html`<dl class="counts">
<dt>${t({ en: 'Prize', de: 'Gewinn' })}</dt><dd>${ctx.lang === 'de' ? c.prize_de : c.prize_en}</dd>
<dt>${t({ en: 'Winners', de: 'Gewinner' })}</dt><dd>${String(c.winners)}</dd>
<dt>${t({ en: 'Open from', de: 'Teilnahme ab' })}</dt><dd>${when(c.starts_at)}</dd>
<dt>${t({ en: 'Ends', de: 'Endet' })}</dt><dd>${when(c.ends_at)}</dd>
<dt>${t({ en: 'Open to entrants in', de: 'Teilnahme aus' })}</dt><dd>${countriesOf(c)
    .map((code) => countryName(ctx.lang, code))
    .join(', ')}</dd>
</dl>`;
  let body: SafeHtml;
  if (form.done)
    body = html`<p role="status"><strong>${t({ en: 'Thank you. Please look in your mailbox: your entry counts once you confirm it with the link we sent you. If the address has entered before, nothing new is sent.', de: 'Vielen Dank. Bitte sehen Sie in Ihr Postfach: Ihre Teilnahme zählt, sobald Sie sie mit dem gesandten Link bestätigen. Hat die Adresse schon teilgenommen, senden wir nichts Neues.' })}</strong></p>`;
  else if (state === 'upcoming')
    body = html`<p role="status"><strong>${t({ en: 'This competition has not started yet. You can enter from {start}.', de: 'Dieses Gewinnspiel hat noch nicht begonnen. Sie können ab {start} teilnehmen.' }).replace('{start}', when(c.starts_at))}</strong></p>`;
  else if (state === 'ended')
    body = html`<p role="status"><strong>${t({ en: 'This competition has ended; no more entries are accepted. The winners are drawn at random and told by email.', de: 'Dieses Gewinnspiel ist beendet; Teilnahmen sind nicht mehr möglich. Die Gewinner werden per Zufall ausgelost und per E-Mail benachrichtigt.' })}</strong></p>`;
  else body = entryForm(ctx, c, form);
  return layout(
    ctx,
    name,
    html`<h1>${name}</h1>
${paragraphs(ctx.lang === 'de' ? c.text_de : c.text_en)}
${facts}
${body}`,
  );
}

function entryForm(
  ctx: PageContext,
  c: CompetitionsTable,
  form: {
    participation: string;
    version: string;
    values?: EntryFormValues;
    errors?: FieldErrors;
    message?: Text | undefined;
  },
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const v = form.values ?? {};
  const errors = form.errors ?? {};
  const problem = (n: string) =>
    errors[n] ? html`<p class="field-error" id="${fieldId(n)}-error">${t(errors[n])}</p>` : '';
  const described = (n: string) => (errors[n] ? html` aria-describedby="${fieldId(n)}-error" aria-invalid="true"` : '');
  const input = (n: 'givenName' | 'surname' | 'email', type: string, autocomplete: string) =>
    html`<p><label for="${fieldId(n)}">${t(entryLabels[n])}</label>
${problem(n)}<input id="${fieldId(n)}" name="${n}" type="${type}" autocomplete="${autocomplete}" required maxlength="${n === 'email' ? 254 : 200}" value="${v[n] ?? ''}"${described(n)}></p>`;
  return html`<h2>${t({ en: 'Take part', de: 'Teilnehmen' })}</h2>
${errorSummary(ctx.lang, form.message, errors, entryLabels, ['givenName', 'surname', 'email', 'country', 'accept'])}
<form method="post" action="/competitions/${c.slug}" novalidate>${csrfField(ctx)}
${input('givenName', 'text', 'given-name')}
${input('surname', 'text', 'family-name')}
${input('email', 'email', 'email')}
<p><label for="${fieldId('country')}">${t(entryLabels.country)}</label>
${problem('country')}<select id="${fieldId('country')}" name="country" required autocomplete="country"${described('country')}>
<option value="">${t({ en: 'Choose…', de: 'Bitte wählen…' })}</option>
${countryOptions(ctx.lang, countriesOf(c)).map((o) => html`<option value="${o.code}"${o.code === v.country ? html` selected` : ''}>${o.name}</option>`)}
</select></p>
<fieldset><legend>${t(entryLabels.accept)}</legend>
<p id="participation-text">${form.participation}</p>
${problem('accept')}<p><input type="checkbox" id="${fieldId('accept')}" name="accept" value="yes" aria-describedby="participation-text"${described('accept')}>
<label for="${fieldId('accept')}">${t({ en: 'I accept these conditions', de: 'Ich akzeptiere diese Bedingungen' })}</label></p>
<input type="hidden" name="version" value="${form.version}">
</fieldset>
<p><button type="submit">${t({ en: 'Enter the competition', de: 'Am Gewinnspiel teilnehmen' })}</button></p>
</form>`;
}

/** The page behind the confirmation link: one button (a GET never confirms). */
export function confirmEntryPage(ctx: PageContext, c: CompetitionsTable, confirmed: boolean): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'Confirm your entry', de: 'Teilnahme bestätigen' });
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1>
<p>${title(c, ctx.lang)}</p>
${
  confirmed
    ? html`<p role="status"><strong>${t({ en: 'Your entry is confirmed and takes part in the draw.', de: 'Ihre Teilnahme ist bestätigt und nimmt an der Auslosung teil.' })}</strong></p>`
    : html`<form method="post" action="/competitions/confirm">${csrfField(ctx)}<button type="submit">${t({ en: 'Confirm my entry', de: 'Teilnahme bestätigen' })}</button></form>`
}`,
  );
}

/** The page behind the withdraw link: one button; afterwards, or when the entry is gone, a plain statement. */
export function withdrawEntryPage(ctx: PageContext, c: CompetitionsTable | undefined, done: boolean): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'Withdraw your entry', de: 'Teilnahme zurückziehen' });
  const gone = done || !c;
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1>
${c ? html`<p>${title(c, ctx.lang)}</p>` : ''}
${
  gone
    ? html`<p role="status"><strong>${t({ en: 'The entry is deleted; we hold no details of it.', de: 'Die Teilnahme ist gelöscht; wir haben keine Angaben mehr dazu.' })}</strong></p>`
    : html`<p>${t({ en: 'Your entry and the details you gave are deleted at once.', de: 'Ihre Teilnahme und Ihre Angaben werden sofort gelöscht.' })}</p>
<form method="post" action="/competitions/withdraw">${csrfField(ctx)}<button type="submit">${t({ en: 'Withdraw and delete my entry', de: 'Teilnahme zurückziehen und löschen' })}</button></form>`
}`,
  );
}

export interface OwnEntry {
  status: string;
  created_at: number;
  link_ref: string;
  title_en: string;
  title_de: string;
  slug: string;
}

const statusNames: Record<string, Text> = {
  pending: { en: 'waiting for your confirmation', de: 'wartet auf Ihre Bestätigung' },
  confirmed: { en: 'confirmed, takes part in the draw', de: 'bestätigt, nimmt an der Auslosung teil' },
  won: { en: 'won', de: 'gewonnen' },
};

export function accountCompetitionsPage(ctx: PageContext, entries: OwnEntry[], notice?: Text): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'My competition entries', de: 'Meine Gewinnspiel-Teilnahmen' });
  const head = {
    competition: t({ en: 'Competition', de: 'Gewinnspiel' }),
    status: t({ en: 'Status', de: 'Status' }),
    entered: t({ en: 'Entered', de: 'Teilgenommen' }),
    action: t({ en: 'Withdraw', de: 'Zurückziehen' }),
  };
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1>
${notice ? html`<p role="status"><strong>${t(notice)}</strong></p>` : ''}
<p>${t({ en: 'Entries made with your account’s email address. Withdrawing an entry deletes it and your details at once.', de: 'Teilnahmen mit der E-Mail-Adresse Ihres Kontos. Ziehen Sie eine Teilnahme zurück, werden sie und Ihre Angaben sofort gelöscht.' })}</p>
${
  entries.length === 0
    ? html`<p>${t({ en: 'You have no competition entries.', de: 'Sie haben keine Gewinnspiel-Teilnahmen.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.competition}</th><th scope="col">${head.status}</th><th scope="col">${head.entered}</th><th scope="col">${head.action}</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td data-label="${head.competition}"><a href="/competitions/${e.slug}">${ctx.lang === 'de' ? e.title_de : e.title_en}</a></td><td data-label="${head.status}">${t(statusNames[e.status] ?? statusNames.pending!)}</td><td data-label="${head.entered}">${formatTime(ctx.lang, e.created_at, ctx.timeZone)}</td>
<td data-label="${head.action}"><form method="post" action="/account/competitions/withdraw" class="inline">${csrfField(ctx)}<input type="hidden" name="entry" value="${e.link_ref}"><button type="submit" class="secondary">${t({ en: 'Withdraw and delete', de: 'Zurückziehen und löschen' })}</button></form></td></tr>`,
)}</tbody></table>`
}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Staff

export interface StaffCompetitionRow {
  competition: CompetitionsTable;
  counts: { pending: number; confirmed: number; won: number };
}

export function staffCompetitionsPage(
  ctx: PageContext,
  rows: StaffCompetitionRow[],
  now: number,
  paging: { paged: boolean; next: string | null },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'Competitions', de: 'Gewinnspiele' });
  const head = {
    title: t({ en: 'Title', de: 'Titel' }),
    period: t({ en: 'Period', de: 'Zeitraum' }),
    state: t({ en: 'State', de: 'Stand' }),
    entries: t({ en: 'Entries (confirmed / waiting)', de: 'Teilnahmen (bestätigt / wartend)' }),
  };
  const stateOf = (c: CompetitionsTable): string =>
    c.drawn_at !== null
      ? t({ en: 'drawn', de: 'ausgelost' })
      : t(
          {
            upcoming: { en: 'not started', de: 'noch nicht begonnen' },
            open: { en: 'open', de: 'läuft' },
            ended: { en: 'ended, not drawn yet', de: 'beendet, noch nicht ausgelost' },
          }[competitionState(c, now)],
        );
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1>
<p><a href="/staff/competitions/new">${t({ en: 'New competition', de: 'Neues Gewinnspiel' })}</a></p>
${
  rows.length === 0
    ? html`<p>${paging.paged ? t({ en: 'No more competitions.', de: 'Keine weiteren Gewinnspiele.' }) : t({ en: 'No competitions yet.', de: 'Noch keine Gewinnspiele.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.title}</th><th scope="col">${head.period}</th><th scope="col">${head.state}</th><th scope="col">${head.entries}</th></tr></thead><tbody>
${rows.map(
  ({ competition: c, counts }) =>
    html`<tr><td data-label="${head.title}"><a href="/staff/competitions/${c.id}">${title(c, ctx.lang)}</a></td><td data-label="${head.period}">${formatTime(ctx.lang, c.starts_at, ctx.timeZone)} – ${formatTime(ctx.lang, c.ends_at, ctx.timeZone)}</td><td data-label="${head.state}">${stateOf(c)}</td><td data-label="${head.entries}">${String(counts.confirmed)} / ${String(counts.pending)}</td></tr>`,
)}</tbody></table>`
}
${
  paging.paged || paging.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paging.paged ? html`<a href="/staff/competitions">${t({ en: 'Latest competitions', de: 'Neueste Gewinnspiele' })}</a> ` : ''}${paging.next ? html`<a href="/staff/competitions?after=${paging.next}" rel="next">${t({ en: 'Earlier competitions', de: 'Frühere Gewinnspiele' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}

const competitionLabels = {
  slug: { en: 'Address (/competitions/…)', de: 'Adresse (/competitions/…)' },
  titleEn: { en: 'Title (English)', de: 'Titel (Englisch)' },
  titleDe: { en: 'Title (German)', de: 'Titel (Deutsch)' },
  textEn: { en: 'Text (English)', de: 'Text (Englisch)' },
  textDe: { en: 'Text (German)', de: 'Text (Deutsch)' },
  prizeEn: { en: 'Prize (English)', de: 'Gewinn (Englisch)' },
  prizeDe: { en: 'Prize (German)', de: 'Gewinn (Deutsch)' },
  startsAt: { en: 'Start', de: 'Beginn' },
  endsAt: { en: 'End', de: 'Ende' },
  winners: { en: 'Number of winners', de: 'Anzahl der Gewinner' },
  countries: { en: 'Countries allowed', de: 'Zugelassene Länder' },
  prizeDays: {
    en: 'Prize period in days (winners’ contact details are kept this long after the draw)',
    de: 'Gewinnfrist in Tagen (so lange nach der Auslosung bleiben die Kontaktdaten der Gewinner gespeichert)',
  },
} satisfies Record<string, Text>;

/** The form to create (no `c`) or edit a competition; values as typed when the form comes back with problems. */
export function competitionFormPage(
  ctx: PageContext,
  form: { action: string; values: CompetitionInput; sellsTo: readonly string[]; errors?: FieldErrors; message?: Text },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading = t({ en: 'Competition', de: 'Gewinnspiel' });
  const v = form.values;
  const errors = form.errors ?? {};
  const problem = (n: string) =>
    errors[n] ? html`<p class="field-error" id="${fieldId(n)}-error">${t(errors[n])}</p>` : '';
  const described = (n: string) => (errors[n] ? html` aria-describedby="${fieldId(n)}-error" aria-invalid="true"` : '');
  const field = (n: keyof typeof competitionLabels, control: SafeHtml) =>
    html`<p><label for="${fieldId(n)}">${t(competitionLabels[n])}</label>${problem(n)}${control}</p>`;
  const text = (n: 'slug' | 'titleEn' | 'titleDe' | 'prizeEn' | 'prizeDe', max = 200) =>
    field(n, html`<input id="${fieldId(n)}" name="${n}" maxlength="${max}" value="${v[n] ?? ''}"${described(n)}>`);
  const area = (n: 'textEn' | 'textDe') =>
    field(
      n,
      html`<textarea id="${fieldId(n)}" name="${n}" rows="6" maxlength="5000"${described(n)}>${v[n] ?? ''}</textarea>`,
    );
  const when = (n: 'startsAt' | 'endsAt') =>
    field(n, html`<input id="${fieldId(n)}" name="${n}" type="datetime-local" value="${v[n] ?? ''}"${described(n)}>`);
  const chosen = new Set(v.countries ?? []);
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1>
${errorSummary(ctx.lang, form.message, errors, competitionLabels, Object.keys(competitionLabels))}
<form method="post" action="${form.action}">${csrfField(ctx)}
${text('slug', 64)}${text('titleEn')}${text('titleDe')}${area('textEn')}${area('textDe')}${text('prizeEn')}${text('prizeDe')}
${when('startsAt')}${when('endsAt')}
<p class="hint">${t({ en: 'Times are on the clock of {zone}.', de: 'Zeiten nach der Uhr von {zone}.' }).replace('{zone}', ctx.timeZone)}</p>
${field('winners', html`<input id="${fieldId('winners')}" name="winners" type="number" min="1" max="1000" value="${v.winners ?? '1'}"${described('winners')}>`)}
${field('countries', html`<select id="${fieldId('countries')}" name="countries" multiple size="8"${described('countries')}>${countryOptions(ctx.lang, form.sellsTo).map((o) => html`<option value="${o.code}"${chosen.has(o.code) ? html` selected` : ''}>${o.name}</option>`)}</select>`)}
${field('prizeDays', html`<input id="${fieldId('prizeDays')}" name="prizeDays" type="number" min="1" max="365" value="${v.prizeDays ?? '60'}"${described('prizeDays')}>`)}
<p><button type="submit">${t({ en: 'Save', de: 'Speichern' })}</button></p>
</form>`,
  );
}

export function formValuesOf(c: CompetitionsTable, timeZone: string): CompetitionInput {
  return {
    slug: c.slug,
    titleEn: c.title_en,
    titleDe: c.title_de,
    textEn: c.text_en,
    textDe: c.text_de,
    prizeEn: c.prize_en,
    prizeDe: c.prize_de,
    startsAt: localDateTimeValue(c.starts_at, timeZone),
    endsAt: localDateTimeValue(c.ends_at, timeZone),
    winners: String(c.winners),
    countries: countriesOf(c),
    prizeDays: String(c.prize_days),
  };
}

/** One competition for staff: its facts, the draw button after the end, the winners with their contact details. */
export function staffCompetitionPage(
  ctx: PageContext,
  c: CompetitionsTable,
  now: number,
  model: {
    counts: { pending: number; confirmed: number; won: number };
    draw: CompetitionDrawsTable | undefined;
    winners: CompetitionEntriesTable[];
    error?: Text | undefined;
  },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  const state = competitionState(c, now);
  const head = {
    place: t({ en: 'Place', de: 'Platz' }),
    name: t({ en: 'Name', de: 'Name' }),
    email: t({ en: 'Email', de: 'E-Mail' }),
    country: t({ en: 'Country', de: 'Land' }),
    until: t({ en: 'Details kept until', de: 'Angaben gespeichert bis' }),
    prize: t({ en: 'Prize', de: 'Gewinn' }),
  };
  return layout(
    ctx,
    title(c, ctx.lang),
    html`<h1>${title(c, ctx.lang)}</h1>
${errorSummary(ctx.lang, model.error)}
<p><a href="/competitions/${c.slug}">${t({ en: 'Public page', de: 'Öffentliche Seite' })}</a>${c.drawn_at === null ? html` · <a href="/staff/competitions/${c.id}/edit">${t({ en: 'Edit', de: 'Bearbeiten' })}</a>` : ''}</p>
<dl class="counts">
<dt>${t({ en: 'Period', de: 'Zeitraum' })}</dt><dd>${when(c.starts_at)} – ${when(c.ends_at)}</dd>
<dt>${t({ en: 'Confirmed entries', de: 'Bestätigte Teilnahmen' })}</dt><dd>${String(model.counts.confirmed)}</dd>
<dt>${t({ en: 'Waiting for confirmation', de: 'Warten auf Bestätigung' })}</dt><dd>${String(model.counts.pending)}</dd>
<dt>${t({ en: 'Winners wanted', de: 'Gewünschte Gewinner' })}</dt><dd>${String(c.winners)}</dd>
<dt>${t({ en: 'Prize period', de: 'Gewinnfrist' })}</dt><dd>${String(c.prize_days)} ${t({ en: 'days', de: 'Tage' })}</dd>
</dl>
${
  c.drawn_at === null
    ? state === 'ended'
      ? html`<form method="post" action="/staff/competitions/${c.id}/draw">${csrfField(ctx)}<p>${t({ en: 'Drawing records a random seed with the list of entry hashes, picks the winners and deletes every other entry at once.', de: 'Die Auslosung zeichnet einen Zufallswert mit der Liste der Teilnahme-Hashwerte auf, zieht die Gewinner und löscht alle anderen Teilnahmen sofort.' })}</p><button type="submit">${t({ en: 'Draw the winners', de: 'Gewinner auslosen' })}</button></form>`
      : html`<p>${t({ en: 'The winners can be drawn after the end; the shop draws them itself within minutes of it.', de: 'Die Gewinner lassen sich nach dem Ende auslosen; der Shop lost sie wenige Minuten danach selbst aus.' })}</p>`
    : html`<h2>${t({ en: 'Winners', de: 'Gewinner' })}</h2>
<p>${t({ en: 'Drawn on {at}. Check the draw with: candor competition verify-draw {slug}', de: 'Ausgelost am {at}. Prüfen mit: candor competition verify-draw {slug}' }).replace('{at}', when(c.drawn_at)).replace('{slug}', c.slug)}</p>
${
  model.winners.length === 0
    ? html`<p>${t({ en: 'No winner’s details are held (none were drawn, or the prize period has ended).', de: 'Es sind keine Angaben von Gewinnern gespeichert (keine ausgelost, oder die Gewinnfrist ist abgelaufen).' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.place}</th><th scope="col">${head.name}</th><th scope="col">${head.email}</th><th scope="col">${head.country}</th><th scope="col">${head.until}</th><th scope="col">${head.prize}</th></tr></thead><tbody>
${model.winners.map(
  (w) =>
    html`<tr><td data-label="${head.place}">${String(w.won_position ?? '')}</td><td data-label="${head.name}">${w.given_name} ${w.surname}</td><td data-label="${head.email}">${w.email}</td><td data-label="${head.country}">${countryName(ctx.lang, w.country)}</td><td data-label="${head.until}">${when(w.delete_after)}</td>
<td data-label="${head.prize}">${w.handed_over_at !== null ? t({ en: 'handed over on {at}', de: 'übergeben am {at}' }).replace('{at}', when(w.handed_over_at)) : html`<form method="post" action="/staff/competitions/${c.id}/winners/${w.id}/handed-over" class="inline">${csrfField(ctx)}<button type="submit">${t({ en: 'Mark prize handed over', de: 'Gewinn als übergeben markieren' })}</button></form>`}</td></tr>`,
)}</tbody></table>`
}
${model.draw ? html`<p>${t({ en: 'Entries in the draw: {n}.', de: 'Teilnahmen in der Auslosung: {n}.' }).replace('{n}', String((JSON.parse(model.draw.entry_hashes) as string[]).length))}</p>` : ''}`
}`,
  );
}

/** A link's page seen without its cookie (the first view from a webmail): the button, which posts with the cookie. */
export function linkButtonPage(ctx: PageContext, action: string, kind: 'confirm' | 'withdraw'): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const heading =
    kind === 'confirm'
      ? t({ en: 'Confirm your entry', de: 'Teilnahme bestätigen' })
      : t({ en: 'Withdraw your entry', de: 'Teilnahme zurückziehen' });
  const button =
    kind === 'confirm'
      ? t({ en: 'Confirm my entry', de: 'Teilnahme bestätigen' })
      : t({ en: 'Withdraw and delete my entry', de: 'Teilnahme zurückziehen und löschen' });
  return layout(
    ctx,
    heading,
    html`<h1>${heading}</h1><form method="post" action="${action}">${csrfField(ctx)}<button type="submit">${button}</button></form>`,
  );
}
