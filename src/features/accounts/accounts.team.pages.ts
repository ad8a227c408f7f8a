// The staff team page (/staff/team, admins) and the invitation page an invitee opens: pure functions from a model to
// HTML. Every action is a POST form with the CSRF field; paging and nothing else is a plain GET link (keyset).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, errorSummary, fieldId, layout } from '../../web/index.ts';
import type { Role } from '../../platform/http/context.ts';
import type { StaffInvitationsTable } from './accounts.tables.ts';
import { staffRoleNames } from './accounts.team.emails.ts';
import type { MemberState, TeamPage } from './accounts.team.service.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';

export type TeamErrors = Record<string, Text>;

const stateNames: Record<MemberState, Text> = {
  active: { en: 'active', de: 'aktiv' },
  deactivated: { en: 'deactivated', de: 'deaktiviert' },
  invited: { en: 'invited (no password yet)', de: 'eingeladen (noch kein Passwort)' },
};

const roleName = (lang: Lang, role: Role) => staffRoleNames[role][lang];

export interface TeamPageModel {
  page: TeamPage;
  /** The current keysets, so that a form's answer can return to the same page. */
  now: number;
  viewerId: string;
  notice?: Text | undefined;
  error?: Text | undefined;
  fields?: TeamErrors;
  values?: {
    email?: string | undefined;
    name?: string | undefined;
    role?: string | undefined;
    lang?: string | undefined;
  };
}

function roleOptions(lang: Lang, roles: readonly Role[], chosen: string | undefined): SafeHtml[] {
  return roles.map(
    (r) => html`<option value="${r}"${r === chosen ? html` selected` : ''}>${roleName(lang, r)}</option>`,
  );
}

function invitationState(inv: StaffInvitationsTable, now: number): Text {
  return inv.expires_at <= now ? { en: 'expired', de: 'abgelaufen' } : { en: 'invited', de: 'eingeladen' };
}

