// Reads and validates configuration from environment variables once, at start.
// Every bad value is reported together, each with a message that says what is expected.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { readOrCreateKeyFile } from './key-file.ts';
import { loadOperator, OperatorFileError, type Operator } from './operator.ts';

export type TrustProxy = false | true | number | string[];

/** The payment provider adapters Candor has; src/features/payments builds the one chosen. */
export const PAYMENT_PROVIDERS = ['test'] as const;
export type PaymentProviderId = (typeof PAYMENT_PROVIDERS)[number];
export const CREDIT_AGENCIES = ['test'] as const;
export type CreditAgencyId = (typeof CREDIT_AGENCIES)[number];
/** The payment methods an operator may have credit-checked (CREDIT_CHECK_METHODS); the orders feature's methods. */
export const CREDIT_CHECKABLE_METHODS = ['invoice', 'card', 'wallet'] as const;
export type CreditCheckMethod = (typeof CREDIT_CHECKABLE_METHODS)[number];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  smtpUrl: string | undefined;
  /** Shared rate-limit counters for several app processes; in-process counters without it. */
  redisUrl: string | undefined;
  /** METRICS_TOKEN: a bearer token that opens /metrics from any address; unset: only METRICS_ALLOW's addresses. */
  metricsToken: string | undefined;
  /** METRICS_ALLOW: addresses and CIDR ranges that may read /metrics without a token (default loopback only). */
  metricsAllow: string[];
  secret: string;
  trustProxy: TrustProxy;
  logLevel: string;
  usageLog: boolean;
  /** USAGE_LOG_BUFFER_MAX: usage-log entries kept in memory while the database is away (20,000); more are dropped. */
  usageLogBufferMax: number;
  /** SHUTDOWN_GRACE_MS: how long a stopping process lets requests in flight finish (10,000 ms). */
  shutdownGraceMs: number;
  rateLimit: { perMinute: number; authPerMinute: number };
  /** How long the old address can undo an email change (days). */
  emailChangeUndoDays: number;
  /** Statutory retention of booking vouchers (invoices, orders) in years from the end of the calendar year. */
  retention: {
    invoiceYears: number;
    /**
     * RETENTION_LETTER_YEARS: copies of sent commercial letters (the order confirmation), in years from the end of
     * the calendar year (§ 257 HGB: 6); absent means 6.
     */
    letterYears?: number;
    /** SUPPORT_TICKET_DAYS: a closed support ticket is deleted this many days after closing (730); absent means 730. */
    supportTicketDays?: number;
    /** REPAIR_ADDRESS_DAYS: a repair's postal address is deleted this many days after the repair is closed (30). */
    repairAddressDays?: number;
    /** ANALYTICS_RAW_DAYS: raw analytics events (page views, beacon events) are kept this many days (30). */
    analyticsRawDays?: number;
    /** ANALYTICS_AGGREGATE_MONTHS: the hourly and daily analytics aggregates are kept this many months (25). */
    analyticsAggregateMonths?: number;
    /** PRIVACY_EXPORT_DAYS: a data export (ZIP) can be downloaded, and is kept, this many days (7). */
    exportDays?: number;
    /**
     * DORMANT_ACCOUNT_YEARS: an account with no sign-in and no order for this many years is told by mail, and erased
     * 30 days later unless its owner signs in (3); absent means 3.
     */
    dormantYears?: number;
  };
  /** PAYMENT_PROVIDER: which payment provider adapter takes payments ('test' moves no real money). */
  paymentProvider: PaymentProviderId;
  /** CREDIT_AGENCY: which credit agency adapter answers credit checks ('test' decides by fixed rules). */
  creditAgency: CreditAgencyId;
  /** Credit checks one customer may cause per day (by ordering on invoice); then invoice is not offered. */
  creditChecksPerDay: number;
  /**
   * CREDIT_CHECK_METHODS: the payment methods whose orders are credit-checked before they are accepted (default:
   * invoice only). A card or wallet order is checked before it is charged, and only when listed here.
   */
  creditCheckMethods: CreditCheckMethod[];
  /** How long a process keeps catalogue listings (ms); 0 asks the database every time. */
  listingCacheMs: number;
  /** DOWNLOAD_MAX_MB: the largest product file staff may upload (megabytes). */
  downloadMaxMb: number;
  /** IMAGE_MAX_MB: the largest product image staff may upload (megabytes; stored resized, never as uploaded). */
  imageMaxMb: number;
  /**
   * SUPPRESSION_KEY (or DATA_DIR/suppression-key, made once): the key of the suppression list's address hashes. Its
   * own key, not CANDOR_SECRET, so rotating the instance secret never lets mail reach an unsubscribed address again.
   */
  suppressionKey: string;
  /**
   * ANALYTICS_KEY (or DATA_DIR/analytics-key, made once): the key of the pseudonymous ids of consenting visitors
   * (an HMAC of the account id or the consent id). Its own key, so that no other secret can re-identify them.
   */
  analyticsKey: string;
  /** NEWSLETTER_CONFIRM_HOURS: how long a double opt-in link works and an unconfirmed sign-up is kept (48). */
  newsletterConfirmHours: number;
  /** CAMPAIGN_RATE_PER_MINUTE: campaign mails handed to the mail server per minute; 0 sends as fast as it can. */
  campaignRatePerMinute: number;
  /** MAIL_CONCURRENCY: messages one worker has in flight to the mail server at once (1 sends one after another). */
  mailConcurrency: number;
  /** DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE: outgoing mail is DKIM-signed when all three are set. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  /**
   * The support mailbox (SUPPORT_ADDRESS, default the operator's email): support notifications are sent with a
   * Reply-To of `<local>+<reply token>@<domain>` under it, and inbound mail to it opens or continues tickets.
   */
  supportAddress: string;
  /** INBOUND_SMTP_PORT (off unless set) and INBOUND_SMTP_HOST (0.0.0.0): the inbound SMTP listener of the leader. */
  inboundSmtp: { port: number; host: string } | undefined;
  /** INBOUND_MAX_MB: the largest inbound message the listener or the inbox folder takes (25). */
  inboundMaxMb: number;
  /** SUPPORT_ATTACHMENT_MAX_MB: the largest attachment of a support message (10). */
  supportAttachmentMaxMb: number;
  operator: Operator;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const port = parseInteger(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(
      'DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/db); leave it unset to use SQLite in DATA_DIR.',
    );
  }

  const baseUrl = parseBaseUrl(env.BASE_URL, host, port, problems);

  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
    problems.push('SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465.');
  }

  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\/[^/]+/.test(redisUrl))
    problems.push('REDIS_URL must look like redis://127.0.0.1:6379.');

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken && (metricsToken.length < 32 || /\s/.test(metricsToken)))
    problems.push('METRICS_TOKEN must be at least 32 characters without spaces (for example: openssl rand -hex 32).');
  const metricsAllow = parseAddressList(env.METRICS_ALLOW, 'METRICS_ALLOW', ['127.0.0.1', '::1'], problems);
  const perMinute = parseInteger(env.RATE_LIMIT_PER_MINUTE, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000, problems, true);
  const authPerMinute = parseInteger(
    env.RATE_LIMIT_AUTH_PER_MINUTE,
    'RATE_LIMIT_AUTH_PER_MINUTE',
    10,
    1,
    10_000,
    problems,
    true,
  );
  const emailChangeUndoDays = parseInteger(
    env.EMAIL_CHANGE_UNDO_DAYS,
    'EMAIL_CHANGE_UNDO_DAYS',
    7,
    1,
    90,
    problems,
    true,
  );

  const invoiceYears = parseInteger(env.RETENTION_INVOICE_YEARS, 'RETENTION_INVOICE_YEARS', 8, 1, 30, problems, true);
  const letterYears = parseInteger(env.RETENTION_LETTER_YEARS, 'RETENTION_LETTER_YEARS', 6, 6, 30, problems, true);
  const listingCacheMs = parseInteger(env.LISTING_CACHE_MS, 'LISTING_CACHE_MS', 2000, 0, 60_000, problems, true);
  const downloadMaxMb = parseInteger(env.DOWNLOAD_MAX_MB, 'DOWNLOAD_MAX_MB', 1024, 1, 10_240, problems, true);
  const imageMaxMb = parseInteger(env.IMAGE_MAX_MB, 'IMAGE_MAX_MB', 10, 1, 100, problems, true);
  const paymentProvider = (env.PAYMENT_PROVIDER?.trim() || 'test') as PaymentProviderId;
  if (!PAYMENT_PROVIDERS.includes(paymentProvider))
    problems.push(
      `PAYMENT_PROVIDER must be one of: ${PAYMENT_PROVIDERS.join(', ')} (the test provider moves no real money), got "${env.PAYMENT_PROVIDER}".`,
    );
  const creditAgency = (env.CREDIT_AGENCY?.trim() || 'test') as CreditAgencyId;
  if (!CREDIT_AGENCIES.includes(creditAgency)) {
    problems.push(
      `CREDIT_AGENCY must be one of: ${CREDIT_AGENCIES.join(', ')} (the test agency decides by fixed rules), got "${env.CREDIT_AGENCY}".`,
    );
  }
  const creditChecksPerDay = parseInteger(
    env.CREDIT_CHECKS_PER_DAY,
    'CREDIT_CHECKS_PER_DAY',
    3,
    0,
    100,
    problems,
    true,
  );

  const creditCheckMethods = parseCreditCheckMethods(env.CREDIT_CHECK_METHODS, problems);

  const newsletterConfirmHours = parseInteger(
    env.NEWSLETTER_CONFIRM_HOURS,
    'NEWSLETTER_CONFIRM_HOURS',
    48,
    1,
    24 * 30,
    problems,
    true,
  );
  const campaignRatePerMinute = parseInteger(
    env.CAMPAIGN_RATE_PER_MINUTE,
    'CAMPAIGN_RATE_PER_MINUTE',
    600,
    0,
    1_000_000,
    problems,
    true,
  );
  const mailConcurrency = parseInteger(env.MAIL_CONCURRENCY, 'MAIL_CONCURRENCY', 4, 1, 64, problems, true);
  const supportTicketDays = parseInteger(
    env.SUPPORT_TICKET_DAYS,
    'SUPPORT_TICKET_DAYS',
    730,
    1,
    36_500,
    problems,
    true,
  );
  const repairAddressDays = parseInteger(env.REPAIR_ADDRESS_DAYS, 'REPAIR_ADDRESS_DAYS', 30, 1, 3650, problems, true);
  const exportDays = parseInteger(env.PRIVACY_EXPORT_DAYS, 'PRIVACY_EXPORT_DAYS', 7, 1, 30, problems, true);
  const dormantYears = parseInteger(env.DORMANT_ACCOUNT_YEARS, 'DORMANT_ACCOUNT_YEARS', 3, 1, 30, problems, true);
  const analyticsRawDays = parseInteger(env.ANALYTICS_RAW_DAYS, 'ANALYTICS_RAW_DAYS', 30, 1, 365, problems, true);
  const analyticsAggregateMonths = parseInteger(
    env.ANALYTICS_AGGREGATE_MONTHS,
    'ANALYTICS_AGGREGATE_MONTHS',
    25,
    1,
    120,
    problems,
    true,
  );
  const inboundMaxMb = parseInteger(env.INBOUND_MAX_MB, 'INBOUND_MAX_MB', 25, 1, 200, problems, true);
  const supportAttachmentMaxMb = parseInteger(
    env.SUPPORT_ATTACHMENT_MAX_MB,
    'SUPPORT_ATTACHMENT_MAX_MB',
    10,
    1,
    100,
    problems,
    true,
  );
  const inboundPortRaw = env.INBOUND_SMTP_PORT?.trim();
  const inboundPort =
    inboundPortRaw === undefined || inboundPortRaw === ''
      ? undefined
      : parseInteger(inboundPortRaw, 'INBOUND_SMTP_PORT', 0, 1, 65_535, problems, true);
  const inboundHost = env.INBOUND_SMTP_HOST?.trim() || '0.0.0.0';
  const supportAddressRaw = env.SUPPORT_ADDRESS?.trim();
  if (supportAddressRaw && !/^[^\s@+]+@[^\s@]+\.[^\s@]+$/.test(supportAddressRaw))
    problems.push(
      'SUPPORT_ADDRESS must be a plain email address without a "+" part (for example support@example.com).',
    );
  const dkim = parseDkim(env, problems);
  const explicitSuppressionKey = env.SUPPRESSION_KEY?.trim();
  if (explicitSuppressionKey !== undefined && explicitSuppressionKey !== '' && explicitSuppressionKey.length < 32)
    problems.push('SUPPRESSION_KEY must be at least 32 characters long (for example: openssl rand -hex 32).');
  const explicitAnalyticsKey = env.ANALYTICS_KEY?.trim();
  if (explicitAnalyticsKey !== undefined && explicitAnalyticsKey !== '' && explicitAnalyticsKey.length < 32)
    problems.push('ANALYTICS_KEY must be at least 32 characters long (for example: openssl rand -hex 32).');

  const usageLogRaw = (env.USAGE_LOG ?? 'on').trim().toLowerCase();
  const usageLogBufferMax = parseInteger(
    env.USAGE_LOG_BUFFER_MAX,
    'USAGE_LOG_BUFFER_MAX',
    20_000,
    100,
    1_000_000,
    problems,
    true,
  );
  const shutdownGraceMs = parseInteger(env.SHUTDOWN_GRACE_MS, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, problems, true);
  if (!['on', 'off'].includes(usageLogRaw)) problems.push('USAGE_LOG must be "on" or "off".');

  const explicitSecret = env.CANDOR_SECRET?.trim();
  if (explicitSecret !== undefined && explicitSecret !== '' && explicitSecret.length < 32) {
    problems.push('CANDOR_SECRET must be at least 32 characters long (for example: openssl rand -hex 32).');
  }

  let operator: Operator | undefined;
  const operatorFile = env.CANDOR_OPERATOR_FILE?.trim() || join(dataDir, 'operator.json');
  try {
    // A file named explicitly must exist: a wrong path must not quietly turn the shop into the demo company.
    if (env.CANDOR_OPERATOR_FILE?.trim() && !existsSync(operatorFile))
      throw new OperatorFileError(operatorFile, ['the file does not exist (CANDOR_OPERATOR_FILE)']);
    // With SMTP_URL every mail leaves through a relay, which the operator file must then name.
    operator = loadOperator(operatorFile, { mailRelay: smtpUrl !== undefined });
  } catch (err) {
    if (err instanceof OperatorFileError)
      problems.push(...err.problems.map((p) => `operator file ${operatorFile}: ${p}`));
    else problems.push((err as Error).message);
  }

  const demoRaw = (env.CANDOR_DEMO ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(demoRaw))
    problems.push(`CANDOR_DEMO must be "true" or "false", got "${env.CANDOR_DEMO}".`);
  // A shop reachable by the public must not run on the development defaults by accident: the file mail sink keeps
  // working reset links on disk instead of sending them, and the demo company switches on made-up trackers.
  if (baseUrl && isPublicHttps(baseUrl) && demoRaw !== 'true') {
    const optIn = 'or set CANDOR_DEMO=true to run the demo on purpose';
    if (!smtpUrl)
      problems.push(
        `SMTP_URL is not set, but BASE_URL ${baseUrl} is a public address: mail (with working password-reset links) would be written to DATA_DIR/mail instead of being sent. Set SMTP_URL=smtp://user:pass@host:587, ${optIn}.`,
      );
    if (operator?.demo) {
      const which = existsSync(operatorFile)
        ? `the operator file ${operatorFile} is marked "demo": true`
        : `there is no operator file (${operatorFile})`;
      problems.push(
        `${which}, but BASE_URL ${baseUrl} is a public address: the shop would run as the fictional demo company with its made-up trackers. Write your company's facts to that file (or name it with CANDOR_OPERATOR_FILE), ${optIn}.`,
      );
    }
  }

  if (problems.length > 0 || !operator) throw new ConfigError(problems);

  return {
    port,
    host,
    dataDir,
    databaseUrl,
    baseUrl,
    smtpUrl,
    redisUrl,
    metricsToken,
    metricsAllow,
    secret: explicitSecret || loadOrCreateKeyFile(dataDir, 'secret'),
    trustProxy,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    usageLog: usageLogRaw === 'on',
    usageLogBufferMax,
    shutdownGraceMs,
    rateLimit: { perMinute, authPerMinute },
    emailChangeUndoDays,
    retention: {
      invoiceYears,
      letterYears,
      supportTicketDays,
      repairAddressDays,
      analyticsRawDays,
      analyticsAggregateMonths,
      exportDays,
      dormantYears,
    },
    listingCacheMs,
    downloadMaxMb,
    imageMaxMb,
    suppressionKey: explicitSuppressionKey || loadOrCreateKeyFile(dataDir, 'suppression-key'),
    analyticsKey: explicitAnalyticsKey || loadOrCreateKeyFile(dataDir, 'analytics-key'),
    newsletterConfirmHours,
    campaignRatePerMinute,
    mailConcurrency,
    dkim,
    supportAddress: supportAddressRaw || operator.email,
    inboundSmtp: inboundPort === undefined ? undefined : { port: inboundPort, host: inboundHost },
    inboundMaxMb,
    supportAttachmentMaxMb,
    paymentProvider,
    creditAgency,
    creditChecksPerDay,
    creditCheckMethods,
    operator,
  };
}

