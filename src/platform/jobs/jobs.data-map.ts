// The scheduler's tables in the data map: which process leads the scheduler and until when, and the record of job
// runs (job name, a process id string, times, outcome, a count, an error code). No personal data in either.
// A plain object (the platform does not import the privacy engine's types); the data map checks it when built.

/** How long job runs are kept: long enough to see a month's failures on the console. */
export const JOB_RUNS_DAYS = 30;

const notPersonal = (names: string[]): Record<string, 'not-personal'> =>
  Object.fromEntries(names.map((n) => [n, 'not-personal' as const]));

export const jobsDataMap = {
  activities: [],
  tables: [
    {
      table: 'job_leases',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['name', 'holder', 'expires_at']),
      erasure: null,
      retention: [],
    },
    {
      table: 'job_runs',
      activity: 'platform.operation',
      subject: null,
      columns: notPersonal(['id', 'job', 'holder', 'started_at', 'ended_at', 'outcome', 'items', 'error']),
      erasure: null,
      retention: [
        {
          id: 'jobs.delete-old-job-runs',
          what: { en: 'Records of background job runs', de: 'Aufzeichnungen über Läufe von Hintergrundaufgaben' },
          after: { days: JOB_RUNS_DAYS },
          from: 'started_at',
          fromEvent: { en: 'the run', de: 'dem Lauf' },
          basis: {
            en: 'operators look into failed runs within days; we chose 30 days so that a month of runs can be compared',
            de: 'Betreiber prüfen fehlgeschlagene Läufe innerhalb weniger Tage; wir haben 30 Tage gewählt, damit sich die Läufe eines Monats vergleichen lassen',
          },
          action: { kind: 'delete' as const },
        },
      ],
    },
  ],
};
