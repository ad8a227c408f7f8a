// The composition root: builds Deps from the configuration and the feature list (src/features.ts), chooses the
// adapters for outside companies and wraps each in the outbound gate (decision 0027), and runs every feature's
// migrations and demo data.
import { join } from 'node:path';
import type { Database } from './database.ts';
import type { Deps } from './deps.ts';
import { createCreditAgency } from './features/credit/index.ts';
import { invoiceAttachmentRenderer } from './features/orders/index.ts';
import { createPaymentProvider, paymentProviderCompany } from './features/payments/index.ts';
import { features } from './features.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Config, PaymentProviderId } from './platform/config.ts';
import { openDatabase } from './platform/db/dialect.ts';
import { migrate, type Migration } from './platform/db/migrate.ts';
import { createMailer, type Mailer } from './platform/email/mailer.ts';
import { cookiePolicy } from './platform/http/cookies.ts';
import { createLogger, type Logger } from './platform/log.ts';
import { createMetrics } from './platform/metrics.ts';
import { demoOperator, type Company } from './platform/operator.ts';
import { createSharedState } from './platform/shared-state.ts';
import { buildConsentRegistry, candorCookies } from './privacy/consent/registry.ts';
import { buildDataMap, type DataMap } from './privacy/data-map.ts';
import { gateCreditAgency, gateMailer, gatePaymentProvider } from './privacy/disclosures/index.ts';
import { createUsageLogWriter } from './privacy/usage-log/index.ts';
import type { CreditAgency } from './shop/credit-agency.ts';
import type { PaymentProvider } from './shop/payment-provider.ts';

export interface DepsOverrides {
  clock?: Clock;
  log?: Logger;
  mailer?: Mailer;
  payments?: PaymentProvider;
  creditAgency?: CreditAgency;
  /**
   * Tests only: wraps an adapter beneath the outbound gate, where the outside company would be, to see exactly
   * what it receives. The gate still wraps the result.
   */
  beyondGate?: {
    payments?: (provider: PaymentProvider) => PaymentProvider;
    creditAgency?: (agency: CreditAgency) => CreditAgency;
  };
  /** PostgreSQL schema (tests give each run its own). */
  schema?: string;
}

export function createDataMap(
  config: Pick<Config, 'retention' | 'operator'> &
    Partial<Pick<Config, 'creditCheckMethods' | 'creditAgency' | 'creditChecksPerDay' | 'databaseUrl'>> & {
      paymentProvider?: string;
    } = {
    retention: { invoiceYears: 8 },
    operator: demoOperator,
  },
  /** The companies behind the adapters in use (createDeps passes the adapters' own); by default the configured ones. */
  adapterCompanies: Partial<Record<'payment-provider', Company>> = {
    'payment-provider': paymentProviderCompany((config.paymentProvider ?? 'test') as PaymentProviderId),
  },
): DataMap {
  const periods = {
    retention: config.retention,
    consentRecordDays: config.operator.consentRecordDays,
    paymentProvider: config.paymentProvider ?? 'test',
    creditCheckMethods: config.creditCheckMethods ?? ['invoice'],
    creditAgency: config.creditAgency ?? 'test',
    creditChecksPerDay: config.creditChecksPerDay ?? 3,
  };
  const dbKind = config.databaseUrl ? 'postgres' : 'sqlite';
  const parts = features
    .flatMap((f) => (!f.dataMap ? [] : typeof f.dataMap === 'function' ? [f.dataMap(periods)] : [f.dataMap]))
    .map((part) => ({ ...part, tables: part.tables.filter((t) => !t.onlyOn || t.onlyOn === dbKind) }));
  // Each recipient's company: the operator names the services it chose, the adapters their own (issue 10, point 6).
  const companies: Partial<Record<string, Company>> = { ...config.operator.recipients, ...adapterCompanies };
  const named = parts.map((part) => ({
    ...part,
    activities: part.activities.map((a) => ({
      ...a,
      recipients: a.recipients.map((r) => {
        const company = companies[r.id];
        return company ? { ...r, company } : r;
      }),
    })),
  }));
  // The rights pages travel with the data map, so the policy and the Art. 30 record read one input.
  return buildDataMap(
    named,
    features.flatMap((f) => f.policyLinks ?? []),
  );
}

export function createDeps(config: Config, overrides: DepsOverrides = {}): Deps {
  const handle = openDatabase<Database>({
    databaseUrl: config.databaseUrl,
    sqliteFile: join(config.dataDir, 'candor.sqlite'),
    ...(overrides.schema ? { schema: overrides.schema } : {}),
    // An idle connection broken by a server restart: pg replaces it; one line, the code only.
    onPoolError: (err) => log.warn({ code: (err as { code?: string }).code ?? null }, 'database connection lost'),
  });
  const log = overrides.log ?? createLogger(config.logLevel);
  const domain = new URL(config.baseUrl).hostname;
  const clock = overrides.clock ?? systemClock;
  const metrics = createMetrics({ pool: handle.poolFigures });
  const shared = createSharedState(config.redisUrl, { log, metrics });
  const usageLog = createUsageLogWriter(handle.db, handle.bulkInsert, log, {
    bufferMax: config.usageLogBufferMax,
    metrics,
  });
  const beyond = overrides.beyondGate ?? {};
  const provider = (beyond.payments ?? ((p) => p))(
    overrides.payments ?? createPaymentProvider(config.paymentProvider, handle.db, clock),
  );
  // The policy names the company behind the adapter actually used.
  const dataMap = createDataMap(config, { 'payment-provider': provider.company });
  // Every outside company is reached only through the gate: it refuses a field the data map does not declare for
  // that recipient and records each disclosure. Features see nothing but the gated adapters.
  const gate = { db: handle.db, clock, dataMap };
  const mailer = gateMailer(
    gate,
    overrides.mailer ??
      // With SMTP_URL a pooled connection to the relay (MAIL_CONCURRENCY, DKIM_*); without it the file sink.
      createMailer(config, domain, clock),
    { activity: 'mail.service-messages', recipient: 'mail-provider' },
  );
  const payments = gatePaymentProvider(gate, provider, {
    activity: 'payments.card-payment',
    recipient: 'payment-provider',
  });
  const creditAgency = gateCreditAgency(
    gate,
    (beyond.creditAgency ?? ((a) => a))(overrides.creditAgency ?? createCreditAgency(config.creditAgency)),
    { activity: 'credit.credit-check', recipient: 'credit-agency' },
  );
  return {
    config,
    db: handle.db,
    dbKind: handle.kind,
    bulkInsert: handle.bulkInsert,
    clock,
    log,
    mailer,
    dataMap,
    consent: buildConsentRegistry(config.operator, dataMap, candorCookies(cookiePolicy(config.baseUrl))),
    payments,
    creditAgency,
    usageLog,
    metrics,
    migrationIds: allMigrations(config).map((m) => m.id),
    shared,
    // The files mail carries by reference, rendered at delivery from the kept records (features/mail).
    mailAttachments: { invoice: invoiceAttachmentRenderer({ db: handle.db, config }) },
    async close() {
      await usageLog.close();
      mailer.close();
      await shared.close();
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