/** A comma list of payment methods, each at most once; unset or empty: invoice only. */
function parseCreditCheckMethods(raw: string | undefined, problems: string[]): CreditCheckMethod[] {
  const names = (raw ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  if (names.length === 0) return ['invoice'];
  const unknown = names.filter((n) => !(CREDIT_CHECKABLE_METHODS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    problems.push(
      `CREDIT_CHECK_METHODS must be a comma-separated list of payment methods from: ${CREDIT_CHECKABLE_METHODS.join(', ')} (default: invoice), got "${raw}".`,
    );
    return ['invoice'];
  }
  return [...new Set(names)] as CreditCheckMethod[];
}

function parseInteger(
  envOrRaw: Env | string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
  raw = false,
): number {
  const value = raw ? (envOrRaw as string | undefined) : (envOrRaw as Env)[name];
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim())) {
    problems.push(`${name} must be a whole number between ${min} and ${max}, got "${value}".`);
    return fallback;
  }
  const n = Number(value);
  if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}.`);
  return n;
}

function parseBaseUrl(raw: string | undefined, host: string, port: number, problems: string[]): string {
  if (!raw || raw.trim() === '') {
    const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${shownHost}:${port}`;
  }
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url.origin + url.pathname.replace(/\/$/, '');
  } catch {
    problems.push(`BASE_URL must be an absolute http(s) URL such as https://shop.example.com, got "${raw}".`);
    return '';
  }
}

