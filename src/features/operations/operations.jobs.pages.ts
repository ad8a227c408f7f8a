// The job-runs page (/staff/operations/jobs, admin): per job its last run, outcome, duration, items and failures in
// the last 24 hours; which worker leads the scheduler; the newest runs of every worker. A pure function of its
// model. Nothing here is about a person: job names, process ids of the form `<pid>-<random>`, times and counts.
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { JOB_RUNS_DAYS, type JobRunsTable } from '../../platform/jobs/index.ts';
import { layout, type PageContext } from '../../web/index.ts';
import { formatDuration, JOB_RUNS_PATH } from './operations.pages.ts';

export interface JobSummary {
  job: string;
  last: JobRunsTable;
  runs24h: number;
  failures24h: number;
}

export interface JobRunsModel {
  now: number;
  /** The process holding the scheduler lease; null when none holds an unexpired one. */
  leader: { holder: string; expiresAt: number } | null;
  jobs: JobSummary[];
  /** The newest runs (of `job` when the list is filtered), newest first. */
  recent: JobRunsTable[];
  job?: string | undefined;
}

const T = {
  title: { en: 'Job runs', de: 'Auftragsläufe' },
  back: { en: 'Operations', de: 'Betrieb' },
  intro: {
    en: 'Runs of all worker processes, kept {days} days: every run of a job that runs a minute or more apart, and of the frequent ones (outbox delivery, campaign building, polls every few seconds) each run that handled something or did not end well. Scheduled jobs run in the worker that leads; outbox delivery and campaign building in every worker.',
    de: 'Läufe aller Worker-Prozesse, {days} Tage lang aufbewahrt: jeder Lauf eines Auftrags, der höchstens einmal pro Minute läuft, und von den häufigen (E-Mail-Versand, Kampagnenaufbau, Abfragen alle paar Sekunden) jeder Lauf, der etwas erledigt hat oder nicht gut endete. Geplante Aufträge laufen im führenden Worker, E-Mail-Versand und Kampagnenaufbau in jedem Worker.',
  },
  leader: { en: 'Leading worker', de: 'Führender Worker' },
  leaderIs: {
    en: '{holder}, lease until {until}.',
    de: '{holder}, Lease bis {until}.',
  },
  noLeader: {
    en: 'No worker leads: scheduled jobs do not run until a worker is started.',
    de: 'Kein Worker führt: Geplante Aufträge laufen erst, wenn ein Worker gestartet wird.',
  },
  jobs: { en: 'Jobs', de: 'Aufträge' },
  noRuns: { en: 'No job run has been recorded yet.', de: 'Noch kein Auftragslauf aufgezeichnet.' },
  job: { en: 'Job', de: 'Auftrag' },
  lastRun: { en: 'Last run', de: 'Letzter Lauf' },
  outcome: { en: 'Outcome', de: 'Ergebnis' },
  duration: { en: 'Duration', de: 'Dauer' },
  items: { en: 'Items', de: 'Posten' },
  failures: { en: 'Failed in 24 h', de: 'Fehlgeschlagen in 24 h' },
  runs24h: { en: 'Runs in 24 h', de: 'Läufe in 24 h' },
  worker: { en: 'Worker', de: 'Worker' },
  started: { en: 'Started', de: 'Begonnen' },
  error: { en: 'Error', de: 'Fehler' },
  recent: { en: 'Recent runs', de: 'Neueste Läufe' },
  recentOf: { en: 'Recent runs of {job}', de: 'Neueste Läufe von {job}' },
  allJobs: { en: 'All jobs', de: 'Alle Aufträge' },
  ok: { en: 'OK', de: 'OK' },
  failed: { en: 'Failed', de: 'Fehlgeschlagen' },
  aborted: { en: 'Aborted', de: 'Abgebrochen' },
  running: { en: 'Running', de: 'Läuft' },
  interrupted: { en: 'Interrupted (its worker ended)', de: 'Unterbrochen (sein Worker endete)' },
} satisfies Record<string, Text>;

/** How long a run without an end counts as running: past the lease its worker would have had to renew. */
const RUNNING_FOR_MS = 30_000;