export function teamPage(ctx: PageContext, m: TeamPageModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  const title = t({ en: 'Staff accounts', de: 'Verwaltungskonten' });
  const fields = m.fields ?? {};
  const v = m.values ?? {};
  const fieldError = (name: string) =>
    fields[name] ? html`<p class="field-error" id="${fieldId(name)}-error">${t(fields[name] as Text)}</p>` : '';
  const invalid = (name: string) =>
    fields[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : '';
  const { members, invitations, nextAfter, nextInvitationsAfter } = m.page;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${m.notice ? html`<p class="notice" role="status">${t(m.notice)}</p>` : ''}
${errorSummary(ctx.lang, m.error, fields, {
  email: { en: 'Email address', de: 'E-Mail-Adresse' },
  name: { en: 'Name', de: 'Name' },
  role: { en: 'Role', de: 'Rolle' },
})}
<h2>${t({ en: 'Accounts', de: 'Konten' })}</h2>
${
  members.length === 0
    ? html`<p class="empty">${t({ en: 'No staff accounts on this page.', de: 'Auf dieser Seite gibt es keine Verwaltungskonten.' })}</p>`
    : html`<table class="team"><thead><tr><th scope="col">${t({ en: 'Name', de: 'Name' })}</th><th scope="col">${t({ en: 'Email address', de: 'E-Mail-Adresse' })}</th><th scope="col">${t({ en: 'Role', de: 'Rolle' })}</th><th scope="col">${t({ en: 'State', de: 'Status' })}</th><th scope="col">${t({ en: 'Last sign-in', de: 'Letzte Anmeldung' })}</th><th scope="col">${t({ en: 'Actions', de: 'Aktionen' })}</th></tr></thead>
<tbody>${members.map(
        (
          u,
        ) => html`<tr><td>${u.name}${u.id === m.viewerId ? html` <small>(${t({ en: 'you', de: 'Sie' })})</small>` : ''}</td><td>${u.email}</td><td>${roleName(ctx.lang, u.role)}</td><td>${t(stateNames[u.state])}</td><td>${u.lastSignInAt === null ? t({ en: 'never', de: 'nie' }) : when(u.lastSignInAt)}</td>
<td><form method="post" action="/staff/team/${u.id}/role" class="inline">${csrfField(ctx)}<label for="role-${u.id}">${t({ en: 'Role', de: 'Rolle' })}</label> <select id="role-${u.id}" name="role">${roleOptions(ctx.lang, ['staff', 'dpo', 'admin', 'customer'], u.role)}</select> <button type="submit">${t({ en: 'Change role', de: 'Rolle ändern' })}</button></form>
<form method="post" action="/staff/team/${u.id}/${u.state === 'deactivated' ? 'reactivate' : 'deactivate'}" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${
          u.state === 'deactivated'
            ? t({ en: 'Reactivate', de: 'Reaktivieren' })
            : t({ en: 'Deactivate (ends all sessions)', de: 'Deaktivieren (beendet alle Sitzungen)' })
        }</button></form>${
          u.id === m.viewerId
            ? ''
            : html`
<form method="post" action="/staff/team/${u.id}/reset-second-factor" class="inline">${csrfField(ctx)}<input type="checkbox" id="confirm-${u.id}" name="confirm" value="yes" required> <label for="confirm-${u.id}">${t({ en: 'The person lost their device; I checked who is asking', de: 'Die Person hat ihr Gerät verloren; ich habe geprüft, wer anfragt' })}</label> <button type="submit" class="secondary">${t({ en: 'Reset second factor', de: 'Zweiten Faktor zurücksetzen' })}</button></form>`
        }</td></tr>`,
      )}</tbody></table>`
}
${nextAfter ? html`<p><a href="/staff/team?after=${encodeURIComponent(nextAfter)}">${t({ en: 'More accounts', de: 'Weitere Konten' })}</a></p>` : ''}
<h2>${t({ en: 'Open invitations', de: 'Offene Einladungen' })}</h2>
${
  invitations.length === 0
    ? html`<p class="empty">${t({ en: 'No open invitations.', de: 'Keine offenen Einladungen.' })}</p>`
    : html`<table class="invitations"><thead><tr><th scope="col">${t({ en: 'Email address', de: 'E-Mail-Adresse' })}</th><th scope="col">${t({ en: 'Role', de: 'Rolle' })}</th><th scope="col">${t({ en: 'State', de: 'Status' })}</th><th scope="col">${t({ en: 'Valid until', de: 'Gültig bis' })}</th><th scope="col">${t({ en: 'Actions', de: 'Aktionen' })}</th></tr></thead>
<tbody>${invitations.map(
        (
          inv,
        ) => html`<tr><td>${inv.email}</td><td>${roleName(ctx.lang, inv.role)}</td><td>${t(invitationState(inv, m.now))}</td><td>${when(inv.expires_at)}</td>
<td><form method="post" action="/staff/team/invitations/${inv.id}/resend" class="inline">${csrfField(ctx)}<button type="submit">${t({ en: 'Send again (new link)', de: 'Erneut senden (neuer Link)' })}</button></form>
<form method="post" action="/staff/team/invitations/${inv.id}/revoke" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t({ en: 'Revoke', de: 'Widerrufen' })}</button></form></td></tr>`,
      )}</tbody></table>`
}
${nextInvitationsAfter ? html`<p><a href="/staff/team?invitationsAfter=${encodeURIComponent(nextInvitationsAfter)}">${t({ en: 'More invitations', de: 'Weitere Einladungen' })}</a></p>` : ''}
<h2>${t({ en: 'Invite someone', de: 'Jemanden einladen' })}</h2>
<form method="post" action="/staff/team/invitations" novalidate>${csrfField(ctx)}
<div class="field"><label for="${fieldId('email')}">${t({ en: 'Email address', de: 'E-Mail-Adresse' })} <span class="required">${t({ en: '(required)', de: '(Pflichtfeld)' })}</span></label>${fieldError('email')}
<input id="${fieldId('email')}" name="email" type="email" autocomplete="off" required maxlength="254" value="${v.email ?? ''}"${invalid('email')}></div>
<div class="field"><label for="${fieldId('name')}">${t({ en: 'Name', de: 'Name' })} <span class="optional">${t({ en: '(optional)', de: '(optional)' })}</span></label>${fieldError('name')}
<input id="${fieldId('name')}" name="name" type="text" autocomplete="off" maxlength="200" value="${v.name ?? ''}"${invalid('name')}></div>
<div class="field"><label for="${fieldId('role')}">${t({ en: 'Role', de: 'Rolle' })}</label>${fieldError('role')}
<select id="${fieldId('role')}" name="role"${invalid('role')}>${roleOptions(ctx.lang, ['staff', 'dpo', 'admin'], v.role ?? 'staff')}</select></div>
<div class="field"><label for="${fieldId('lang')}">${t({ en: 'Language of the invitation', de: 'Sprache der Einladung' })}</label>
<select id="${fieldId('lang')}" name="lang"><option value="en"${(v.lang ?? ctx.lang) === 'en' ? html` selected` : ''}>English</option><option value="de"${(v.lang ?? ctx.lang) === 'de' ? html` selected` : ''}>Deutsch</option></select></div>
<p class="hint">${t({ en: 'The person receives a link valid for 7 days. They choose a password and then set up a second factor before any console page opens.', de: 'Die Person erhält einen Link, der 7 Tage gültig ist. Sie wählt ein Passwort und richtet danach einen zweiten Faktor ein, bevor sich eine Seite der Verwaltung öffnet.' })}</p>
<p><button type="submit">${t({ en: 'Send invitation', de: 'Einladung senden' })}</button></p>
</form>`,
  );
}

export interface InvitationPageModel {
  /** null: the link is unknown, used, revoked or expired. */
  invitation: StaffInvitationsTable | null;
  hasAccount: boolean;
  shop: string;
  fields?: TeamErrors;
  error?: Text | undefined;
  name?: string | undefined;
}

/** The page behind an invitation link: choose a password (or confirm the existing account's one) and accept. */
export function invitationPage(ctx: PageContext, m: InvitationPageModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Accept the invitation', de: 'Einladung annehmen' });
  const inv = m.invitation;
  if (!inv)
    return layout(
      ctx,
      title,
      html`<h1>${title}</h1>
<p role="alert">${t({ en: 'This invitation link is invalid, was already used, was revoked or has expired. Ask the administrator who invited you for a new invitation.', de: 'Dieser Einladungslink ist ungültig, wurde bereits verwendet, wurde widerrufen oder ist abgelaufen. Bitten Sie die Person, die Sie eingeladen hat, um eine neue Einladung.' })}</p>
<p><a href="/account/login">${t({ en: 'Sign in', de: 'Anmelden' })}</a></p>`,
    );
  const fields = m.fields ?? {};
  const fieldError = (name: string) =>
    fields[name] ? html`<p class="field-error" id="${fieldId(name)}-error">${t(fields[name] as Text)}</p>` : '';
  const described = (name: string, hint: boolean) => {
    const ids = [hint ? `${fieldId(name)}-hint` : '', fields[name] ? `${fieldId(name)}-error` : ''].filter(Boolean);
    return html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${fields[name] ? html` aria-invalid="true"` : ''}`;
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, m.error, fields, { name: { en: 'Name', de: 'Name' }, password: { en: 'Password', de: 'Passwort' } })}
<p>${tr(ctx.lang, { en: 'You have been invited to the console of {shop} as {role}, with the address {email}.', de: 'Sie wurden als {role} in die Verwaltung von {shop} eingeladen, mit der Adresse {email}.' }, { shop: m.shop, role: roleName(ctx.lang, inv.role), email: inv.email })}</p>
<form method="post" action="/account/invitation" novalidate>${csrfField(ctx)}
${
  m.hasAccount
    ? html`<p>${t({ en: 'This address already has an account. Enter its password to give it the role; your orders and details stay as they are.', de: 'Für diese Adresse gibt es bereits ein Konto. Geben Sie dessen Passwort ein, um ihm die Rolle zu geben; Ihre Bestellungen und Angaben bleiben unverändert.' })}</p>
<div class="field"><label for="${fieldId('password')}">${t({ en: 'Password of your account', de: 'Passwort Ihres Kontos' })} <span class="required">${t({ en: '(required)', de: '(Pflichtfeld)' })}</span></label>${fieldError('password')}
<input id="${fieldId('password')}" name="password" type="password" autocomplete="current-password" required maxlength="${PASSWORD_MAX}"${described('password', false)}></div>`
    : html`<div class="field"><label for="${fieldId('name')}">${t({ en: 'Name', de: 'Name' })} <span class="required">${t({ en: '(required)', de: '(Pflichtfeld)' })}</span></label>${fieldError('name')}
<input id="${fieldId('name')}" name="name" type="text" autocomplete="name" required maxlength="200" value="${m.name ?? inv.name ?? ''}"${described('name', false)}></div>
<div class="field"><label for="${fieldId('password')}">${t({ en: 'Choose a password', de: 'Passwort wählen' })} <span class="required">${t({ en: '(required)', de: '(Pflichtfeld)' })}</span></label>
<p class="hint" id="${fieldId('password')}-hint">${tr(ctx.lang, { en: 'At least {min} characters; a passphrase of several words is easy to remember. Common passwords are refused.', de: 'Mindestens {min} Zeichen; ein Satz aus mehreren Wörtern ist leicht zu merken. Verbreitete Passwörter werden abgelehnt.' }, { min: PASSWORD_MIN })}</p>${fieldError('password')}
<input id="${fieldId('password')}" name="password" type="password" autocomplete="new-password" required maxlength="${PASSWORD_MAX}"${described('password', true)}></div>`
}
<p>${t({ en: 'You are signed in afterwards. Before the first console page opens, you set up a second factor (an authenticator app).', de: 'Danach sind Sie angemeldet. Bevor sich die erste Seite der Verwaltung öffnet, richten Sie einen zweiten Faktor ein (eine Authenticator-App).' })}</p>
<p><button type="submit">${title}</button></p>
</form>`,
  );
}
