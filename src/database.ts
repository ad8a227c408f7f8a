// The typed schema of all features' tables, for Kysely. Each feature owns and declares its part.
import type { AnalyticsTables } from './features/analytics/analytics.tables.ts';
import type { AccountsTables } from './features/accounts/accounts.tables.ts';
import type { AdvertisingTables } from './features/advertising/index.ts';
import type { BasketTables } from './features/basket/basket.tables.ts';
import type { CampaignTables } from './features/campaigns/campaigns.tables.ts';
import type { CompetitionTables } from './features/competitions/competitions.tables.ts';
import type { CatalogTables } from './features/catalog/catalog.tables.ts';
import type { CreditTables } from './features/credit/credit.tables.ts';
import type { AddressBookTables } from './features/orders/addresses.tables.ts';
import type { OrderTables } from './features/orders/orders.tables.ts';
import type { OrderPageTables } from './features/orders/order-page.tables.ts';
import type { OrderSerialTables } from './features/orders/serials.tables.ts';
import type { PaymentTables } from './features/payments/payments.tables.ts';
import type { RightsTables } from './features/rights/rights.tables.ts';
import type { RegistrationTables } from './features/registrations/registrations.tables.ts';
import type { DownloadTables } from './features/downloads/downloads.tables.ts';
import type { InvoiceTables } from './features/invoices/invoices.tables.ts';
import type { LicenceTables } from './features/licences/licences.tables.ts';
import type { LegalTables } from './features/legal/legal.tables.ts';
import type { WithdrawalTables } from './features/orders/withdrawals.tables.ts';
import type { MailTables } from './features/mail/mail.tables.ts';
import type { NewsletterTables } from './features/newsletter/newsletter.tables.ts';
import type { SurveyTables } from './features/surveys/surveys.tables.ts';
import type { SupportTables } from './features/support/support.tables.ts';
import type { InstanceKeysTables } from './platform/instance-keys/instance-keys.tables.ts';
import type { JobTables } from './platform/jobs/jobs.tables.ts';
import type { ConsentTables } from './privacy/consent/consent.tables.ts';
import type { DisclosureTables } from './privacy/disclosures/disclosures.tables.ts';
import type { AccessAuditTables } from './privacy/access-audit.tables.ts';
import type { ObjectionTables } from './privacy/objections.tables.ts';
import type { PolicyVersionTables } from './privacy/policy-versions.tables.ts';

export interface Database
  extends
    AccountsTables,
    MailTables,
    NewsletterTables,
    CompetitionTables,
    CampaignTables,
    SurveyTables,
    SupportTables,
    AnalyticsTables,
    RightsTables,
    CatalogTables,
    BasketTables,
    PaymentTables,
    CreditTables,
    OrderTables,
    OrderPageTables,
    OrderSerialTables,
    AddressBookTables,
    InvoiceTables,
    LicenceTables,
    LegalTables,
    WithdrawalTables,
    RegistrationTables,
    DisclosureTables,
    AdvertisingTables,
    DownloadTables,
    JobTables,
    InstanceKeysTables,
    ConsentTables,
    ObjectionTables,
    AccessAuditTables,
    PolicyVersionTables {}