/** https on a host other than this machine: a shop the public can reach (loopback and *.localhost are local). */
function isPublicHttps(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return false;
  return !(isIP(host) === 4 && host.startsWith('127.'));
}

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim().toLowerCase();
  if (!value || value === 'false' || value === '0' || value === 'no') return false;
  if (value === 'true' || value === 'yes') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => isIP(p.split('/')[0] ?? '') === 0);
  if (bad.length > 0) {
    problems.push(
      'TRUST_PROXY must be "false", "true", a number of proxy hops, or a comma-separated list of proxy IP addresses/CIDR ranges.',
    );
    return false;
  }
  return parts;
}

/**
 * A comma list of IP addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`); unset: `fallback`; `none` or an empty
 * value: no address at all.
 */
function parseAddressList(raw: string | undefined, name: string, fallback: string[], problems: string[]): string[] {
  if (raw === undefined) return fallback;
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0]?.toLowerCase() === 'none')) return [];
  const bad = parts.filter((p) => {
    const [address = '', prefix, ...rest] = p.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return true;
    if (prefix === undefined) return false;
    return !/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128);
  });
  if (bad.length > 0)
    problems.push(
      `${name} must be a comma-separated list of IP addresses or CIDR ranges (for example 127.0.0.1,::1,10.0.0.0/8), or "none"; not understood: ${bad.join(', ')}.`,
    );
  return parts;
}

