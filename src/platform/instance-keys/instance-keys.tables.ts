// The fingerprints of the keys every process of one shop must share (instance-keys.ts): one row per key.
export interface InstanceKeysTable {
  /** The setting that carries the key (`CANDOR_SECRET`, `SUPPRESSION_KEY`, …). */
  name: string;
  /** A one-way fingerprint of the key (instance-keys.ts), never the key itself. */
  fingerprint: string;
  recorded_at: number;
}

export interface InstanceKeysTables {
  instance_keys: InstanceKeysTable;
}
