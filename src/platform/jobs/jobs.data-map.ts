// The lease table's entry in the data map: which process leads the scheduler, and until when. No personal data.
// A plain object (the platform does not import the privacy engine's types); the data map checks it when built.
export const jobsDataMap = {
  activities: [],
  tables: [
    {
      table: 'job_leases',
      activity: 'platform.operation',
      subject: null,
      columns: { name: 'not-personal' as const, holder: 'not-personal' as const, expires_at: 'not-personal' as const },
      erasure: null,
      retention: [],
    },
  ],
};