/**
 * A random key kept in DATA_DIR under `name` (mode 0600), made on the first start: `secret` (sessions, CSRF, signed
 * links: a restart keeps them valid), `suppression-key`, `analytics-key`.
 */
function loadOrCreateKeyFile(dataDir: string, name: string): string {
  return readOrCreateKeyFile(join(dataDir, name), () => `${randomBytes(32).toString('hex')}\n`).trim();
}

/** DKIM signing needs a domain, a selector and a PEM private key file; all three or none. */
function parseDkim(env: Env, problems: string[]): Config['dkim'] {
  const domainName = env.DKIM_DOMAIN?.trim() || '';
  const keySelector = env.DKIM_SELECTOR?.trim() || '';
  const keyFile = env.DKIM_PRIVATE_KEY_FILE?.trim() || '';
  const given = [domainName, keySelector, keyFile].filter((v) => v !== '').length;
  if (given === 0) return undefined;
  if (given < 3) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE must be set together (or none of them).');
    return undefined;
  }
  if (!existsSync(keyFile)) {
    problems.push(`DKIM_PRIVATE_KEY_FILE ${keyFile} does not exist.`);
    return undefined;
  }
  const privateKey = readFileSync(keyFile, 'utf8');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    problems.push(`DKIM_PRIVATE_KEY_FILE ${keyFile} holds no PEM private key.`);
    return undefined;
  }
  return { domainName, keySelector, privateKey };
}
