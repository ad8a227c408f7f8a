// The DPO console's audit page: every check of `candor audit`, passed or failed, with its figures and problems.
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { layout, type PageContext } from '../../web/index.ts';
import type { AuditReport } from './audit.ts';

const T = {
  title: { en: 'Compliance audit', de: 'Datenschutz-Prüfung' },
  intro: {
    en: 'Each promise of the data map, checked against the live database and the data directory just now. The same checks run with `candor audit` (and `candor audit --json` for monitoring).',
    de: 'Jedes Versprechen der Datenlandkarte, soeben gegen die laufende Datenbank und das Datenverzeichnis geprüft. Dieselben Prüfungen laufen mit `candor audit` (und `candor audit --json` für die Überwachung).',
  },
  allPass: { en: 'All {n} checks pass.', de: 'Alle {n} Prüfungen bestanden.' },
  someFail: { en: '{failed} of {n} checks fail.', de: '{failed} von {n} Prüfungen nicht bestanden.' },
  at: { en: 'Checked at', de: 'Geprüft am' },
  check: { en: 'Check', de: 'Prüfung' },
  result: { en: 'Result', de: 'Ergebnis' },
  evidence: { en: 'Evidence', de: 'Nachweis' },
  pass: { en: 'Passed', de: 'Bestanden' },
  fail: { en: 'Failed', de: 'Nicht bestanden' },
} satisfies Record<string, Text>;

export function auditPage(ctx: PageContext, report: AuditReport): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const failed = report.checks.filter((c) => !c.ok);
  const title = t(T.title);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(T.intro)}</p>
<p class="notice" role="status">${
      failed.length === 0
        ? t(T.allPass, { n: report.checks.length })
        : t(T.someFail, { failed: failed.length, n: report.checks.length })
    } ${t(T.at)} <time datetime="${new Date(report.at).toISOString()}">${formatTime(ctx.lang, report.at, ctx.timeZone)}</time></p>
<div class="table-box"><table>
<caption>${title}</caption>
<thead><tr><th scope="col">${t(T.check)}</th><th scope="col">${t(T.result)}</th><th scope="col">${t(T.evidence)}</th></tr></thead>
<tbody>
${report.checks.map(
  (c) => html`<tr id="check-${c.id.replace(/[^a-z0-9-]/g, '-')}">
<th scope="row">${t(c.name)}<br><code>${c.id}</code></th>
<td><strong>${c.ok ? `✓ ${t(T.pass)}` : `✗ ${t(T.fail)}`}</strong></td>
<td><ul>${Object.entries(c.figures).map(([k, v]) => html`<li><code>${k}</code>: ${String(v)}</li>`)}</ul>${
    c.problems.length > 0 ? html`<ul>${c.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''
  }</td>
</tr>`,
)}
</tbody>
</table></div>`,
  );
}
