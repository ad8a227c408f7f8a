// The shared keys' fingerprints in the data map: a setting's name, a one-way fingerprint of its key and when it was
// recorded. No personal data; kept while the shop runs (one row per key).
// A plain object (the platform does not import the privacy engine's types); the data map checks it when built.

export const instanceKeysDataMap = {
  activities: [],
  tables: [
    {
      table: 'instance_keys',
      activity: 'platform.operation',
      subject: null,
      columns: { name: 'not-personal', fingerprint: 'not-personal', recorded_at: 'not-personal' } as const,
      erasure: null,
      retention: [],
    },
  ],
};
