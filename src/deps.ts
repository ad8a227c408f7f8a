// Deps: what the application's use cases may draw on, built once at start (src/composition.ts) and passed as
// plain arguments. A service takes only the part it uses, e.g. `Pick<Deps, 'db' | 'clock'>`.
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';
import type { Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import type { BulkInsert, DbKind } from './platform/db/dialect.ts';
import type { AttachmentRenderers } from './platform/email/compose.ts';
import type { Mailer } from './platform/email/mailer.ts';
import type { Metrics } from './platform/metrics.ts';
import type { Logger } from './platform/log.ts';
import type { SharedState } from './platform/shared-state.ts';
import type { ConsentRegistry } from './privacy/consent/registry.ts';
import type { DataMap } from './privacy/data-map.ts';
import type { UsageLogWriter } from './privacy/usage-log/index.ts';
import type { CreditAgency } from './shop/credit-agency.ts';
import type { PaymentProvider } from './shop/payment-provider.ts';

export interface Deps {
  config: Config;
  db: Kysely<Database>;
  dbKind: DbKind;
  /**
   * Many rows into one table inside an open transaction, the fastest way the dialect has (SQLite: one prepared
   * statement run per row; PostgreSQL: multi-row INSERTs): for high-volume writers such as analytics.
   */
  bulkInsert: BulkInsert;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  dataMap: DataMap;
  /** Vendors, cookies and social links from the operator's configuration, and the policy's content hash. */
  consent: ConsentRegistry;
  /** The payment provider PAYMENT_PROVIDER names (an interface; the adapter is chosen in src/composition.ts). */
  payments: PaymentProvider;
  /** The credit agency (an interface; the adapter is chosen in src/composition.ts). */
  creditAgency: CreditAgency;
  usageLog: UsageLogWriter;
  /** This process's operational figures (Prometheus); no personal data in any label. */
  metrics: Metrics;
  /** The ids of every migration this configuration runs (allMigrations): /readyz checks that each is applied. */
  migrationIds: readonly string[];
  /**
   * Redis (REDIS_URL) for what several processes share: rate limits, the sign-in throttle, cache invalidation.
   * Falls back to this process while Redis is away (never waits for it); without REDIS_URL always local.
   */
  shared: SharedState;
  /** Makes the files that mail carries as references, at delivery (e.g. `invoice`: the order's invoice PDF). */
  mailAttachments: AttachmentRenderers;
  close(): Promise<void>;
}
