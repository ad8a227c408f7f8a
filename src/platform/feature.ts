// The shape of a feature manifest. `src/features.ts` lists them in order; nothing is discovered by scanning.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { DataMapPart } from '../privacy/data-map.ts';
import type { Config } from './config.ts';
import type { Migration } from './db/migrate.ts';

export interface Job {
  /** `<feature>.<verb>-<noun>`; every job is idempotent. */
  name: string;
  everyMs: number;
  run(deps: Deps): Promise<void>;
}

export interface Feature {
  name: string;
  routes?: (app: FastifyInstance, deps: Deps) => void | Promise<void>;
  jobs?: Job[];
  /** A function when periods come from configuration (statutory retention). */
  dataMap?: DataMapPart | ((config: Pick<Config, 'retention'> & { consentRecordDays: number; paymentProvider?: string }) => DataMapPart);
  migrations?: Migration[];
  /** Migrations that depend on configuration, run after `migrations` (the test payment provider's tables exist only while it is active). */
  configuredMigrations?: (config: { paymentProvider: string }) => Migration[];
  /** Demo data for a first start; must do nothing when the data is already there. */
  seed?: (deps: Deps) => Promise<void>;
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}