function outcomeText(run: JobRunsTable, model: JobRunsModel): Text {
  if (run.outcome === 'ok') return T.ok;
  if (run.outcome === 'failed') return T.failed;
  if (run.outcome === 'aborted') return T.aborted;
  const alive = model.leader?.holder === run.holder || model.now - run.started_at < RUNNING_FOR_MS;
  return alive ? T.running : T.interrupted;
}

function duration(lang: Lang, run: JobRunsTable): string {
  return run.ended_at === null ? '–' : formatDuration(lang, Math.max(0, run.ended_at - run.started_at) / 1000);
}

export function jobRunsPage(ctx: PageContext, model: JobRunsModel): string {
  const lang = ctx.lang;
  const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
  const time = (ms: number) => formatTime(lang, ms, ctx.timeZone);
  const count = (n: number | null) => (n === null ? '–' : n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB'));
  const outcome = (run: JobRunsTable) => {
    const failed = run.outcome === 'failed' || run.outcome === 'aborted';
    return failed ? html`<strong>${t(outcomeText(run, model))}</strong>` : t(outcomeText(run, model));
  };
  return layout(
    ctx,
    t(T.title),
    html`<p><a href="/staff/operations">${t(T.back)}</a></p>
<h1>${t(T.title)}</h1>
<p>${t(T.intro, { days: JOB_RUNS_DAYS })}</p>
<section aria-labelledby="leader-heading">
<h2 id="leader-heading">${t(T.leader)}</h2>
<p>${model.leader ? t(T.leaderIs, { holder: model.leader.holder, until: time(model.leader.expiresAt) }) : t(T.noLeader)}</p>
</section>
<section aria-labelledby="jobs-heading">
<h2 id="jobs-heading">${t(T.jobs)}</h2>
${
  model.jobs.length === 0
    ? html`<p>${t(T.noRuns)}</p>`
    : html`<table class="stack">
<caption>${t(T.jobs)}</caption>
<thead><tr><th scope="col">${t(T.job)}</th><th scope="col">${t(T.lastRun)}</th><th scope="col">${t(T.outcome)}</th><th scope="col" class="num">${t(T.duration)}</th><th scope="col" class="num">${t(T.items)}</th><th scope="col" class="num">${t(T.runs24h)}</th><th scope="col" class="num">${t(T.failures)}</th></tr></thead>
<tbody>
${model.jobs.map(
  (j) =>
    html`<tr><th scope="row"><a href="${JOB_RUNS_PATH}?job=${j.job}">${j.job}</a></th><td data-label="${t(T.lastRun)}">${time(j.last.started_at)}</td><td data-label="${t(T.outcome)}">${outcome(j.last)}</td><td class="num" data-label="${t(T.duration)}">${duration(lang, j.last)}</td><td class="num" data-label="${t(T.items)}">${count(j.last.items)}</td><td class="num" data-label="${t(T.runs24h)}">${count(j.runs24h)}</td><td class="num" data-label="${t(T.failures)}">${count(j.failures24h)}</td></tr>`,
)}
</tbody>
</table>`
}
</section>
<section aria-labelledby="recent-heading">
<h2 id="recent-heading">${model.job ? t(T.recentOf, { job: model.job }) : t(T.recent)}</h2>
${model.job ? html`<p><a href="${JOB_RUNS_PATH}">${t(T.allJobs)}</a></p>` : ''}
${
  model.recent.length === 0
    ? html`<p>${t(T.noRuns)}</p>`
    : html`<table class="stack">
<caption>${t(T.recent)}</caption>
<thead><tr><th scope="col">${t(T.started)}</th><th scope="col">${t(T.job)}</th><th scope="col">${t(T.worker)}</th><th scope="col">${t(T.outcome)}</th><th scope="col" class="num">${t(T.duration)}</th><th scope="col" class="num">${t(T.items)}</th><th scope="col">${t(T.error)}</th></tr></thead>
<tbody>
${model.recent.map(
  (r) =>
    html`<tr><th scope="row">${time(r.started_at)}</th><td data-label="${t(T.job)}">${r.job}</td><td data-label="${t(T.worker)}">${r.holder}</td><td data-label="${t(T.outcome)}">${outcome(r)}</td><td class="num" data-label="${t(T.duration)}">${duration(lang, r)}</td><td class="num" data-label="${t(T.items)}">${count(r.items)}</td><td data-label="${t(T.error)}">${r.error ?? ''}</td></tr>`,
)}
</tbody>
</table>`
}
</section>`,
  );
}
