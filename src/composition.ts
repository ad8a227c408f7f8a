// The composition root: builds Deps from the configuration and the feature list (src/features.ts), chooses the
// adapters for outside companies, and runs every feature's migrations and demo data.
import { join } from 'node:path';
import type { Database } from './database.ts';
import type { Deps } from './deps.ts';
import { createCreditAgency } from './features/credit/index.ts';
import { createPaymentProvider } from './features/payments/index.ts';
import { features } from './features.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { openDatabase } from './platform/db/dialect.ts';
import { migrate, type Migration } from './platform/db/migrate.ts';
import { createFileMailer, createSmtpMailer, type Mailer } from './platform/email/mailer.ts';
import { cookiePolicy } from './platform/http/cookies.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { demoOperator } from './platform/operator.ts';
import { buildConsentRegistry, candorCookies } from './privacy/consent/registry.ts';
import { buildDataMap, type DataMap } from './privacy/data-map.ts';
import { createUsageLogWriter } from './privacy/usage-log/index.ts';
import type { CreditAgency } from './shop/credit-agency.ts';
import type { PaymentProvider } from './shop/payment-provider.ts';

export interface DepsOverrides {
  clock?: Clock;
  log?: Logger;
  mailer?: Mailer;
  payments?: PaymentProvider;
  creditAgency?: CreditAgency;
  /** PostgreSQL schema (tests give each run its own). */
  schema?: string;
}

export function createDataMap(
  config: Pick<Config, 'retention' | 'operator'> & { paymentProvider?: string } = {
    retention: { invoiceYears: 8 },
    operator: demoOperator,
  },
): DataMap {
  const periods = {
    retention: config.retention,
    consentRecordDays: config.operator.consentRecordDays,
    paymentProvider: config.paymentProvider ?? 'test',
  };
  const parts = features.flatMap((f) =>
    !f.dataMap ? [] : typeof f.dataMap === 'function' ? [f.dataMap(periods)] : [f.dataMap],
  );
  // The rights pages travel with the data map, so the policy and the Art. 30 record read one input.
  return buildDataMap(
    parts,
    features.flatMap((f) => f.policyLinks ?? []),
  );
}

export function createDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const handle = openDatabase<Database>({
    databaseUrl: config.databaseUrl,
    sqliteFile: join(config.dataDir, 'candor.sqlite'),
    ...(overrides.schema ? { schema: overrides.schema } : {}),
  });
  const log = overrides.log ?? createLogger(config.logLevel);
  const domain = new URL(config.baseUrl).hostname;
  const clock = overrides.clock ?? systemClock;
  const mailer =
    overrides.mailer ??
    (config.smtpUrl ? createSmtpMailer(config.smtpUrl, domain) : createFileMailer(config.dataDir, domain, clock));
  const usageLog = createUsageLogWriter(handle.db, handle.bulkInsert, log);
  const dataMap = createDataMap(config);
  return {
    config,
    db: handle.db,
    dbKind: handle.kind,
    clock,
    log,
    mailer,
    dataMap,
    consent: buildConsentRegistry(config.operator, dataMap, candorCookies(cookiePolicy(config.baseUrl))),
    payments: overrides.payments ?? createPaymentProvider(config.paymentProvider, handle.db, clock),
    creditAgency: overrides.creditAgency ?? createCreditAgency(config.creditAgency),
    usageLog,
    async close() {
      await usageLog.close();
      mailer.close();
      await handle.close();
    },
  };
}

/** Every feature's migrations in manifest order, with those that depend on configuration (the payment provider). */
export function allMigrations(config: { paymentProvider: string } = { paymentProvider: 'test' }): Migration[] {
  return features.flatMap((f) => [...(f.migrations ?? []), ...(f.configuredMigrations?.(config) ?? [])]);
}

export async function migrateDatabase(deps: Deps): Promise<string[]> {
  return migrate(deps.db, deps.dbKind, allMigrations(deps.config), deps.clock.now());
}

export async function seedDemoData(deps: Deps): Promise<void> {
  for (const feature of features) await feature.seed?.(deps);
}
