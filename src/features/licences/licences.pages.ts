// The licences part of "My products": a key in a box that never breaks it (selectable whole, copied by a button
// where scripts run), and the active machines by the name the customer gave them (rename, deactivate here).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';
import { type PageContext, csrfField } from '../../web/index.ts';
import { MACHINE_NAME_MAX } from './licences.service.ts';

export interface LicenceRow {
  licence: LicencesTable;
  title: string;
  activations: ActivationsTable[];
}

/** The progressive enhancement of key boxes: a page that shows keys adds this once. */
export const COPY_SCRIPT_PATH = '/licences/copy-keys.js';

/**
 * Adds a copy button to every key box: without scripts (or a clipboard) the key stays selectable whole with one
 * click (user-select: all), so nothing depends on this script.
 */
export const copyKeysJs = `(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll('[data-copy-label]').forEach(function (box) {
    var code = box.querySelector('code');
    if (!code) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary copy-key';
    button.textContent = box.getAttribute('data-copy-label');
    if (code.id) button.setAttribute('aria-describedby', code.id);
    var status = document.createElement('span');
    status.setAttribute('role', 'status');
    status.className = 'copy-status';
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        status.textContent = box.getAttribute('data-copied-label');
      }, function () {
        status.textContent = box.getAttribute('data-failed-label');
      });
    });
    box.appendChild(button);
    box.appendChild(status);
  });
})();
`;

/** The script tag for pages with key boxes. */
export function copyKeysScript(): SafeHtml {
  return html`<script src="${COPY_SCRIPT_PATH}" defer></script>`;
}

/** A licence key in its box: one line, never broken; scrolls inside the box if a screen is narrower than the key. */
export function keyBox(ctx: PageContext, key: string, id: string): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<div class="key-box" data-copy-label="${t({ en: 'Copy key', de: 'Schlüssel kopieren' })}" data-copied-label="${t({ en: 'Copied.', de: 'Kopiert.' })}" data-failed-label="${t({ en: 'Could not copy: please select the key and copy it.', de: 'Kopieren nicht möglich: Bitte markieren und kopieren Sie den Schlüssel.' })}"><code class="licence-key" id="${id}">${key}</code></div>`;
}

/** What "My products" shows of one machine: the customer's name for it, else a short part of its hash. */
export function machineLabel(ctx: PageContext, a: ActivationsTable): string {
  return (
    a.machine_name ??
    tr(ctx.lang, { en: 'Unnamed machine {m}…', de: 'Unbenannter Rechner {m}…' }, { m: a.machine_hash.slice(0, 12) })
  );
}

/** One licence: its key, how many activations are used, and each active machine with rename and deactivate. */
export function licenceDetails(ctx: PageContext, licence: LicencesTable, activations: ActivationsTable[]): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const base = `/account/products/licences/${licence.licence_key}/activations`;
  if (licence.revoked_at !== null)
    return html`<div class="licence withdrawn">
<p>${t({ en: 'Licence key (withdrawn)', de: 'Lizenzschlüssel (widerrufen)' })}:</p>
${keyBox(ctx, licence.licence_key, `key-${licence.id}`)}
<p><strong>${t(
      {
        en: 'Withdrawn on {at}: this key no longer activates the software.',
        de: 'Widerrufen am {at}: Dieser Schlüssel aktiviert die Software nicht mehr.',
      },
      { at: formatTime(ctx.lang, licence.revoked_at, ctx.timeZone) },
    )}</strong></p>
</div>`;
  return html`<div class="licence">
<p>${t({ en: 'Licence key', de: 'Lizenzschlüssel' })}:</p>
${keyBox(ctx, licence.licence_key, `key-${licence.id}`)}
<p>${t({ en: '{n} of {max} activations in use.', de: '{n} von {max} Aktivierungen belegt.' }, { n: activations.length, max: licence.max_activations })}</p>
${
  activations.length > 0
    ? html`<ul class="machines">${activations.map(
        (a) => html`<li><p><strong class="machine-name">${machineLabel(ctx, a)}</strong>, ${t(
          { en: 'activated {at}', de: 'aktiviert am {at}' },
          { at: formatTime(ctx.lang, a.activated_at, ctx.timeZone) },
        )}</p>
<form method="post" action="${base}/${a.id}/rename" class="machine-rename">${csrfField(ctx)}<label for="machine-${a.id}">${t({ en: 'Name of this machine', de: 'Name dieses Rechners' })}</label>
<input type="text" id="machine-${a.id}" name="machineName" value="${a.machine_name ?? ''}" maxlength="${MACHINE_NAME_MAX}" autocomplete="off"> <button type="submit" class="secondary">${t({ en: 'Rename', de: 'Umbenennen' })}</button></form>
<form method="post" action="${base}/${a.id}/deactivate" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t({ en: 'Deactivate', de: 'Deaktivieren' })}</button></form></li>`,
      )}</ul>`
    : ''
}
</div>`;
}

/** Licences as a list of their own (licences that belong to no purchase still shown, so no key is ever hidden). */
export function licencesSection(ctx: PageContext, rows: LicenceRow[]): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<h2>${t({ en: 'Software licences', de: 'Softwarelizenzen' })}</h2>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No licences yet.', de: 'Noch keine Lizenzen.' })}</p>`
    : html`<ul class="licences">${rows.map(
        (r) => html`<li>
  <h3>${r.title}</h3>
  ${licenceDetails(ctx, r.licence, r.activations)}
</li>`,
      )}</ul>${copyKeysScript()}`
}`;
}
